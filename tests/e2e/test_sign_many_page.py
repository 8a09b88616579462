"""A dirigente signs the objectives waiting for them with one confirmation, from the dashboard."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_check, login
from tests.factories import ObjectiveFactory
from tests.support import walk_to
from workflow.models import State

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_sign_many(live_server, page, draft, people, plan):
    second = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    for objective in (draft, second):
        walk_to(objective, State.SIGNATURE, people)

    login(page, live_server, "dirigente_satta")
    page.get_by_role("link", name="Firma più obiettivi insieme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Firma più obiettivi")
    expect(page.get_by_role("checkbox", name=draft.code)).to_be_checked()
    axe_check(page)

    # Without the confirmation: refused next to the box, nothing signed.
    page.get_by_role("button", name="Firma gli obiettivi selezionati").click()
    expect(page.get_by_text("Conferma l'approvazione per firmare.").first).to_be_visible()
    axe_check(page)

    page.locator("label[for=id_confirm]").click()  # Bootstrap Italia draws the box on its label
    expect(page.get_by_label("Confermo di approvare")).to_be_checked()
    page.get_by_role("button", name="Firma gli obiettivi selezionati").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("Firma registrata per 2 obiettivi")
    expect(page.get_by_text("Nessun obiettivo attende la tua firma")).to_be_visible()
    axe_check(page)
