"""Reads of one person's notifications. Every function takes the person: nobody reads another's inbox."""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet

from workflow.selectors import objectives_visible_to

from .models import EmailPreference, Notification

FEED_LIMIT = 50


def inbox(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user).select_related("actor", "objective").order_by("-id")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def inbox_summary(user) -> dict:
    """The header's figures in one query: unread count and the newest notification's id."""
    if not getattr(user, "is_authenticated", False):
        return {"unread": 0, "last_id": 0}
    row = Notification.objects.filter(recipient=user).aggregate(
        unread=Count("pk", filter=Q(read_at__isnull=True)), last_id=Max("pk")
    )
    return {"unread": row["unread"] or 0, "last_id": row["last_id"] or 0}


def notifications_after(user, after_id: int, *, limit: int = FEED_LIMIT) -> list[Notification]:
    """``user``'s notifications newer than ``after_id``, oldest first (the newest ``limit`` of them)."""
    newest = list(inbox(user).filter(pk__gt=after_id)[:limit])
    return newest[::-1]


def visible_objective_ids(user, objective_ids) -> set[int]:
    """Which of these objectives ``user`` may open now (a notification stays, access may not)."""
    ids = {i for i in objective_ids if i}
    if not ids:
        return set()
    return set(objectives_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def email_mode_of(user) -> str:
    return (
        EmailPreference.objects.filter(user=user).values_list("mode", flat=True).first()
        or EmailPreference.DEFAULT_MODE
    )
