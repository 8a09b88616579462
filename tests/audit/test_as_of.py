"""The plan as of a moment: every objective with its state, phases and indicators as they stood then,
including rows deleted since."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from audit import versions
from flows.services.content import objective_update
from tests.factories import ObjectiveFactory
from tests.support import act, fresh
from workflow.models import Indicator, Objective, Phase

from .conftest import text

pytestmark = pytest.mark.django_db

ADOPTION_DAY = dt.datetime(2023, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/Rome"))


def _backdate(objective, when):
    """Move every history record of ``objective`` and its rows to ``when`` (as if made on that day)."""
    Objective.history.filter(id=objective.pk).update(history_date=when)
    for model in (Phase, Indicator):
        model.history.filter(objective_id=objective.pk).update(history_date=when)


@pytest.fixture
def changed_later(draft, people):
    """The draft as it was on 1 March 2023 (two phases, title «Obiettivo di prova …»), changed today:
    the phase «Attuazione» deleted, the title rewritten, then submitted."""
    _backdate(draft, ADOPTION_DAY)
    keep, drop = draft.phases.all()
    before_title = draft.title
    objective_update(
        objective_id=draft.pk,
        by=people["dirigente_satta"],
        lock_version=fresh(draft).lock_version,
        fields={"title": "Titolo riscritto"},
        phases=[
            {"id": keep.pk, "description": keep.description, "weight": 100},
            {"id": drop.pk, "delete": True},
        ],
    )
    act(draft, "submit", people["dirigente_satta"])
    return draft, before_title, drop.pk


def test_as_of_returns_what_was_true_then_including_a_since_deleted_phase(changed_later, plan):
    objective, before_title, dropped = changed_later
    [then] = versions.plan_as_of(plan, ADOPTION_DAY + dt.timedelta(hours=1))
    assert then.record.title == before_title
    assert then.record.state == "drafting"
    assert [p.description for p in then.phases] == ["Analisi", "Attuazione"]
    assert then.gone_phases == {dropped}
    assert [i.description for i in then.indicators] == ["Tempo medio di pagamento"]
    assert then.gone_indicators == set()


def test_as_of_now_is_the_present(changed_later, plan):
    objective, _, _ = changed_later
    [now] = versions.plan_as_of(plan, timezone.now())
    assert (now.record.title, now.record.state) == ("Titolo riscritto", "submitted")
    assert [p.description for p in now.phases] == ["Analisi"]
    assert now.gone_phases == set()


def test_before_an_objective_existed_it_is_not_there(changed_later, plan, people):
    ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])  # created today
    assert [o.record.code for o in versions.plan_as_of(plan, ADOPTION_DAY)] == [changed_later[0].code]
    assert versions.plan_as_of(plan, ADOPTION_DAY - dt.timedelta(seconds=1)) == []


def test_the_page_shows_the_plan_on_the_chosen_day(client, changed_later, plan, people):
    objective, before_title, _ = changed_later
    client.force_login(people["revisore"])
    url = reverse("audit:plan_as_of", args=[plan.year])
    response = client.get(url, {"data": "2023-03-01", "ora": "12:00"})
    assert response.status_code == 200
    page = text(response)
    assert "Com'era il 01/03/2023 alle 12:00" in page
    assert before_title in page and "Titolo riscritto" not in page
    assert "Attuazione eliminata in seguito" in page
    assert "In redazione" in page

    page = text(client.get(url))  # without a moment: now
    assert "Titolo riscritto" in page and "Attuazione" not in page and "Inviato alla Segreteria" in page

    page = text(client.get(url, {"data": "2023-02-28"}))
    assert "In quel momento il piano non aveva ancora obiettivi." in page


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"data": "ieri"}, "data", "Data non valida."),
        ({"data": "2023-03-01", "ora": "25:00"}, "ora", "Ora non valida (per esempio 17:30)."),
        ({"ora": "10:00"}, "data", "Indica il giorno."),
    ],
)
def test_bad_input_gets_a_message_next_to_the_field(
    client, changed_later, plan, people, params, field, message
):
    client.force_login(people["revisore"])
    response = client.get(reverse("audit:plan_as_of", args=[plan.year]), params)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert message in text(response)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("revisore", 200),
        ("segreteria", 200),
        ("dirigente_rossi", 200),
        ("funzionario_bianchi", 403),
        ("sindacato", 403),
        ("amministratore", 403),
    ],
)
def test_who_may_see_the_plan_as_of_a_date(client, changed_later, plan, people, who, status):
    client.force_login(people[who])
    assert client.get(reverse("audit:plan_as_of", args=[plan.year])).status_code == status


def test_another_body_has_no_such_plan(client, changed_later, plan, revisore_crema):
    client.force_login(revisore_crema)
    assert client.get(reverse("audit:plan_as_of", args=[plan.year])).status_code == 404


@pytest.mark.parametrize(("who", "shown"), [("revisore", True), ("segreteria", True), ("sindacato", False)])
def test_the_plan_page_links_the_plan_as_of_a_date(client, plan, people, who, shown):
    client.force_login(people[who])
    page = client.get(reverse("workflow:plan_detail", args=[plan.year])).content.decode()
    assert (reverse("audit:plan_as_of", args=[plan.year]) in page) == shown
