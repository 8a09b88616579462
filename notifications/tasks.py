"""The notifications' work that runs in the task queue (settings.TASKS), out of the request that asked
for it: the e-mails of a committed change."""

from __future__ import annotations

from django_tasks import task

from .emails import send_immediate


@task()
def email_notifications(notification_ids: list[int]) -> int:
    """E-mail the notifications of one committed change to the people who want them immediately: one
    message per person. Run again (a retry, a second worker), it sends nothing twice: a notification
    already e-mailed, or read meanwhile, is left out. Returns how many notifications left."""
    return len(send_immediate(notification_ids))
