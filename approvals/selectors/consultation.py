"""Reads over the union consultation: the information, its deadlines, the requests for confronto, the
meetings and the observation threads.

The dates (request window, information period, limit of the confronto) come from
approvals.consultation_dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from workflow import access
from workflow.models import Membership, Objective, Role, State

from .. import consultation_dates as dates
from ..models import ConfrontoRequest, ConsultationOutcome, Meeting, Observation, StepRecord, UnionInformation

# Who may read an information and its records: its body's union representatives and everyone who reads
# all of the body's objectives (dirigenti, Segreteria, Segretario, auditors).
READERS = access.READ_ALL_ROLES | {Role.SINDACATO}


def request_deadline(sent_at: dt.datetime, body) -> dt.datetime:
    return dates.request_window_end(sent_at, body)


def request_open(information: UnionInformation, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) <= information.request_until


def information_period_end(information: UnionInformation) -> dt.datetime:
    """When closing without a confronto stops needing a reason: the end of the information period, or of
    the window to request a confronto if that ends later (closing must not cut a request off)."""
    return dates.information_period_end(information.sent_at, information.body, information.request_until)


def is_union_rep(user, body_id: int) -> bool:
    return Role.SINDACATO in access.roles_in(user, body_id)


def union_reps_of(body_id: int):
    return (
        get_user_model()
        .objects.filter(memberships__body_id=body_id, memberships__role=Role.SINDACATO, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def sees_internal(user, body_id: int) -> bool:
    """Whether ``user`` may read the internal record of an objective (step comments, return reasons, the
    history of saves). A union representative reads only what the consultation shows them."""
    roles = access.roles_in(user, body_id)
    return bool(roles - {Role.SINDACATO}) or not roles


# -- the information --------------------------------------------------------------------------------------
def informations_visible_to(user, body=None) -> QuerySet[UnionInformation]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return UnionInformation.objects.none()
    bodies = Membership.objects.filter(user=user, role__in=READERS)
    if body is not None:
        bodies = bodies.filter(body=body)
    return UnionInformation.objects.filter(body_id__in=bodies.values("body_id"))


def information_get(user, pk) -> UnionInformation:
    """One information ``user`` may read; UnionInformation.DoesNotExist otherwise."""
    return informations_visible_to(user).select_related("body", "sent_by").get(pk=pk)


def current_information(objective) -> UnionInformation | None:
    """The information of the objective's latest consultation (the one in progress, if any)."""
    return (
        UnionInformation.objects.filter(objectives=objective)
        .select_related("body")
        .order_by("-sent_at", "-id")
        .first()
    )


def open_objectives(information: UnionInformation) -> QuerySet[Objective]:
    """The objectives of the information still in consultation."""
    return information.objectives.filter(state=State.UNION_CONSULTATION).order_by("code")


def confronto_requested(information: UnionInformation | None) -> bool:
    return information is not None and information.requests.exists()


def first_request(information: UnionInformation) -> ConfrontoRequest | None:
    return information.requests.order_by("at", "id").first()


@dataclass
class Countdown:
    """The limit of the confronto: ``union_confronto_days`` from the first request."""

    deadline: dt.datetime
    days_left: int  # negative once overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return max(-self.days_left, 0)


def confronto_countdown(information: UnionInformation, today: dt.date | None = None) -> Countdown | None:
    first = first_request(information)
    if first is None:
        return None
    deadline = dates.confronto_limit(first.at, information.body)
    today = today or timezone.localdate()
    return Countdown(deadline=deadline, days_left=(timezone.localtime(deadline).date() - today).days)


def closing_step(objective, information: UnionInformation | None) -> StepRecord | None:
    """The ``close_consultation`` step that ended this consultation of ``objective``, if it has ended."""
    if information is None:
        return None
    return (
        StepRecord.objects.filter(
            objective=objective, transition="close_consultation", at__gte=information.sent_at
        )
        .order_by("-at", "-id")
        .first()
    )


# -- observations ----------------------------------------------------------------------------------------
@dataclass
class Thread:
    root: Observation
    replies: list[Observation] = field(default_factory=list)


def observation_threads(objective, information: UnionInformation | None) -> list[Thread]:
    """The observations on ``objective`` in this consultation, each with its answers, oldest first."""
    if information is None:
        return []
    rows = list(
        Observation.objects.filter(objective=objective, information=information)
        .select_related("author")
        .order_by("posted_at", "id")
    )
    threads: dict[int, Thread] = {}
    roots: dict[int, int] = {}  # observation id -> the id of its thread's first post
    for row in rows:
        if row.reply_to_id is None or row.reply_to_id not in roots:
            threads[row.pk] = Thread(root=row)
            roots[row.pk] = row.pk
        else:
            root = roots[row.reply_to_id]
            roots[row.pk] = root
            threads[root].replies.append(row)
    return list(threads.values())


def meetings_of(information: UnionInformation) -> QuerySet[Meeting]:
    return information.meetings.select_related("attachment", "recorded_by").order_by("held_on", "id")


def meeting_get(user, pk) -> Meeting:
    return Meeting.objects.select_related("attachment", "information").get(
        pk=pk, information__in=informations_visible_to(user)
    )


def observations_by(user, body) -> QuerySet[Observation]:
    """The observations ``user`` posted in ``body``, with the answers they received."""
    return (
        Observation.objects.filter(author=user, objective__plan__body=body, reply_to__isnull=True)
        .select_related("objective")
        .prefetch_related("replies__author")
        .order_by("-posted_at", "-id")
    )


def union_objectives(user, body) -> QuerySet[Objective]:
    """What a union representative has to read: the body's objectives in consultation."""
    if not is_union_rep(user, body.pk):
        return Objective.objects.none()
    return Objective.objects.filter(plan__body=body, state=State.UNION_CONSULTATION).order_by("code")


# -- the objective's page ------------------------------------------------------------------------------
def consultation_panel(user, objective) -> dict | None:
    """What the objective's page shows of its consultation, and which forms ``user`` gets there."""
    information = current_information(objective)
    body_id = objective.plan.body_id
    in_consultation = objective.state == State.UNION_CONSULTATION
    union = is_union_rep(user, body_id)
    answerer = access.is_responsible(user, objective) or access.is_segreteria(user, body_id)
    if information is None:
        return None
    step = closing_step(objective, information)
    return {
        "information": information,
        "requests": list(information.requests.select_related("by")),
        "meetings": list(meetings_of(information)),
        "countdown": confronto_countdown(information),
        "request_open": request_open(information),
        "threads": observation_threads(objective, information),
        "can_post": in_consultation and union,
        "can_answer": in_consultation and answerer and not union,
        "closing": step,
        "outcome_label": _outcome_label((step.data or {}).get("outcome")) if step else "",
    }


def _outcome_label(code) -> str:
    try:
        return ConsultationOutcome(code).label
    except ValueError:
        return ""
