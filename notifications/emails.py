"""Notifications by e-mail: one message per person with what is new for them, immediately after the change
or once a day (the person's EmailPreference), through Django's e-mail backend."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from . import rules
from .models import EmailMode, EmailPreference, Notification

logger = logging.getLogger(__name__)

SUBJECT_LENGTH = 120


def modes_of(user_ids) -> dict[int, str]:
    """Each user's e-mail mode, the default for those who never chose."""
    chosen = dict(EmailPreference.objects.filter(user_id__in=user_ids).values_list("user_id", "mode"))
    return {pk: chosen.get(pk, EmailPreference.DEFAULT_MODE) for pk in user_ids}


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _link_name(n) -> str:
    if rules.leads_to_information(n):
        return "approvals:objective_information"  # the union information letter on the objective
    return "workflow:objective_detail"


def compose(user, notifications: list[Notification], *, digest: bool = False) -> EmailMessage:
    items = [
        {
            "when": timezone.localtime(n.created),
            "message": n.message,
            "url": _absolute(reverse(_link_name(n), args=[n.objective_id])) if n.objective_id else "",
        }
        for n in notifications
    ]
    if digest:
        count = ngettext("%(n)d notifica", "%(n)d notifiche", len(items)) % {"n": len(items)}
        subject = f"PIAO: riepilogo del {timezone.localdate():%d/%m/%Y} ({count})"
    elif len(items) == 1:
        subject = "PIAO: " + items[0]["message"]
    else:
        subject = f"PIAO: {len(items)} novità sui tuoi obiettivi"
    if len(subject) > SUBJECT_LENGTH:
        subject = subject[: SUBJECT_LENGTH - 1] + "…"
    body = render_to_string(
        "notifications/email.txt",
        {
            "name": user.get_full_name() or user.get_username(),
            "items": items,
            "digest": digest,
            "inbox_url": _absolute(reverse("notifications:inbox")),
            "profile_url": _absolute(reverse("notifications:profile")),
        },
    )
    return EmailMessage(subject=subject, body=body, to=[user.email])


def _send(batches: dict, *, digest: bool) -> list[int]:
    """Send one message per person; return the ids of the notifications that left."""
    sent: list[int] = []
    if not batches:
        return sent
    with get_connection() as connection:
        for user, items in batches.items():
            try:
                connection.send_messages([compose(user, items, digest=digest)])
            except Exception:  # one bad address or a hiccup of the server must not stop the others
                logger.exception("Notifications: e-mail to user %s failed", user.pk)
                continue
            sent.extend(n.pk for n in items)
    if sent:
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return sent


def _by_recipient(notifications) -> dict:
    batches: dict = defaultdict(list)
    users = {}
    for n in notifications:
        users.setdefault(n.recipient_id, n.recipient)
        batches[users[n.recipient_id]].append(n)
    return batches


def send_immediate(notification_ids: list[int]) -> list[int]:
    """E-mail the given notifications now to the people who want them immediately. The rows are claimed
    for the time of the sending (locked, skipped by a second run of the same task on PostgreSQL; on SQLite
    the write transaction serialises the runs) and marked e-mailed in the same transaction, so two runs
    never send one notification twice."""
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=notification_ids, emailed_at__isnull=True, read_at__isnull=True)
            .exclude(recipient__email="")
            .select_related("recipient")
            .order_by("id")
        )
        modes = modes_of({n.recipient_id for n in pending})
        wanted = [n for n in pending if modes[n.recipient_id] == EmailMode.IMMEDIATE]
        return _send(_by_recipient(wanted), digest=False)


def send_digest() -> tuple[int, int]:
    """The daily digest: each person who chose it receives their unread notifications not yet e-mailed.
    Returns (messages sent, notifications in them). Running it twice sends nothing the second time."""
    pending = list(
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "id")
    )
    modes = modes_of({n.recipient_id for n in pending})
    wanted = [n for n in pending if modes[n.recipient_id] == EmailMode.DAILY]
    batches = _by_recipient(wanted)
    sent = _send(batches, digest=True)
    people = {n.recipient_id for n in wanted if n.pk in set(sent)}
    return len(people), len(sent)
