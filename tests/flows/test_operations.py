"""A whole plan's closing of the consultation runs in the task queue: the batch page only queues it and
shows its progress; the worker runs the step (all or nothing), telling each stage; the outcome comes back
as the page's message; a refusal changes nothing; an unexpected error also tells the Segreteria; a task
run twice closes once."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from approvals.models import SignedDocument
from flows.services import operations
from notifications import delivery
from notifications.models import Notification, Operation, OperationStatus
from tests.factories import ObjectiveFactory, ensure_role_groups
from tests.support import fresh, walk_to
from workflow.models import Objective, State

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
BATCH = reverse("workflow:batch")
BACK = f"{BATCH}?stato={State.UNION_CONSULTATION}&azione=close_consultation"


@pytest.fixture
def role_groups(transactional_db):
    """A transactional test starts from tables an earlier one flushed: the role groups come back first."""
    ensure_role_groups()


@pytest.fixture
def pushed(monkeypatch):
    sent = []
    monkeypatch.setattr(delivery, "push", lambda messages: sent.extend(messages))
    return sent


def _in_consultation(plan, people, n=3):
    objectives = [ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]) for _ in range(n)]
    return [walk_to(o, State.UNION_CONSULTATION, people) for o in objectives]


def _post(objectives, **data):
    post = {
        "stato": State.UNION_CONSULTATION,
        "azione": "close_consultation",
        "obiettivi": [str(o.pk) for o in objectives],
        "early_reason": "Scadenza di adozione imminente",
    }
    post.update({f"v_{o.pk}": str(fresh(o).lock_version) for o in objectives})
    post.update(data)
    return post


@pytest.fixture
def queued(client, plan, people, django_capture_on_commit_callbacks):
    """Two objectives in consultation whose closing the Segreteria queued from the batch page; its task
    not run yet. The client stays logged in as the Segreteria."""
    objectives = _in_consultation(plan, people, n=2)
    client.force_login(people["segreteria"])
    with django_capture_on_commit_callbacks(execute=False):
        client.post(BATCH, _post(objectives))
    return objectives, Operation.objects.get()


def _stages(pushed, operation):
    """What the pages were told of ``operation``, read back as the status view answers."""
    return [m for _group, m in pushed if m.get("operation") == str(operation.pk)]


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_the_page_queues_the_closing_and_the_worker_runs_it_telling_each_stage(
    role_groups, client, plan, people, pushed
):
    objectives = _in_consultation(plan, people)
    client.force_login(people["segreteria"])

    response = client.post(BATCH, _post(objectives))

    operation = Operation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("notifications:operation", args=[operation.pk])
    assert operation.status == OperationStatus.QUEUED and operation.started_by == people["segreteria"]
    assert {fresh(o).state for o in objectives} == {State.UNION_CONSULTATION}  # nothing moved yet
    page = client.get(response.url)
    assert page.status_code == 200 and b'<progress id="avanzamento"' in page.content
    status = client.get(reverse("notifications:operation_status", args=[operation.pk])).json()
    assert status == {"status": "queued", "label": "In coda", "progress": 0, "stage": operations.QUEUED_STAGE,
                      "over": False}

    seen = []
    real_tell = operations._tell

    def tell(op, percent, stage):
        real_tell(op, percent, stage)
        seen.append((percent, stage, Operation.objects.get(pk=op.pk).progress))  # kept on the row at once

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(operations, "_tell", tell)
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert [s for _, s, _ in seen] == [
        "Controllo degli obiettivi", "Impaginazione del documento da firmare", "Scrittura del PDF",
        "Registrazione dei passaggi e del documento"]
    assert [p for p, _, _ in seen] == [r for _, _, r in seen] == sorted(r for _, _, r in seen)
    assert len(_stages(pushed, operation)) == len(seen) + 1  # each stage, then the end
    operation.refresh_from_db()
    assert (operation.status, operation.progress) == (OperationStatus.DONE, 100)
    assert {fresh(o).state for o in objectives} == {State.SIGNATURE}
    assert SignedDocument.objects.count() == 1

    # the page asked for twice before the first answer is shown (a push and a reload at once): the
    # outcome is shown once
    link = reverse("notifications:operation", args=[operation.pk])
    assert client.get(link).status_code == 302
    done = client.get(link, follow=True)
    assert done.redirect_chain[-1][0] == BACK
    outcome = "Chiudi la consultazione e avvia la firma: fatto per 3 obiettivi"
    assert done.content.decode().count(outcome) == 1
    again = client.get(link, follow=True)
    assert again.redirect_chain[-1][0] == BACK and outcome not in again.content.decode()


@pytest.mark.django_db
def test_the_operation_task_run_twice_closes_once(queued):
    objectives, operation = queued

    assert operations.run_operation.call(str(operation.pk)) == "done"
    assert operations.run_operation.call(str(operation.pk)) == "already run"  # a retry, a second worker
    assert SignedDocument.objects.count() == 1
    assert {fresh(o).state for o in objectives} == {State.SIGNATURE}


@pytest.mark.django_db
def test_a_refusal_in_the_background_changes_nothing_and_says_why(client, queued):
    objectives, operation = queued
    # meanwhile someone else changed one of them: the page's version is stale
    Objective.objects.filter(pk=objectives[1].pk).update(lock_version=fresh(objectives[1]).lock_version + 1)

    assert operations.run_operation.call(str(operation.pk)) == "refused"

    operation.refresh_from_db()
    assert operation.status == OperationStatus.FAILED and objectives[1].code in operation.message
    assert {fresh(o).state for o in objectives} == {State.UNION_CONSULTATION}
    assert not SignedDocument.objects.exists()
    page = client.get(reverse("notifications:operation", args=[operation.pk]), follow=True)
    assert page.redirect_chain[-1][0] == BACK
    assert "alert-danger" in page.content.decode() and objectives[1].code in page.content.decode()


@pytest.mark.django_db
def test_an_unexpected_error_fails_the_operation_and_tells_the_segreteria(
    client, people, monkeypatch, queued
):
    _objectives, operation = queued

    def broken(**kwargs):
        raise RuntimeError("il disco è pieno")

    monkeypatch.setattr(operations, "objectives_batch_transition", broken)
    with pytest.raises(RuntimeError):
        operations.run_operation.call(str(operation.pk))

    operation.refresh_from_db()
    assert (operation.status, operation.message) == (OperationStatus.FAILED, operations.UNEXPECTED)
    told = Notification.objects.filter(transition=operations.FAILED_EVENT)
    assert {n.recipient for n in told} == {people["segreteria"], people["segretario"]}
    assert all(operation.label in n.message for n in told)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "Operazione non riuscita" in inbox and "si è interrotta per un errore imprevisto" in inbox


@pytest.mark.django_db
def test_a_closing_that_cannot_go_through_is_refused_at_once_without_an_operation(client, plan, people):
    objectives = _in_consultation(plan, people, n=2)
    client.force_login(people["segreteria"])

    # the information period is not over: closing now needs a reason
    response = client.post(BATCH, _post(objectives, early_reason=""))

    assert response.status_code in (400, 409) and not Operation.objects.exists()
    assert "alert-danger" in response.content.decode()
    assert {fresh(o).state for o in objectives} == {State.UNION_CONSULTATION}


@pytest.mark.django_db
def test_only_who_started_an_operation_sees_it(client, people, queued):
    _objectives, operation = queued

    client.force_login(people["segretario"])
    assert client.get(reverse("notifications:operation", args=[operation.pk])).status_code == 404
    assert client.get(reverse("notifications:operation_status", args=[operation.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("notifications:operation_status", args=[operation.pk])).status_code == 401


@pytest.mark.django_db
def test_the_batch_page_leads_back_to_a_running_operation(client, people, queued):
    _objectives, operation = queued
    link = reverse("notifications:operation", args=[operation.pk])

    assert link in client.get(BATCH).content.decode()
    client.force_login(people["segretario"])  # someone else's operation is not listed
    assert link not in client.get(BATCH).content.decode()
    Operation.objects.filter(pk=operation.pk).update(status=OperationStatus.DONE)
    client.force_login(people["segreteria"])
    assert link not in client.get(BATCH).content.decode()  # over: its outcome was shown
