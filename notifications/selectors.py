"""Reads of one person's notifications. Every function takes the person: nobody reads another's inbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format

from workflow.selectors import objectives_visible_to

from . import rules
from .models import EmailPreference, Notification, Operation, OperationStatus

FEED_LIMIT = 50

# How the inbox groups notifications: by the day they arrived (the default) or by their objective.
BY_DAY = "giorno"
BY_OBJECTIVE = "obiettivo"
GROUPINGS = {BY_DAY: "Per giorno", BY_OBJECTIVE: "Per obiettivo"}
NO_OBJECTIVE = "nessuno"  # the key of the group of notifications about no objective
_MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class GroupKey:
    """One group of the inbox: a day (local time), or an objective (``None``: no objective)."""

    grouping: str
    day: dt.date | None = None
    objective_id: int | None = None

    @classmethod
    def parse(cls, grouping: str, key: str) -> GroupKey:
        """The group a form names; ValueError for anything else."""
        if grouping == BY_DAY:
            return cls(grouping, day=dt.date.fromisoformat(key))
        if grouping == BY_OBJECTIVE:
            if key == NO_OBJECTIVE:
                return cls(grouping)
            if key.isascii() and key.isdigit() and 0 < int(key) <= _MAX_ID:
                return cls(grouping, objective_id=int(key))
        raise ValueError(key)

    @property
    def key(self) -> str:
        if self.grouping == BY_DAY:
            return self.day.isoformat()  # type: ignore[union-attr]
        return NO_OBJECTIVE if self.objective_id is None else str(self.objective_id)

    def q(self) -> Q:
        if self.grouping == BY_DAY:
            return Q(created__date=self.day)
        return Q(objective__isnull=True) if self.objective_id is None else Q(objective_id=self.objective_id)


@dataclass
class InboxGroup:
    key: GroupKey
    label: str
    notifications: list = field(default_factory=list)
    unread: int = 0  # all of the group's unread notifications of the kind shown, on this page or not


def kind_q(kind: str) -> Q:
    """The notifications of one kind (``reminder`` takes every ``reminder.<...>`` event)."""
    return Q(transition=kind) | Q(transition__startswith=f"{kind}.")


def inbox(user, *, unread_only: bool = False, kind: str = "", grouping: str = "") -> QuerySet[Notification]:
    """``user``'s notifications, newest first; with a grouping, each group's notifications together."""
    qs = Notification.objects.filter(recipient=user).select_related("actor", "objective").order_by("-id")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if kind:
        qs = qs.filter(kind_q(kind))
    if grouping == BY_DAY:
        qs = qs.order_by("-created", "-id")
    elif grouping == BY_OBJECTIVE:
        # the objectives by their newest notification; those about no objective last
        newest = Notification.objects.filter(recipient=user, objective=OuterRef("objective")).order_by("-id")
        qs = qs.annotate(newest=Subquery(newest.values("id")[:1])).order_by(
            F("newest").desc(nulls_last=True), "-id"
        )
    return qs


def kinds_of(user) -> list[tuple[str, str]]:
    """The kinds of notification ``user`` has received, as (kind, label), by label."""
    events = Notification.objects.filter(recipient=user).values_list("transition", flat=True).distinct()
    kinds = {rules.kind_of(e) for e in events}
    return sorted(((k, rules.kind_label(k)) for k in kinds), key=lambda item: item[1])


def _day_label(day: dt.date) -> str:
    text = date_format(day, "l j F Y")
    today = timezone.localdate()
    if day == today:
        return f"Oggi, {text}"
    if day == today - dt.timedelta(days=1):
        return f"Ieri, {text}"
    return text[:1].upper() + text[1:]


def _objective_label(notification, visible: set[int]) -> str:
    objective = notification.objective
    if objective is None:
        return "Senza obiettivo"
    if objective.pk in visible:
        return f"Obiettivo {objective.code} – {objective.title}"
    return f"Obiettivo {objective.code}"


def inbox_groups(user, notifications, *, grouping: str, kind: str = "") -> list[InboxGroup]:
    """The notifications of one page of the inbox (ordered by ``inbox`` with the same grouping) in their
    groups, each with its label and its count of unread notifications, also those on other pages."""
    groups: dict[GroupKey, InboxGroup] = {}
    visible = visible_objective_ids(user, {n.objective_id for n in notifications})
    for n in notifications:
        if grouping == BY_DAY:
            day = timezone.localdate(n.created)
            key, label = GroupKey(grouping, day=day), _day_label(day)
        else:
            key, label = GroupKey(grouping, objective_id=n.objective_id), _objective_label(n, visible)
        groups.setdefault(key, InboxGroup(key=key, label=label)).notifications.append(n)
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if kind:
        unread = unread.filter(kind_q(kind))
    if grouping == BY_DAY:
        counts = dict(
            unread.annotate(day=TruncDate("created"))
            .filter(day__in=[k.day for k in groups])
            .values_list("day")
            .annotate(n=Count("pk"))
        )
        for key, group in groups.items():
            group.unread = counts.get(key.day, 0)
    else:
        ids = [k.objective_id for k in groups]
        counts = dict(
            unread.filter(Q(objective_id__in=[i for i in ids if i]) | Q(objective__isnull=True))
            .values_list("objective_id")
            .annotate(n=Count("pk"))
        )
        for key, group in groups.items():
            group.unread = counts.get(key.objective_id, 0)
    return list(groups.values())


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


def operation_of(user, pk) -> Operation:
    """An operation ``user`` started (Operation.DoesNotExist for anyone else's, or an unknown id)."""
    if not user.is_authenticated:
        raise Operation.DoesNotExist
    return Operation.objects.get(pk=pk, started_by=user)


def operations_running(user, body) -> list[Operation]:
    """The operations ``user`` started in ``body`` that are not over, newest first: the batch page links
    them, so a page left while one ran leads back to it."""
    over = (OperationStatus.DONE, OperationStatus.FAILED)
    rows = Operation.objects.filter(started_by=user, body=body).exclude(status__in=over).order_by("-created")
    return list(rows[:10])
