"""The Segreteria approves several submitted objectives at once on the batch page."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_check, expect_objective, goto, login
from tests.factories import ObjectiveFactory
from tests.support import walk_to
from workflow.models import State

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_batch_approval(live_server, page, draft, people, plan):
    other = ObjectiveFactory(plan=plan, responsible=people["dirigente_rossi"])
    left_alone = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    for objective in (draft, other, left_alone):
        walk_to(objective, State.SUBMITTED, people)

    login(page, live_server, "segreteria")
    page.get_by_role("link", name="Operazioni multiple").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Operazioni multiple")
    expect(page.get_by_label("Obiettivi nello stato")).to_have_value(State.SUBMITTED)
    expect(page.get_by_label("Azione", exact=True)).to_have_value("approve")
    axe_check(page)

    # Nothing ticked: refused, with the reason, and nothing moves.
    apply = page.get_by_role("button", name="Applica agli obiettivi selezionati")
    apply.click()
    expect(page.locator(".messages .alert-danger")).to_have_text("Seleziona almeno un obiettivo.")
    axe_check(page)

    page.get_by_role("checkbox", name=draft.code).check()
    page.get_by_role("checkbox", name=other.code).check()
    page.get_by_label("Commento").fill("Approvati nella riunione di direzione")
    page.get_by_role("button", name="Applica agli obiettivi selezionati").click()
    expect(page.locator(".messages .alert-success")).to_contain_text(
        "Approva e avvia la consultazione sindacale: fatto per 2 obiettivi")
    expect(page.get_by_role("checkbox")).to_have_count(1)
    expect(page.get_by_role("checkbox", name=left_alone.code)).not_to_be_checked()
    axe_check(page)

    goto(page, f"{live_server.url}/obiettivi/{other.pk}/")
    expect_objective(page, state="In consultazione sindacale", timeline=[
        "Paolo Rossi: In redazione → Inviato alla Segreteria",
        "Giulia Verdi: Inviato alla Segreteria → In consultazione sindacale",
    ])
    expect(page.get_by_test_id("timeline")).to_contain_text("Approvati nella riunione di direzione")
