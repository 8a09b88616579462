"""Permission-filtered reads. Views fetch objectives only through these, so none can forget the check."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from guardian.shortcuts import get_objects_for_user, get_users_with_perms

from . import access
from .access import READ_ALL_ROLES
from .models import (
    UNION_VISIBLE_STATES,
    Body,
    Membership,
    MonitoringPeriod,
    Objective,
    Plan,
    ProgressReport,
    Relazione,
    Role,
    State,
)


def _memberships(user):
    return Membership.objects.filter(user=user)


def objectives_visible_to(user, body: Body | None = None) -> QuerySet[Objective]:
    """Every objective ``user`` may see, optionally in one body. Never uses DISTINCT (rows can be locked)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Objective.objects.none()
    members = _memberships(user)
    if body is not None:
        members = members.filter(body=body)
    read_all = members.filter(role__in=READ_ALL_ROLES).values("body_id")
    union = members.filter(role=Role.SINDACATO).values("body_id")
    funzionario = members.filter(role=Role.FUNZIONARIO).values("body_id")
    delegated = get_objects_for_user(
        user, "workflow.change_objective", klass=Objective, accept_global_perms=False, with_superuser=False
    ).values("pk")
    condition = (
        Q(plan__body_id__in=read_all)
        | Q(plan__body_id__in=union, state__in=UNION_VISIBLE_STATES)
        | Q(plan__body_id__in=funzionario, pk__in=delegated, state=State.DRAFTING)
    )
    return Objective.objects.filter(condition)


def objective_get(user, pk) -> Objective:
    """One visible objective with what its page needs; raises Objective.DoesNotExist otherwise."""
    return (
        objectives_visible_to(user)
        .select_related("plan__body", "strategic_objective", "responsible", "updated_by")
        .get(pk=pk)
    )


def objective_list(
    user, body: Body, *, plan=None, state=None, strategic=None, center=None, responsible=None, text=None
) -> QuerySet[Objective]:
    qs = objectives_visible_to(user, body).select_related("plan", "strategic_objective", "responsible")
    if plan:
        qs = qs.filter(plan=plan)
    if state:
        qs = qs.filter(state=state)
    if strategic:
        qs = qs.filter(strategic_objective_id=strategic)
    if center:
        qs = qs.filter(responsibility_center=center)
    if responsible:
        qs = qs.filter(responsible_id=responsible)
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(code__icontains=text) | Q(purpose__icontains=text))
    return qs.order_by("plan__year", "code")


def counts_whole_body(user, body: Body) -> bool:
    """An amministratore opens no objective, but the dashboard tells them how the body's plan stands."""
    roles = access.roles_in(user, body)  # read once per request
    return user.is_active and Role.AMMINISTRATORE in roles and not roles & READ_ALL_ROLES


def state_counts(user, body: Body, plan: Plan | None = None) -> dict[str, int]:
    """How many objectives are in each state: those ``user`` may see, or all of the body's (numbers only)
    for its amministratore."""
    if counts_whole_body(user, body):
        objectives = Objective.objects.filter(plan__body=body)
    else:
        objectives = objectives_visible_to(user, body)
    if plan is not None:
        objectives = objectives.filter(plan=plan)
    rows = objectives.values("state").annotate(n=Count("pk")).order_by()
    counts = {s.value: 0 for s in State}
    counts.update({r["state"]: r["n"] for r in rows})
    return counts


def plans_of(body: Body) -> QuerySet[Plan]:
    return Plan.objects.filter(body=body).order_by("-year")


def users_with_role(body: Body, role: str):
    return (
        get_user_model()
        .objects.filter(memberships__body=body, memberships__role=role, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


def responsibility_centers(user, body: Body) -> list[str]:
    return sorted(
        set(
            objectives_visible_to(user, body)
            .exclude(responsibility_center="")
            .values_list("responsibility_center", flat=True)
        )
    )


def delegates_of(objective: Objective):
    """Funzionari holding edit rights on ``objective`` through a delegation (one query)."""
    users = get_users_with_perms(objective, only_with_perms_in=["change_objective"], with_superusers=False)
    funzionari = Membership.objects.filter(body_id=objective.plan.body_id, role=Role.FUNZIONARIO)
    return list(users.filter(pk__in=funzionari.values("user_id")))


# -- the monitoring -------------------------------------------------------------------------------------
def reports_visible_to(user, body: Body | None = None) -> QuerySet[ProgressReport]:
    """Every progress report ``user`` may see: in a body where they read every objective (dirigenti,
    Segreteria, NIV/OIV), and those of the objectives delegated to them. Union representatives and
    citizens see none: a report is internal until the Relazione is published. Never DISTINCT."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ProgressReport.objects.none()
    members = _memberships(user)
    if body is not None:
        members = members.filter(body=body)
    read_all = members.filter(role__in=READ_ALL_ROLES).values("body_id")
    funzionario = members.filter(role=Role.FUNZIONARIO).values("body_id")
    delegated = get_objects_for_user(
        user, "workflow.change_objective", klass=Objective, accept_global_perms=False, with_superuser=False
    ).values("pk")
    condition = Q(objective__plan__body_id__in=read_all) | Q(
        objective__plan__body_id__in=funzionario, objective_id__in=delegated
    )
    return ProgressReport.objects.filter(condition)


def relazioni_visible_to(user, body: Body | None = None) -> QuerySet[Relazione]:
    """Every Relazione sulla performance ``user`` may see before it is published: in a body where they read
    every objective (dirigenti, Segreteria, NIV/OIV). Others read only what is published, on the public
    pages."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Relazione.objects.none()
    members = _memberships(user)
    if body is not None:
        members = members.filter(body=body)
    read_all = members.filter(role__in=READ_ALL_ROLES).values("body_id")
    return Relazione.objects.filter(plan__body_id__in=read_all)


def report_get(user, pk) -> ProgressReport:
    """One visible report with what its page needs; raises ProgressReport.DoesNotExist otherwise."""
    return (
        reports_visible_to(user)
        .select_related(
            "objective__plan__body", "objective__strategic_objective", "objective__responsible", "period"
        )
        .get(pk=pk)
    )


def periods_of(plan: Plan) -> QuerySet[MonitoringPeriod]:
    return plan.monitoring_periods.order_by("reference_date", "pk")
