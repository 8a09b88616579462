import re

import pytest
from django.urls import reverse

from tests.factories import ObjectiveFactory, PlanFactory
from tests.support import act, walk_to
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


RETURN_REASON = "Indicare per ogni indicatore la fonte dei dati e il valore di partenza."


def test_a_dirigente_sees_on_arrival_the_drafts_sent_back_and_why(client, draft, plan, people):
    untouched = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], code="2023_0001")
    walk_to(draft, State.SUBMITTED, people)
    act(draft, "return_to_drafting", people["segreteria"], data={"comment": RETURN_REASON})
    client.force_login(people["dirigente_satta"])
    page = client.get(reverse("workflow:dashboard")).content.decode()
    assert page.count('data-testid="restituita"') == 1
    assert RETURN_REASON in page
    # the draft sent back comes first in the list of drafts
    drafts = page[page.index("Le mie bozze"):]
    assert drafts.index(draft.code) < drafts.index(untouched.code)

    page = client.get(reverse("workflow:objective_detail", args=[draft.pk])).content.decode()
    alert = page.index('data-testid="motivo-restituzione"')
    assert alert < page.index('id="dati"')
    assert RETURN_REASON in page[alert:page.index('id="dati"')]
    assert "Giulia Verdi" in page[alert:page.index('id="dati"')]
    page = client.get(reverse("workflow:objective_detail", args=[untouched.pk])).content.decode()
    assert 'data-testid="motivo-restituzione"' not in page


def test_the_return_reason_goes_once_the_draft_is_submitted_again(client, draft, people):
    walk_to(draft, State.SUBMITTED, people)
    act(draft, "return_to_drafting", people["segreteria"], data={"comment": RETURN_REASON})
    act(draft, "submit", people["dirigente_satta"])
    client.force_login(people["dirigente_satta"])
    assert RETURN_REASON not in client.get(reverse("workflow:dashboard")).content.decode()
    page = client.get(reverse("workflow:objective_detail", args=[draft.pk])).content.decode()
    assert 'data-testid="motivo-restituzione"' not in page


# -- the "Monitoraggio" card --------------------------------------------------------------------------
def published_reports(plan, people, n):
    """``n`` published objectives of Satta's, each with an open report of the intermediate period."""
    from flows.services import monitoring

    for _ in range(n):
        walk_to(ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]), State.PUBLISHED, people)
    intermediate, _final = monitoring.periods_create_default(plan=plan, by=people["segreteria"])
    return monitoring.reports_open(period=intermediate, by=people["segreteria"])


def report_step(report, name, by):
    from flows.services import monitoring
    from workflow.models import ProgressReport

    report = ProgressReport.objects.get(pk=report.pk)
    if name == "submit":
        monitoring.report_save(
            report_id=report.pk,
            by=by,
            lock_version=report.lock_version,
            phases={p.phase_id: {"percent": 50} for p in report.phase_progress.all()},
            measures={m.indicator_id: {"value": 40} for m in report.measures.all()},
        )
    monitoring.report_transition(report_id=report.pk, name=name, by=by)


def card(client, user) -> str:
    client.force_login(user)
    page = client.get(reverse("workflow:dashboard")).content.decode()
    if 'data-testid="monitoraggio"' not in page:
        return ""
    start = page.index('data-testid="monitoraggio"')
    return page[start : page.index("</section>", start)]


def test_the_monitoring_card_tells_each_role_what_waits_and_where(client, plan, people):
    first, second, third = published_reports(plan, people, 3)
    satta, segreteria, revisore = people["dirigente_satta"], people["segreteria"], people["revisore"]
    report_step(first, "submit", satta)
    report_step(second, "submit", satta)
    report_step(first, "check", segreteria)

    text = card(client, satta)
    # the first two were sent (the final period's reports are not open yet): the third is left
    assert "1 rendicontazione da compilare e inviare" in text
    assert reverse("workflow:my_reports") in text and "da verificare" not in text
    text = card(client, segreteria)
    assert "1 rendicontazione da verificare" in text
    board = reverse("workflow:monitoring_board", args=[plan.year, first.period_id])
    assert f'href="{board}">bacheca «Monitoraggio intermedio»' in text
    assert reverse("workflow:monitoring_periods", args=[plan.year]) in text
    text = card(client, revisore)
    assert "1 rendicontazione da validare" in text and reverse("workflow:validation_queue") in text
    assert "da verificare" not in text
    assert card(client, people["sindacato"]) == "" and card(client, people["amministratore"]) == ""
    assert third.state == "open"


def test_without_periods_the_segreteria_is_sent_to_define_them(client, plan, people):
    text = card(client, people["segreteria"])
    assert "0 rendicontazioni da verificare" in text and "bacheca" not in text
    assert "Definisci i periodi di monitoraggio" in text
    assert reverse("workflow:monitoring_periods", args=[plan.year]) in text
