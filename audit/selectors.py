"""Permission-filtered reads of the change log.

The change log of a body is one stream, newest first, made of two parts that each read an index ending in
``sequence``: the entries recorded for the body (objectives, plans, permissions, imports, exports, the log's
own exports), and the logins, logouts and failed logins of the body's people (recorded without a body,
since a person may hold roles in several bodies: they are in the installation's chain). Pages are cut by
sequence number (keyset pagination): no OFFSET and no COUNT(*), so the deepest page of a million entries
costs what the first does.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from workflow import access
from workflow.models import Body, Membership, Role

from . import actions
from .models import INSTALLATION_CHAIN, AuditEntry

# Who reads the change log: the auditors and the Segreteria Generale of the body (DESIGN.md, "People").
LOG_ROLES = frozenset({Role.REVISORE, Role.SEGRETERIA, Role.SEGRETARIO})
# Who reads an objective's versions and the plan as of a date: those who see all of the body's objectives.
HISTORY_ROLES = access.READ_ALL_ROLES

LOG_FORBIDDEN = (
    "Il registro delle modifiche è riservato ai revisori (NIV/OIV) e alla Segreteria Generale dell'ente "
    "corrente."
)
HISTORY_FORBIDDEN = (
    "Le versioni degli obiettivi e il piano a una data sono riservati ai revisori (NIV/OIV), alla Segreteria "
    "Generale e ai dirigenti dell'ente."
)
AUTH_ACTIONS = actions.AUTH_ACTIONS
PAGE_SIZE = 50


def may_read_log(user, body: Body | None) -> bool:
    return body is not None and bool(access.roles_in(user, body) & LOG_ROLES)


def may_read_history(user, body: Body | int | None) -> bool:
    return body is not None and bool(access.roles_in(user, body) & HISTORY_ROLES)


@dataclass(frozen=True)
class LogFilters:
    """What the change log is narrowed to. ``action`` is one action, or a family ending in a dot
    (``transition.``: its actions as audit.actions declares them); dates are whole days in local time,
    both included."""

    plan_id: int | None = None
    objective_id: int | None = None
    actor_id: int | None = None
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    def as_data(self) -> dict:
        return {
            "plan": self.plan_id,
            "objective": self.objective_id,
            "actor": self.actor_id,
            "action": self.action,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _action_filter(qs: QuerySet, action: str) -> QuerySet:
    return qs.filter(action__in=actions.codes_for(action)) if action else qs


def _member_ids(body: Body) -> list[str]:
    return sorted({str(pk) for pk in Membership.objects.filter(body=body).values_list("user_id", flat=True)})


def _streams(user, body: Body, f: LogFilters) -> list[QuerySet]:
    """The parts of ``body``'s change log that match ``f`` (none for someone who may not read it)."""
    if not may_read_log(user, body):
        return []
    entries = AuditEntry.objects.filter(body_id=body.pk)
    auth_wanted = (
        f.plan_id is None
        and f.objective_id is None
        and (not f.action or bool(set(actions.codes_for(f.action)) & set(AUTH_ACTIONS)))
    )
    people = _member_ids(body) if auth_wanted else []
    if f.actor_id is not None:
        people = [p for p in people if p == str(f.actor_id)]
    auth = (
        AuditEntry.objects.filter(
            body_id__isnull=True, action__in=AUTH_ACTIONS, object_type="auth.user", object_id__in=people
        )
        if people
        else None
    )
    if f.plan_id is not None:
        entries = entries.filter(plan_id=f.plan_id)
    if f.objective_id is not None:
        entries = entries.filter(object_type="workflow.objective", object_id=str(f.objective_id))
    if f.actor_id is not None:
        entries = entries.filter(actor_id=f.actor_id)
    entries = _action_filter(entries, f.action)
    streams = [(body.pk, entries)]
    if auth is not None:
        streams.append((INSTALLATION_CHAIN, _action_filter(auth, f.action)))
    if f.since or f.until:
        bounded = []
        for chain, qs in streams:
            bounds = _sequence_bounds(chain, f.since, f.until)
            if bounds is not None:
                bounded.append(qs.filter(sequence__gte=bounds[0], sequence__lte=bounds[1]))
        return bounded
    return [qs for _, qs in streams]


def _sequence_bounds(chain: int, since: dt.date | None, until: dt.date | None) -> tuple[int, int] | None:
    """The first and last sequence numbers ``chain`` recorded between two days (None when it recorded
    nothing then). Along a chain times never go back and sequence numbers grow (audit.services), so its
    entries of those days are exactly that range: two lookups on the (chain, time) index instead of
    filtering the whole log by time."""
    entries = AuditEntry.objects.filter(chain=chain)
    if since:
        entries = entries.filter(at__gte=_day_start(since))
    if until:
        entries = entries.filter(at__lt=_day_start(until + dt.timedelta(days=1)))
    lo = entries.order_by("at", "sequence").values_list("sequence", flat=True).first()
    hi = entries.order_by("-at", "-sequence").values_list("sequence", flat=True).first()
    return None if lo is None else (lo, hi)


@dataclass
class LogPage:
    entries: list[AuditEntry] = field(default_factory=list)
    newer: int | None = None  # the cursor of the page before (``prima``), None on the first page
    older: int | None = None  # the cursor of the page after (``dopo``), None on the last page

    @property
    def first_sequence(self):
        return self.entries[0].sequence if self.entries else None

    @property
    def last_sequence(self):
        return self.entries[-1].sequence if self.entries else None


def change_log_page(
    user,
    body: Body,
    filters: LogFilters,
    *,
    after: int | None = None,
    before: int | None = None,
    size: int = PAGE_SIZE,
) -> LogPage:
    """One page of the change log, newest first: the ``size`` entries older than sequence ``after``, or
    those newer than ``before`` (``before=0``: the oldest page), or the newest. A fixed number of
    queries, each an index range scan, whatever the length of the log."""
    streams = _streams(user, body, filters)
    if not streams:
        return LogPage()
    columns = (
        "sequence",
        "at",
        "actor_id",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "body_id",
        "plan_id",
        "payload",
    )
    if before is not None:
        rows = heapq.nsmallest(
            size + 1,
            (
                e
                for qs in streams
                for e in qs.filter(sequence__gt=before).order_by("sequence").only(*columns)[: size + 1]
            ),
            key=lambda e: e.sequence,
        )
        has_newer = len(rows) > size
        entries = list(reversed(rows[:size]))
        has_older = bool(entries) and any(
            qs.filter(sequence__lt=entries[-1].sequence).exists() for qs in streams
        )
    else:
        rows = heapq.nlargest(
            size + 1,
            (
                e
                for qs in streams
                for e in (qs.filter(sequence__lt=after) if after is not None else qs)
                .order_by("-sequence")
                .only(*columns)[: size + 1]
            ),
            key=lambda e: e.sequence,
        )
        has_older = len(rows) > size
        entries = rows[:size]
        has_newer = (
            after is not None
            and bool(entries)
            and any(qs.filter(sequence__gt=entries[0].sequence).exists() for qs in streams)
        )
    page = LogPage(entries=entries)
    page.newer = page.first_sequence if has_newer else None
    page.older = page.last_sequence if has_older else None
    return page


def change_log_iter(
    user, body: Body, filters: LogFilters, *, up_to: int | None = None, chunk_size: int = 2000
) -> Iterator[AuditEntry]:
    """Every matching entry, oldest first, read in chunks (for exports of any length)."""
    streams = _streams(user, body, filters)
    if up_to is not None:
        streams = [qs.filter(sequence__lte=up_to) for qs in streams]
    iterators = [qs.order_by("sequence").iterator(chunk_size=chunk_size) for qs in streams]
    return heapq.merge(*iterators, key=lambda e: e.sequence)


def people_of(body: Body):
    """Everyone holding a role in ``body``: the choices of the change log's user filter."""
    return (
        get_user_model()
        .objects.filter(memberships__body=body)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# -- packages downloaded for the portal ---------------------------------------------------------------------
PACKAGE_DOWNLOAD = "transmission.package_download"


@dataclass(frozen=True)
class PackageDownload:
    at: dt.datetime
    objectives: frozenset[tuple[str, int]]  # (code, revision) of each objective the package held


def last_package_download(body_id: int, *, including: set[tuple[str, int]]) -> PackageDownload | None:
    """The latest package downloaded in ``body_id`` that held any of ``including``, as its evidence entry
    recorded it; None if none was. A revision of an objective is in transmission once, so its pair of code
    and revision names one pass."""
    entries = AuditEntry.objects.filter(action=PACKAGE_DOWNLOAD, body_id=body_id, object_id="")
    for entry in entries.order_by("-sequence").iterator():
        pairs = entry.payload["data"].get("objectives", [])
        held = frozenset((code, int(revision)) for code, revision in pairs)
        if held & including:
            return PackageDownload(at=entry.at, objectives=held)
    return None
