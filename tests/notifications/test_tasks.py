"""The e-mails of a step leave through the task queue: the step's request only queues them (one task per
committed change), a worker sends them, and a task run twice sends nothing twice."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from notifications import delivery, tasks
from notifications.models import Notification
from tests.factories import ensure_role_groups
from tests.support import act

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def pushed(monkeypatch):
    sent = []
    monkeypatch.setattr(delivery, "push", lambda messages: sent.extend(messages))
    return sent


@pytest.fixture
def role_groups(transactional_db):
    """A transactional test starts from tables an earlier one flushed: the role groups come back first."""
    ensure_role_groups()


# committed for real: the worker closes its database connections between tasks, as in production
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_step_queues_its_emails_and_the_worker_sends_them(role_groups, draft, people, pushed):
    act(draft, "submit", people["dirigente_satta"])
    told = set(Notification.objects.filter(objective=draft).values_list("pk", flat=True))
    assert len(told) == 2 and pushed  # written, pushed at once...
    assert mail.outbox == []  # ...but nothing mailed by the step itself
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "notifications.tasks.email_notifications"
    assert set(queued.args_kwargs["args"][0]) == told

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert sorted(m.to[0] for m in mail.outbox) == ["segretario@example.org", "segreteria@example.org"]
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and queued.return_value == 2
    assert not Notification.objects.filter(pk__in=told, emailed_at__isnull=True).exists()


def test_the_email_task_run_twice_sends_each_notification_once(
    draft, people, pushed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the change committed, its task not run yet
        act(draft, "submit", people["dirigente_satta"])
    told = list(Notification.objects.filter(objective=draft).values_list("pk", flat=True))
    assert tasks.email_notifications.call(told) == 2
    assert tasks.email_notifications.call(told) == 0  # a retry, or a second worker: nothing again
    assert len(mail.outbox) == 2


def test_a_notification_read_before_the_task_runs_is_not_mailed(
    draft, people, pushed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        act(draft, "submit", people["dirigente_satta"])
    read = Notification.objects.get(objective=draft, recipient=people["segreteria"])
    read.read_at = read.created
    read.save(update_fields=["read_at"])
    told = list(Notification.objects.filter(objective=draft).values_list("pk", flat=True))
    assert tasks.email_notifications.call(told) == 1
    assert [m.to[0] for m in mail.outbox] == ["segretario@example.org"]
