"""The ``transmit`` step and what it leaves: the manual receipt (with an optional receipt file) or the
HTTP outbox row, written with the step or not at all; ``publish`` waiting for an HTTP delivery."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

import audit.services as audit_services
from approvals.models import PublishedRevision, StoredFile, Transmission, TransmissionStatus
from approvals.selectors.transmission import package_for
from approvals.transmission import manifest_problems
from audit.models import AuditEntry
from flows import errors, forms
from flows.services.transitions import objective_transition, objectives_batch_transition
from tests.approvals.receiver import LOCAL, Receiver
from tests.approvals.test_transmission_package import PDF_A, freeze_document
from tests.factories import ObjectiveFactory, PlanFactory
from tests.support import COMMENT, VALID_INPUT, act, fresh, image_bytes, small_pdf, snapshot, walk_to
from workflow.models import State, TransmitterMode

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_intermediary(settings):
    """The stub intermediary listens on 127.0.0.1: allowed for these tests only."""
    settings.TRANSMITTER_ALLOWED_URL_PREFIXES = [LOCAL]


RECEIPT_PDF = small_pdf("ricevuta del portale")
PNG = image_bytes("PNG")


def _transmit(objective, by, *, data=None, files=None):
    return objective_transition(
        objective_id=objective.pk,
        name="transmit",
        by=by,
        lock_version=fresh(objective).lock_version,
        data=VALID_INPUT["transmit"] if data is None else data,
        files=files,
    )


def _written():
    return (Transmission.objects.count(), StoredFile.objects.count())


def _http(body, url="http://127.0.0.1:9/pacchetti"):
    body.transmitter = TransmitterMode.HTTP
    body.transmitter_url = url
    body.save()


# -- manual upload ------------------------------------------------------------------------------------
def test_the_manual_receipt_completes_the_step_and_stores_the_package_downloaded(draft, people):
    o = walk_to(draft, State.TRANSMISSION, people)
    freeze_document([o], PDF_A, people["segretario"])
    downloaded = package_for([o])  # what the Segreteria uploaded to the portal by hand

    moved = _transmit(o, people["segreteria"])

    assert moved.state == State.PUBLICATION
    t = Transmission.objects.get()
    assert (t.kind, t.status) == (TransmitterMode.MANUAL, TransmissionStatus.RECORDED)
    assert (t.receipt_reference, t.receipt_date) == ("DFP-2023-0001", dt.date(2023, 3, 2))
    assert list(t.objectives.all()) == [o]
    assert bytes(t.package.content) == downloaded.content  # byte for byte, though the state moved on
    assert t.package.sha256 == downloaded.sha256 and t.manifest == downloaded.manifest
    assert manifest_problems(bytes(t.package.content)) == []
    assert t.receipt_file is None and t.attempts == 0 and not t.attempt_log.exists()
    entry = AuditEntry.objects.get(action="transmission.recorded")
    assert entry.payload["data"]["package_sha256"] == downloaded.sha256


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [(RECEIPT_PDF, "ricevuta.pdf", "application/pdf"), (PNG, "schermata.png", "image/png")],
)
def test_the_receipt_file_is_kept_with_its_hash(draft, people, content, name, content_type):
    o = walk_to(draft, State.TRANSMISSION, people)
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    _transmit(o, people["segreteria"], files={"receipt_file": upload})
    stored = Transmission.objects.get().receipt_file
    assert (stored.name, stored.content_type, bytes(stored.content)) == (name, content_type, content)
    assert stored.sha256 == StoredFile.digest(content) and stored.size == len(content)


@pytest.mark.parametrize(
    ("data", "files", "message"),
    [
        (None, {"receipt_file": ("ricevuta.pdf", b"MZ non un pdf")}, forms.RECEIPT_FILE_TYPE),
        (None, {"receipt_file": ("ricevuta.txt", b"protocollo DFP-1")}, forms.RECEIPT_FILE_TYPE),
        (
            {"comment": COMMENT},
            {"receipt_file": ("ricevuta.pdf", RECEIPT_PDF)},
            forms.RECEIPT_FILE_WITHOUT_REFERENCE,
        ),
        ({**VALID_INPUT["transmit"], "receipt_date": dt.date(2099, 12, 31)}, {}, "non può essere futura"),
    ],
)
def test_bad_receipt_input_writes_nothing(draft, people, data, files, message):
    o = walk_to(draft, State.TRANSMISSION, people)
    before, written = snapshot(o), _written()
    uploads = {k: SimpleUploadedFile(n, c) for k, (n, c) in files.items()}
    with pytest.raises(errors.InvalidInput) as exc:
        _transmit(o, people["segreteria"], data=data, files=uploads)
    assert message in exc.value.message
    assert snapshot(o) == before and _written() == written


def test_a_receipt_file_too_big_is_refused(draft, people, settings):
    o = walk_to(draft, State.TRANSMISSION, people)
    settings.UPLOAD_MAX_BYTES = 10
    before = snapshot(o)
    with pytest.raises(errors.InvalidInput) as exc:
        _transmit(o, people["segreteria"], files={"receipt_file": SimpleUploadedFile("r.pdf", RECEIPT_PDF)})
    assert forms.RECEIPT_FILE_TOO_BIG.format(mb=0) in exc.value.message
    assert snapshot(o) == before and not Transmission.objects.exists()


def test_a_manual_transmission_needs_the_receipt(draft, people):
    o = walk_to(draft, State.TRANSMISSION, people)
    before, written = snapshot(o), _written()
    with pytest.raises(errors.ConditionsUnmet) as exc:
        _transmit(o, people["segreteria"], data={"comment": COMMENT})
    assert exc.value.message == errors.RECEIPT_REQUIRED
    assert snapshot(o) == before and _written() == written


def test_a_batch_leaves_one_transmission_for_all_its_objectives(plan, people):
    satta = people["dirigente_satta"]
    objectives = [
        walk_to(ObjectiveFactory(plan=plan, responsible=satta), State.TRANSMISSION, people) for _ in "ab"
    ]
    expected = package_for(objectives)
    moved = objectives_batch_transition(
        objective_ids=[o.pk for o in objectives],
        name="transmit",
        by=people["segreteria"],
        data=VALID_INPUT["transmit"],
        lock_versions={o.pk: fresh(o).lock_version for o in objectives},
    )
    assert {o.state for o in moved} == {State.PUBLICATION}
    t = Transmission.objects.get()
    assert set(t.objectives.all()) == set(objectives) and t.batch is not None
    assert t.package.sha256 == expected.sha256


def test_a_batch_over_two_plans_is_refused_whole(plan, people, body):
    satta = people["dirigente_satta"]
    first = walk_to(ObjectiveFactory(plan=plan, responsible=satta), State.TRANSMISSION, people)
    other_plan = PlanFactory(body=body, year=2024, triennium="2024-2026")
    second = walk_to(ObjectiveFactory(plan=other_plan, responsible=satta), State.TRANSMISSION, people)
    before, written = [snapshot(first), snapshot(second)], _written()
    with pytest.raises(errors.InvalidInput) as exc:
        objectives_batch_transition(
            objective_ids=[first.pk, second.pk],
            name="transmit",
            by=people["segreteria"],
            data=VALID_INPUT["transmit"],
        )
    assert exc.value.message == errors.TRANSMISSION_MIXED
    assert [snapshot(first), snapshot(second)] == before and _written() == written


def test_publishing_after_a_manual_upload_keeps_its_receipt(draft, people):
    o = walk_to(draft, State.PUBLISHED, people)
    published = PublishedRevision.objects.get(objective=o)
    assert published.receipt_reference == "DFP-2023-0001"


# -- HTTP through an intermediary: the outbox row ----------------------------------------------------
def test_over_http_the_step_writes_an_outbox_row_and_sends_only_after_commit(
    draft, people, body, settings, django_capture_on_commit_callbacks
):
    settings.TRANSMISSION_HTTP_TIMEOUT = 2
    o = walk_to(draft, State.TRANSMISSION, people)
    with Receiver() as receiver:
        _http(body, receiver.url)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            moved = _transmit(o, people["segreteria"], data={"comment": COMMENT})  # no receipt asked
            t = Transmission.objects.get()
            assert (t.kind, t.status, t.attempts) == (TransmitterMode.HTTP, TransmissionStatus.PENDING, 0)
            assert t.endpoint == receiver.url and t.receipt_reference == ""
            assert receiver.requests == []  # nothing leaves before the commit
        assert moved.state == State.PUBLICATION and receiver.requests == []
        for callback in callbacks:
            callback()
    t.refresh_from_db()
    assert t.status == TransmissionStatus.DELIVERED
    assert (t.receipt_reference, t.receipt_date) == ("DFP-2023-0001", dt.date(2023, 3, 4))
    assert [r["key"] for r in receiver.requests] == [str(t.idempotency_key)]
    assert receiver.requests[0]["sha256"] == t.package.sha256 == receiver.requests[0]["header_sha256"]


def test_no_outbox_row_and_nothing_sent_when_the_step_fails(
    plan, people, body, django_capture_on_commit_callbacks
):
    satta = people["dirigente_satta"]
    ready = walk_to(ObjectiveFactory(plan=plan, responsible=satta), State.TRANSMISSION, people)
    behind = walk_to(ObjectiveFactory(plan=plan, responsible=satta), State.DELIBERATION, people)
    with Receiver() as receiver:
        _http(body, receiver.url)
        before, written = snapshot(ready), _written()
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(errors.BatchBlocked):
                objectives_batch_transition(
                    objective_ids=[ready.pk, behind.pk], name="transmit", by=people["segreteria"], data={}
                )
        assert snapshot(ready) == before and _written() == written
        assert receiver.requests == []


def test_an_outbox_row_already_written_vanishes_with_a_step_failing_after_it(
    plan, people, body, monkeypatch, django_capture_on_commit_callbacks
):
    """The row is written in the step's transaction: something failing later in the same call (here the
    batch's own evidence entry, the last write of a batch) takes it away, and nothing is ever sent."""
    satta = people["dirigente_satta"]
    objectives = [
        walk_to(ObjectiveFactory(plan=plan, responsible=satta), State.TRANSMISSION, people) for _ in "ab"
    ]
    original = audit_services.record
    seen = []

    def record(**kwargs):
        if kwargs["action"] == "batch_transition":
            seen.append(Transmission.objects.count())  # the outbox row exists at this point...
            raise RuntimeError("disco pieno")
        return original(**kwargs)

    monkeypatch.setattr(audit_services, "record", record)
    with Receiver() as receiver:
        _http(body, receiver.url)
        before, written = [snapshot(o) for o in objectives], _written()
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(RuntimeError):
                objectives_batch_transition(
                    objective_ids=[o.pk for o in objectives],
                    name="transmit",
                    by=people["segreteria"],
                    data={},
                    lock_versions={o.pk: fresh(o).lock_version for o in objectives},
                )
        assert seen == [1]
        assert [snapshot(o) for o in objectives] == before and _written() == written  # ...then it is gone
        assert receiver.requests == []


def test_over_http_without_the_intermediarys_address_the_step_is_refused(draft, people, body):
    o = walk_to(draft, State.TRANSMISSION, people)
    _http(body, url="")
    before = snapshot(o)
    with pytest.raises(errors.ConditionsUnmet) as exc:
        _transmit(o, people["segreteria"], data={})
    assert exc.value.message == errors.TRANSMITTER_URL_MISSING
    assert snapshot(o) == before and not Transmission.objects.exists()


def test_publish_is_refused_until_the_http_transmission_is_delivered(
    draft, people, body, settings, django_capture_on_commit_callbacks
):
    settings.TRANSMISSION_SEND_ON_COMMIT = False  # only send_transmissions delivers
    o = walk_to(draft, State.TRANSMISSION, people)
    with Receiver(["fail"]) as receiver:
        _http(body, receiver.url)
        _transmit(o, people["segreteria"], data={})
        before = snapshot(o)
        with pytest.raises(errors.ConditionsUnmet) as exc:
            act(o, "publish", people["segreteria"])
        assert exc.value.message == errors.TRANSMISSION_NOT_DELIVERED.format(status="in coda per l'invio")
        assert snapshot(o) == before

        from flows.services.transmission import transmissions_send_due

        transmissions_send_due()  # 500: retrying
        with pytest.raises(errors.ConditionsUnmet) as exc:
            act(o, "publish", people["segreteria"])
        assert "nuovo tentativo programmato" in exc.value.message

        t = Transmission.objects.get()
        Transmission.objects.filter(pk=t.pk).update(next_attempt_at=t.created_at)  # due again now
        transmissions_send_due()
    assert Transmission.objects.get().status == TransmissionStatus.DELIVERED
    published = act(o, "publish", people["segreteria"])
    assert published.state == State.PUBLISHED
    revision = PublishedRevision.objects.get(objective=o)
    assert (revision.receipt_reference, revision.receipt_date) == ("DFP-2023-0001", dt.date(2023, 3, 4))
