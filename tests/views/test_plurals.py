"""Counts read as Italian: "1 obiettivo", "2 obiettivi", never "1 obiettivi"."""

import html

import pytest
from django.urls import reverse

from approvals.models import StepRecord
from tests.factories import ObjectiveFactory
from tests.support import fresh, walk_to
from workflow.models import State

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_objective_list_counts_one_objective(client, draft, people):
    client.force_login(people["segreteria"])
    page = text(client.get(reverse("workflow:objective_list")))
    assert "1 obiettivo su 1." in page and "1 obiettivi" not in page


def test_the_consultation_page_counts_one_objective(client, draft, people):
    walk_to(draft, State.UNION_CONSULTATION, people)
    client.force_login(people["sindacato"])
    page = " ".join(text(client.get(reverse("approvals:consultation_home"))).split())
    assert "1 obiettivo in consultazione" in page and "1 obiettivi" not in page


def test_a_batch_of_one_says_one_objective_and_the_change_log_too(client, draft, people):
    walk_to(draft, State.SUBMITTED, people)
    client.force_login(people["segreteria"])
    post = {"stato": State.SUBMITTED, "azione": "approve", "obiettivi": [str(draft.pk)],
            f"v_{draft.pk}": str(fresh(draft).lock_version)}
    page = text(client.post(reverse("workflow:batch"), post, follow=True))
    assert StepRecord.objects.filter(objective=draft, transition="approve").count() == 1
    assert f"fatto per 1 obiettivo ({draft.code})" in page

    client.force_login(people["revisore"])
    log = text(client.get(reverse("audit:change_log")))
    assert ": 1 obiettivo" in log and "1 obiettivi" not in log


def test_two_objectives_are_still_obiettivi(client, plan, people):
    for _ in range(2):
        ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    client.force_login(people["segreteria"])
    assert "2 obiettivi su 2." in text(client.get(reverse("workflow:objective_list")))
