"""The year's plan and its strategic objectives, created by the Segreteria Generale."""

from __future__ import annotations

from django.db import IntegrityError, transaction

import audit.services as audit
from workflow import access
from workflow.models import Plan, StrategicObjective

from .. import errors

PLAN_FORBIDDEN = "Solo la Segreteria Generale può creare i piani e gli obiettivi strategici dell'ente."
PLAN_EXISTS = "Esiste già il piano {year} per questo ente."
STRATEGIC_EXISTS = "Esiste già l'obiettivo strategico «{code}» in questo piano."


def plan_create(*, by, body, year: int, triennium: str, deadline=None) -> Plan:
    if not access.is_segreteria(by, body):
        raise errors.Forbidden(PLAN_FORBIDDEN)
    try:
        with transaction.atomic():
            plan = Plan.objects.create(body=body, year=year, triennium=triennium, deadline=deadline)
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
