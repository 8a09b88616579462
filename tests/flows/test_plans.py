import datetime as dt

import pytest

from audit.models import AuditEntry
from flows import errors
from flows.services.plans import PLAN_EXISTS, STRATEGIC_EXISTS, plan_create, strategic_objective_create
from workflow.models import Plan, StrategicObjective

pytestmark = pytest.mark.django_db


def test_segreteria_creates_a_plan_and_its_strategic_objectives(body, people):
    plan = plan_create(
        by=people["segreteria"], body=body, year=2024, triennium="2024-2026", deadline=dt.date(2024, 1, 31)
    )
    strategic = strategic_objective_create(
        by=people["segretario"], plan=plan, code="2024_OS01", title="Valorizzazione", purposes=["Uno", "Due"]
    )
    assert (plan.year, plan.triennium, strategic.purposes) == (2024, "2024-2026", ["Uno", "Due"])
    assert list(AuditEntry.objects.values_list("action", flat=True))[-2:] == [
        "plan.create",
        "strategic_objective.create",
    ]


@pytest.mark.parametrize(
    "who", ["dirigente_satta", "funzionario_bianchi", "revisore", "sindacato", "amministratore"]
)
def test_only_the_segreteria_creates_plans(body, people, who):
    with pytest.raises(errors.Forbidden):
        plan_create(by=people[who], body=body, year=2024, triennium="2024-2026")
    assert not Plan.objects.filter(year=2024).exists()


def test_segreteria_of_another_body_cannot_create_here(body, other_body, people):
    from tests.factories import Role, member

    outsider = member("segreteria_crema", other_body, Role.SEGRETERIA)
    with pytest.raises(errors.Forbidden):
        plan_create(by=outsider, body=body, year=2024, triennium="2024-2026")


def test_a_second_plan_for_the_same_year_is_refused(plan, people):
    with pytest.raises(errors.InvalidInput) as exc:
        plan_create(by=people["segreteria"], body=plan.body, year=plan.year, triennium="2023-2025")
    assert exc.value.message == PLAN_EXISTS.format(year=plan.year)
    assert Plan.objects.filter(body=plan.body, year=plan.year).count() == 1


def test_a_duplicate_strategic_code_is_refused(plan, people):
    strategic_objective_create(by=people["segreteria"], plan=plan, code="2023_OS02", title="A", purposes=[])
    with pytest.raises(errors.InvalidInput) as exc:
        strategic_objective_create(
            by=people["segreteria"], plan=plan, code="2023_OS02", title="B", purposes=[]
        )
    assert exc.value.message == STRATEGIC_EXISTS.format(code="2023_OS02")
    assert StrategicObjective.objects.get(plan=plan, code="2023_OS02").title == "A"
