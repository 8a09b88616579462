"""The HTTP transmitter and its outbox against a stub intermediary on 127.0.0.1: retries after a failure
and after a timeout, exactly one upload per idempotency key, backoff on a frozen clock, failure after
the last attempt (the Segreteria told), a new round on request, and one sender per row."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from approvals.models import Transmission, TransmissionStatus
from approvals.services.transmission import backoff, transmission_claim
from audit.models import AuditEntry
from flows import errors
from flows.services.transmission import (
    FAILED_EVENT,
    transmission_deliver,
    transmission_retry,
    transmissions_send_due,
)
from notifications.models import Notification
from tests.approvals.receiver import LOCAL, Receiver
from tests.factories import ObjectiveFactory, PlanFactory, Role, ensure_role_groups, member
from tests.support import COMMENT, act, walk_to
from workflow.models import State, TransmitterMode

T0 = dt.datetime(2023, 3, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def outbox(settings):
    settings.TRANSMISSION_SEND_ON_COMMIT = False  # the tests drive every attempt with their own clock
    settings.TRANSMISSION_HTTP_TIMEOUT = 0.5
    settings.TRANSMISSION_RETRY_BASE_SECONDS = 60
    settings.TRANSMISSION_RETRY_MAX_SECONDS = 3600
    settings.TRANSMISSION_MAX_ATTEMPTS = 4
    settings.TRANSMITTER_ALLOWED_URL_PREFIXES = [LOCAL]

    def queue(objective, people, url):
        body = objective.plan.body
        body.transmitter, body.transmitter_url = TransmitterMode.HTTP, url
        body.save()
        act(walk_to(objective, State.TRANSMISSION, people), "transmit", people["segreteria"], data={})
        row = Transmission.objects.get()
        Transmission.objects.filter(pk=row.pk).update(next_attempt_at=T0)
        return row

    return queue


def _people_of(body):
    return {
        "dirigente_satta": member("dirigente_satta", body, Role.DIRIGENTE, center="SETTORE"),
        "segreteria": member("segreteria", body, Role.SEGRETERIA),
        "segretario": member("segretario", body, Role.SEGRETARIO),
    }


def _outcomes(row):
    return [(a.number, a.status_code, a.outcome) for a in row.attempt_log.order_by("number")]


@pytest.mark.django_db
def test_a_failure_then_a_timeout_then_success_make_exactly_one_upload(draft, people, outbox):
    with Receiver(["fail", "slow", "ok"], slow_seconds=1.5) as receiver:
        row = outbox(draft, people, receiver.url)
        key = str(row.idempotency_key)

        first = transmission_deliver(pk=row.pk, now=T0)
        assert (first.status, first.attempts) == (TransmissionStatus.RETRYING, 1)
        assert first.next_attempt_at == T0 + dt.timedelta(seconds=60)
        assert first.last_error == "Risposta HTTP 500 dall'intermediario."

        second = transmission_deliver(pk=row.pk, now=T0 + dt.timedelta(seconds=60))
        assert (second.status, second.attempts) == (TransmissionStatus.RETRYING, 2)
        assert second.next_attempt_at == T0 + dt.timedelta(seconds=60 + 120)
        assert second.last_error == "Nessuna risposta entro 0.5 secondi."

        third = transmission_deliver(pk=row.pk, now=T0 + dt.timedelta(seconds=180))

    assert third.status == TransmissionStatus.DELIVERED
    assert third.delivered_at == T0 + dt.timedelta(seconds=180) and third.next_attempt_at is None
    # the receipt of the one upload the intermediary accepted (during the try that timed out)
    assert (third.receipt_reference, third.receipt_date) == ("DFP-2023-0001", dt.date(2023, 3, 4))
    assert [r["step"] for r in receiver.requests] == ["fail", "slow", "ok"]  # three raw requests...
    assert {r["key"] for r in receiver.requests} == {key}  # ...all under the same key...
    assert list(receiver.uploads) == [key]  # ...and one upload
    assert receiver.uploads[key]["sha256"] == row.package.sha256
    assert _outcomes(third) == [
        (1, 500, "Risposta HTTP 500 dall'intermediario."),
        (2, None, "Nessuna risposta entro 0.5 secondi."),
        (3, 201, "Consegnato: protocollo DFP-2023-0001."),
    ]
    assert list(
        AuditEntry.objects.filter(action__startswith="transmission.")
        .order_by("sequence")
        .values_list("action", flat=True)
    ) == ["transmission.queued", "transmission.retrying", "transmission.retrying", "transmission.delivered"]
    told = Notification.objects.filter(transition="transmission_delivered")
    assert {n.recipient.username for n in told} >= {"dirigente_satta", "segreteria"}


@pytest.mark.django_db
def test_backoff_doubles_on_a_frozen_clock_and_the_last_failure_tells_the_segreteria(
    draft, people, outbox, settings
):
    settings.TRANSMISSION_RETRY_MAX_SECONDS = 200
    with Receiver(["fail"] * 10) as receiver:
        row = outbox(draft, people, receiver.url)
        now = T0
        waits = []
        for number in range(1, 5):
            early = now - dt.timedelta(seconds=1)
            if number > 1:
                assert transmission_deliver(pk=row.pk, now=early) is None  # not due yet: not sent
                assert transmissions_send_due(now=early) == []
            row = transmission_deliver(pk=row.pk, now=now)
            assert row.attempts == number and len(receiver.requests) == number
            if row.next_attempt_at:
                waits.append((row.next_attempt_at - now).total_seconds())
                now = row.next_attempt_at
    assert waits == [60, 120, 200]  # 60 s, doubled, then capped
    assert (row.status, row.next_attempt_at) == (TransmissionStatus.FAILED, None)
    assert transmission_deliver(pk=row.pk, now=now + dt.timedelta(days=1)) is None  # failed: never again
    told = Notification.objects.filter(transition=FAILED_EVENT)
    assert {n.recipient.username for n in told} == {"segreteria", "segretario"}
    assert "Risposta HTTP 500" in told.first().message
    assert AuditEntry.objects.filter(action="transmission.failed").count() == 1


def test_backoff_schedule():
    assert [backoff(n, base=60, cap=3600).total_seconds() for n in range(1, 9)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


@pytest.mark.django_db
def test_a_refusal_fails_at_once_without_retries(draft, people, outbox):
    with Receiver(["refuse"]) as receiver:
        row = outbox(draft, people, receiver.url)
        row = transmission_deliver(pk=row.pk, now=T0)
    assert (row.status, row.attempts, row.next_attempt_at) == (TransmissionStatus.FAILED, 1, None)
    assert row.last_error == "Risposta HTTP 422 dall'intermediario."
    assert receiver.uploads == {} and len(receiver.requests) == 1
    assert Notification.objects.filter(transition=FAILED_EVENT).exists()


@pytest.mark.django_db
def test_a_redirect_is_not_followed(draft, people, outbox):
    with Receiver(["redirect"]) as receiver:
        row = outbox(draft, people, receiver.url)
        row = transmission_deliver(pk=row.pk, now=T0)
    assert (row.status, row.last_error) == (
        TransmissionStatus.FAILED,
        "Risposta HTTP 302 dall'intermediario.",
    )
    assert len(receiver.requests) == 1  # no GET to where it pointed


@pytest.mark.django_db
def test_the_segreteria_sends_a_failed_transmission_again_under_the_same_key(draft, people, outbox, settings):
    settings.TRANSMISSION_MAX_ATTEMPTS = 1
    with Receiver(["fail", "ok"]) as receiver:
        row = outbox(draft, people, receiver.url.replace("/pacchetti", "/vecchio"))
        row = transmission_deliver(pk=row.pk, now=T0)
        assert row.status == TransmissionStatus.FAILED
        body = row.body
        body.transmitter_url = receiver.url  # the address corrected meanwhile: the new round goes there
        body.save()
        with pytest.raises(errors.Forbidden):
            transmission_retry(pk=row.pk, by=people["revisore"])
        with pytest.raises(errors.InvalidInput):
            transmission_retry(pk=row.pk, by=people["dirigente_satta"])
        transmission_retry(pk=row.pk, by=people["segreteria"])
        row.refresh_from_db()
        assert (row.status, row.attempts) == (TransmissionStatus.PENDING, 0)
        with pytest.raises(errors.TransitionNotAvailable):
            transmission_retry(pk=row.pk, by=people["segreteria"])
        row = transmissions_send_due(now=timezone.now() + dt.timedelta(seconds=1))[0]
    assert row.status == TransmissionStatus.DELIVERED
    assert [n for n, _, _ in _outcomes(row)] == [1, 2]
    assert {r["key"] for r in receiver.requests} == {str(row.idempotency_key)}
    assert row.endpoint == receiver.url


@pytest.mark.django_db
def test_a_row_claimed_by_one_worker_is_not_due_for_another(draft, people, outbox):
    row = outbox(draft, people, "http://127.0.0.1:9/pacchetti")
    lease = dt.timedelta(seconds=60)
    assert transmission_claim(pk=row.pk, now=T0, lease=lease) is not None
    assert transmission_claim(pk=row.pk, now=T0, lease=lease) is None
    assert transmission_claim(pk=row.pk, now=T0 + lease, lease=lease) is not None  # the first one died


@pytest.mark.django_db
def test_send_transmissions_delivers_what_is_due(draft, people, outbox, capsys):
    with Receiver() as receiver:
        outbox(draft, people, receiver.url)
        call_command("send_transmissions")
    assert "consegnate: 1" in capsys.readouterr().out
    assert Transmission.objects.get().status == TransmissionStatus.DELIVERED
    assert len(receiver.requests) == 1


# -- real commits -------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_after_a_real_commit_the_first_attempt_runs_at_once(body, settings):
    ensure_role_groups()
    settings.TRANSMISSION_HTTP_TIMEOUT = 2
    settings.TRANSMITTER_ALLOWED_URL_PREFIXES = [LOCAL]
    people = _people_of(body)
    draft = ObjectiveFactory(plan=PlanFactory(body=body), responsible=people["dirigente_satta"])
    with Receiver() as receiver:
        o = walk_to(draft, State.TRANSMISSION, people)
        body.transmitter, body.transmitter_url = TransmitterMode.HTTP, receiver.url
        body.save()
        act(o, "transmit", people["segreteria"], data={"comment": COMMENT})
        assert len(receiver.requests) == 1
    assert Transmission.objects.get().status == TransmissionStatus.DELIVERED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_row(body, settings):
    ensure_role_groups()
    settings.TRANSMISSION_SEND_ON_COMMIT = False
    settings.TRANSMISSION_HTTP_TIMEOUT = 3
    settings.TRANSMITTER_ALLOWED_URL_PREFIXES = [LOCAL]
    people = _people_of(body)
    draft = ObjectiveFactory(plan=PlanFactory(body=body), responsible=people["dirigente_satta"])
    with Receiver(["slow"], slow_seconds=0.5) as receiver:
        o = walk_to(draft, State.TRANSMISSION, people)
        body.transmitter, body.transmitter_url = TransmitterMode.HTTP, receiver.url
        body.save()
        act(o, "transmit", people["segreteria"], data={})
        results = []

        def worker():
            results.append(transmissions_send_due())
            connection.close()

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(receiver.requests) == 1
    assert sum(len(r) for r in results) == 1


@pytest.mark.django_db
def test_an_answer_that_is_not_http_is_retried_like_a_network_error(draft, people, outbox):
    with Receiver(["garbage", "ok"]) as receiver:
        row = outbox(draft, people, receiver.url)
        first = transmission_deliver(pk=row.pk, now=T0)
        assert (first.status, first.attempts) == (TransmissionStatus.RETRYING, 1)
        assert first.last_error == "Risposta non valida dall'intermediario (BadStatusLine)."
        second = transmission_deliver(pk=row.pk, now=T0 + dt.timedelta(seconds=60))
    assert second.status == TransmissionStatus.DELIVERED
    assert [a for a, *_ in _outcomes(second)] == [1, 2]


@pytest.mark.django_db
def test_a_transmitter_that_raises_leaves_the_row_with_an_outcome(draft, people, outbox, monkeypatch):
    from approvals.transmission.transmitters import HttpTransmitter

    def broken(self, delivery, *, timeout):
        raise RuntimeError("guasto")

    monkeypatch.setattr(HttpTransmitter, "deliver", broken)
    row = outbox(draft, people, "http://127.0.0.1:9/pacchetti")
    done = transmission_deliver(pk=row.pk, now=T0)
    assert (done.status, done.attempts) == (TransmissionStatus.RETRYING, 1)
    assert done.last_error == "Errore imprevisto durante l'invio all'intermediario."
    assert AuditEntry.objects.filter(action="transmission.retrying").count() == 1


@pytest.mark.django_db
def test_a_queued_row_is_delivered_after_the_body_switched_to_manual_uploads(draft, people, outbox):
    with Receiver(["ok"]) as receiver:
        row = outbox(draft, people, receiver.url)
        body = row.body
        body.transmitter = TransmitterMode.MANUAL
        body.save()
        done = transmission_deliver(pk=row.pk, now=T0)
    assert done.status == TransmissionStatus.DELIVERED
    assert list(receiver.uploads) == [str(row.idempotency_key)]


@pytest.mark.django_db
def test_a_late_failure_never_undoes_a_delivery(draft, people, outbox, monkeypatch):
    """A worker whose lease ran out answers after another worker delivered the row: its failure is
    logged as an attempt and changes nothing else."""
    from approvals.transmission.transmitters import DeliveryResult, HttpTransmitter

    late = {}

    def delivered_meanwhile_then_refused(self, delivery, *, timeout):
        Transmission.objects.filter(pk=late["pk"]).update(
            status=TransmissionStatus.DELIVERED, receipt_reference="DFP-2023-0009", next_attempt_at=None
        )
        return DeliveryResult(False, False, "Risposta HTTP 422 dall'intermediario.", status_code=422)

    monkeypatch.setattr(HttpTransmitter, "deliver", delivered_meanwhile_then_refused)
    row = outbox(draft, people, "http://127.0.0.1:9/pacchetti")
    late["pk"] = row.pk
    done = transmission_deliver(pk=row.pk, now=T0)
    assert (done.status, done.receipt_reference, done.last_error) == (
        TransmissionStatus.DELIVERED,
        "DFP-2023-0009",
        "",
    )
    assert _outcomes(done) == [(1, 422, "Risposta HTTP 422 dall'intermediario.")]
    assert not Notification.objects.filter(transition="transmission_failed").exists()


# -- in the task queue --------------------------------------------------------------------------------
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _work_the_queue():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_step_only_queues_the_delivery_and_a_worker_retries_until_the_last_failure(body, settings):
    """The transmit step's request does not wait for the intermediary: it queues one task. The worker's
    attempt fails, queues the next attempt for the row's time, and so on until the last one, which tells
    the Segreteria."""
    from django_tasks_db.models import DBTaskResult

    ensure_role_groups()
    settings.TASKS = DATABASE_QUEUE
    settings.TRANSMISSION_HTTP_TIMEOUT = 2
    settings.TRANSMISSION_RETRY_BASE_SECONDS = 0  # the next attempt is due at once: the batch worker runs it
    settings.TRANSMISSION_MAX_ATTEMPTS = 3
    settings.TRANSMITTER_ALLOWED_URL_PREFIXES = [LOCAL]
    people = _people_of(body)
    draft = ObjectiveFactory(plan=PlanFactory(body=body), responsible=people["dirigente_satta"])
    with Receiver(["fail", "fail", "fail"]) as receiver:
        o = walk_to(draft, State.TRANSMISSION, people)
        body.transmitter, body.transmitter_url = TransmitterMode.HTTP, receiver.url
        body.save()
        act(o, "transmit", people["segreteria"], data={"comment": COMMENT})
        assert receiver.requests == []  # nothing sent by the request
        (queued,) = DBTaskResult.objects.filter(task_path__endswith="deliver_transmission")
        row = Transmission.objects.get()
        assert queued.args_kwargs["args"] == [row.pk] and row.status == TransmissionStatus.PENDING

        _work_the_queue()

    row.refresh_from_db()
    assert (row.status, row.attempts) == (TransmissionStatus.FAILED, 3)
    assert len(receiver.requests) == 3 and {r["key"] for r in receiver.requests} == {str(row.idempotency_key)}
    runs = DBTaskResult.objects.filter(task_path__endswith="deliver_transmission").order_by("enqueued_at")
    assert [(r.status, r.return_value) for r in runs] == [
        ("SUCCESSFUL", "retrying"), ("SUCCESSFUL", "retrying"), ("SUCCESSFUL", "failed")]
    told = Notification.objects.filter(transition=FAILED_EVENT, recipient=people["segreteria"])
    assert told.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_delivery_task_run_twice_delivers_once(body, settings):
    from flows.services.transmission import deliver_transmission

    ensure_role_groups()
    settings.TRANSMISSION_SEND_ON_COMMIT = False
    settings.TRANSMISSION_HTTP_TIMEOUT = 2
    settings.TRANSMITTER_ALLOWED_URL_PREFIXES = [LOCAL]
    people = _people_of(body)
    draft = ObjectiveFactory(plan=PlanFactory(body=body), responsible=people["dirigente_satta"])
    with Receiver() as receiver:
        o = walk_to(draft, State.TRANSMISSION, people)
        body.transmitter, body.transmitter_url = TransmitterMode.HTTP, receiver.url
        body.save()
        act(o, "transmit", people["segreteria"], data={})
        row = Transmission.objects.get()
        assert deliver_transmission.call(row.pk) == "delivered"
        assert deliver_transmission.call(row.pk) == "not due"  # a retried task, a second worker
    assert len(receiver.requests) == 1
    assert AuditEntry.objects.filter(action="transmission.delivered").count() == 1
