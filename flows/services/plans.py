"""The year's plan and its strategic objectives, created by the Segreteria Generale."""

from __future__ import annotations

from django.db import IntegrityError, transaction

import audit.services as audit
from workflow import access
from workflow.models import MonitoringPeriod, Plan, StrategicObjective

from .. import errors
from .common import save_with_history
from .monitoring import default_periods

PLAN_FORBIDDEN = "Solo la Segreteria Generale può creare i piani e gli obiettivi strategici dell'ente."
PLAN_EXISTS = "Esiste già il piano {year} per questo ente."
STRATEGIC_EXISTS = "Esiste già l'obiettivo strategico «{code}» in questo piano."
DEADLINE_FORBIDDEN = "Solo la Segreteria Generale può cambiare la scadenza di adozione del piano."


def plan_create(*, by, body, year: int, triennium: str, deadline=None) -> Plan:
    if not access.is_segreteria(by, body):
        raise errors.Forbidden(PLAN_FORBIDDEN)
    try:
        with transaction.atomic():
            plan = Plan.objects.create(body=body, year=year, triennium=triennium, deadline=deadline)
            for values in default_periods(year):
                save_with_history(MonitoringPeriod(plan=plan, **values), by=by, reason="Periodo predefinito")
            audit.record(
                action="plan.create",
                by=by,
                obj=plan,
                body_id=body.pk,
                data={"year": year, "triennium": triennium, "deadline": deadline},
            )
    except IntegrityError as exc:
        raise errors.InvalidInput(PLAN_EXISTS.format(year=year)) from exc
    return plan


def strategic_objective_create(
    *, by, plan: Plan, code: str, title: str, purposes: list[str]
) -> StrategicObjective:
    if not access.is_segreteria(by, plan.body):
        raise errors.Forbidden(PLAN_FORBIDDEN)
    try:
        with transaction.atomic():
            strategic = StrategicObjective.objects.create(
                plan=plan, code=code, title=title, purposes=purposes
            )
            audit.record(
                action="strategic_objective.create",
                by=by,
                obj=strategic,
                body_id=plan.body_id,
                data={"plan": plan.year, "code": code, "title": title, "purposes": purposes},
            )
    except IntegrityError as exc:
        raise errors.InvalidInput(STRATEGIC_EXISTS.format(code=code)) from exc
    return strategic


def plan_deadline_set(*, by, plan_id: int, deadline) -> Plan:
    """Set the plan's adoption deadline (it moves with the budget's); ``None`` goes back to 31 January."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("body").get(pk=plan_id)
        if not access.is_segreteria(by, plan.body):
            raise errors.Forbidden(DEADLINE_FORBIDDEN)
        before = plan.deadline
        if before == deadline:
            return plan
        plan.deadline = deadline
        plan.save(update_fields=["deadline"])
        audit.record(
            action="plan.deadline",
            by=by,
            obj=plan,
            body_id=plan.body_id,
            data={
                "year": plan.year,
                "from": before.isoformat() if before else None,
                "to": deadline.isoformat() if deadline else None,
            },
        )
    return plan
