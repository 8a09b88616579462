import re

import pytest
from django.urls import reverse

from tests.factories import ObjectiveFactory, PlanFactory
from workflow.models import State

pytestmark = pytest.mark.django_db


def count_of(page: str, state: str) -> int:
    match = re.search(rf'data-testid="conteggio-{state}">(\d+)<', page)
    assert match, f"no count for {state}"
    return int(match.group(1))


def test_the_amministratore_sees_how_many_objectives_the_plan_has_in_each_state(
    client, plan, people, other_body
):
    for _ in range(3):
        ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], state=State.SUBMITTED)
    ObjectiveFactory(plan=PlanFactory(body=other_body), state=State.SUBMITTED)  # another body: not counted
    client.force_login(people["amministratore"])
    page = client.get(reverse("workflow:dashboard")).content.decode()
    assert count_of(page, "drafting") == 3
    assert count_of(page, "submitted") == 1
    assert count_of(page, "published") == 0
    # numbers only: the amministratore opens no objective, so the counts are not links to the list
    assert "?state=drafting" not in page
    assert "Obiettivo di prova" not in page


def test_a_dirigente_counts_what_they_see_and_the_counts_open_the_list(client, plan, people):
    ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    client.force_login(people["dirigente_rossi"])
    page = client.get(reverse("workflow:dashboard")).content.decode()
    assert count_of(page, "drafting") == 1
    assert "?state=drafting" in page
