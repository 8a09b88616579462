"""Read models: the workflow data the two heaviest pages show, read in a number of queries that does not
grow with what the page lists (drafts on the dashboard; phases, indicators, delegates on the objective).

The rights answered here are the ones of ``workflow.access`` (``is_responsible``, ``can_edit``,
``can_delegate``), computed for many objectives in one query instead of a ``has_perm`` per objective.
The pages themselves (with what ``approvals``, ``audit`` and ``flows`` add) are assembled in
``workflow.views.page_models``: this module, like the rest of ``workflow``, imports no other app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from . import access, selectors
from .models import DupLink, Indicator, Membership, Objective, Phase, Role, State

_EDITORS = frozenset({Role.DIRIGENTE, Role.FUNZIONARIO})  # the roles that may hold a draft's edit rights
HISTORY_SHOWN = 50  # the objective page lists the latest saves; the auditors' versions page has them all


def _holding(user, perm: str) -> QuerySet[Objective]:
    """The ids of the objectives on which ``user`` holds the object permission ``perm``, directly or through
    a group: a subquery, evaluated inside the query that uses it."""
    return get_objects_for_user(
        user, perm, klass=Objective, accept_global_perms=False, with_superuser=False
    ).values("pk")


def _bodies_where(user, role: str) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, role=role).values("body_id")


def _responsible(user) -> Q:
    """``access.is_responsible`` as a condition on objectives (for an active, authenticated ``user``)."""
    condition = Q(plan__body_id__in=_bodies_where(user, Role.DIRIGENTE))
    if not user.is_superuser:  # a superuser answers for every objective of a body where they are Dirigente
        condition &= Q(responsible=user)
    return condition


def _delegate(user) -> Q:
    """``access.is_delegate`` as a condition on objectives (for an active, authenticated ``user``)."""
    if user.is_superuser:
        return Q(pk__in=[])  # holding every permission, a superuser is never only a delegate
    return Q(
        plan__body_id__in=_bodies_where(user, Role.FUNZIONARIO),
        pk__in=_holding(user, "workflow.change_objective"),
    ) & ~Q(responsible=user, plan__body_id__in=_bodies_where(user, Role.DIRIGENTE))


def _active(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def objectives_managed_by(user, objectives: QuerySet[Objective]) -> QuerySet[Objective]:
    """The objectives among ``objectives`` of which ``user`` is the responsible dirigente: a Dirigente of
    the objective's body whom the objective names (``access.is_responsible``), read in
    the one query that reads them."""
    return objectives.filter(_responsible(user)) if _active(user) else objectives.none()


def drafts_editable_by(user, objectives: QuerySet[Objective]) -> QuerySet[Objective]:
    """The drafts among ``objectives`` that ``user`` may edit (``access.can_edit``): as their responsible
    dirigente, or as a funzionario the draft was delegated to. One query whatever their number."""
    if not _active(user):
        return objectives.none()
    return objectives.filter(Q(state=State.DRAFTING) & (_responsible(user) | _delegate(user)))


def _rights(user, objective: Objective) -> tuple[bool, bool]:
    """(``access.can_edit``, ``access.can_delegate``) for one objective, in at most two queries."""
    if objective.state != State.DRAFTING or not access.roles_in(user, objective.plan.body_id) & _EDITORS:
        return False, False
    one = Objective.objects.filter(pk=objective.pk)
    if objectives_managed_by(user, one).exists():
        return True, True  # the responsible dirigente edits the draft and delegates it
    return drafts_editable_by(user, one).exists(), False


@dataclass(frozen=True)
class ObjectiveContent:
    """What the objective page shows of the objective's own data, and what ``user`` may do with it."""

    objective: Objective
    phases: list[Phase]
    indicators: list[Indicator]
    dup_links: list[DupLink]
    history: list[Any]  # the latest saves (historical records), newest first; empty when not shown
    can_edit: bool
    can_delegate: bool
    delegates: list[Any]  # the funzionari the draft is delegated to
    delegate_candidates: QuerySet | None  # the body's other funzionari, when ``user`` may delegate
    responsible_candidates: QuerySet | None  # the body's dirigenti, when ``user`` may assign the draft


def objective_content(user, objective: Objective, *, with_history: bool) -> ObjectiveContent:
    """The content of one objective ``user`` may see (fetched through ``selectors.objective_get``), with
    ``with_history`` the latest saves as well (whoever reads the internal record)."""
    body = objective.plan.body
    can_edit, can_delegate = _rights(user, objective)
    delegates = selectors.delegates_of(objective)
    history = (
        list(objective.history.select_related("history_user").order_by("-history_date")[:HISTORY_SHOWN])
        if with_history
        else []
    )
    return ObjectiveContent(
        objective=objective,
        phases=list(objective.phases.all()),
        indicators=list(objective.indicators.all()),
        dup_links=list(objective.dup_links.all()),
        history=history,
        can_edit=can_edit,
        can_delegate=can_delegate,
        delegates=delegates,
        delegate_candidates=(
            selectors.users_with_role(body, Role.FUNZIONARIO).exclude(pk__in=[u.pk for u in delegates])
            if can_delegate
            else None
        ),
        responsible_candidates=(
            selectors.users_with_role(body, Role.DIRIGENTE)
            if objective.state == State.DRAFTING and access.is_segreteria(user, body)
            else None
        ),
    )
