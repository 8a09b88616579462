import pytest
from django.urls import reverse

from workflow.models import Plan, StrategicObjective

pytestmark = pytest.mark.django_db


def test_segreteria_creates_the_plan_from_the_page(client, body, people):
    client.force_login(people["segreteria"])
    assert "Crea il piano" in client.get(reverse("workflow:dashboard")).content.decode()
    response = client.post(reverse("workflow:plan_create"), {"year": "2024", "deadline": "2024-01-31"})
    assert response.status_code == 302
    plan = Plan.objects.get(body=body, year=2024)
    assert plan.triennium == "2024-2026"
    response = client.post(
        reverse("workflow:plan_detail", args=[2024]),
        {"code": "2024_OS01", "title": "Valorizzazione della struttura", "purposes": "- Prima\n- Seconda\n"},
    )
    assert response.status_code == 302
    assert StrategicObjective.objects.get(plan=plan).purposes == ["Prima", "Seconda"]


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(client, plan, people):
    client.force_login(people["segreteria"])
    response = client.post(reverse("workflow:plan_create"), {"year": str(plan.year)})
    assert response.status_code == 400
    assert f"Esiste già il piano {plan.year}" in response.content.decode()
    response = client.post(
        reverse("workflow:plan_detail", args=[plan.year]), {"code": "2022_OS01", "title": "X"}
    )
    assert response.status_code == 400
    assert "Il codice deve iniziare con l&#x27;anno del piano" in response.content.decode()
    assert not StrategicObjective.objects.filter(code="2022_OS01").exists()


@pytest.mark.parametrize("who", ["dirigente_satta", "revisore", "sindacato"])
def test_others_read_the_plan_but_cannot_add_to_it(client, plan, draft, people, who):
    client.force_login(people[who])
    page = client.get(reverse("workflow:plan_detail", args=[plan.year]))
    assert page.status_code == 200
    assert "Aggiungi un obiettivo strategico" not in page.content.decode()
    # the union representative does not see a draft in the plan either
    assert (draft.code in page.content.decode()) is (who != "sindacato")
    assert (
        client.post(
            reverse("workflow:plan_detail", args=[plan.year]), {"code": "2023_OS09", "title": "X"}
        ).status_code
        == 403
    )
    assert client.post(reverse("workflow:plan_create"), {"year": "2030"}).status_code == 403
    assert not StrategicObjective.objects.filter(code="2023_OS09").exists()


def test_another_bodys_plan_is_not_found(client, plan, other_body, people):
    from tests.factories import PlanFactory, Role, member

    PlanFactory(body=other_body, year=2031, triennium="2031-2033")
    client.force_login(people["segreteria"])
    assert client.get(reverse("workflow:plan_detail", args=[2031])).status_code == 404
    outsider = member("segreteria_crema", other_body, Role.SEGRETERIA)
    client.force_login(outsider)
    assert client.get(reverse("workflow:plan_detail", args=[plan.year])).status_code == 404
