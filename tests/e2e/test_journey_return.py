"""Journey 2: the Segreteria sends a submitted objective back to the dirigente with a reason, and the
dirigente reads it on the objective's page. Also: a return during the signature voids the signature given."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_check, confirm, expect_objective, goto, login, open_action, switch_user
from tests.support import act, walk_to
from workflow.models import State

pytestmark = pytest.mark.e2e

REASON = "Mancano gli indicatori di qualità del servizio: aggiungili prima di reinviare."


@pytest.mark.django_db(transaction=True)
def test_returned_draft_shows_the_reason_to_the_dirigente(live_server, page, draft, people):
    walk_to(draft, State.SUBMITTED, people)
    detail_url = f"{live_server.url}/obiettivi/{draft.pk}/"
    submitted = ["Sabrina Satta: In redazione → Inviato alla Segreteria"]

    login(page, live_server, "segreteria")
    review = page.get_by_role("region", name=re.compile("In attesa della mia revisione"))
    review.get_by_role("link", name=re.compile(draft.code)).click()
    page.wait_for_url(detail_url)
    expect_objective(page, state="Inviato alla Segreteria", timeline=submitted)

    # No reason: the form comes back open, with the message next to the field, and nothing changes.
    back = open_action(page, "return_to_drafting")
    confirm(back)
    back = page.get_by_test_id("azione-return_to_drafting")
    expect(back).to_have_attribute("open", "")
    reason = back.get_by_label("Motivazione")
    expect(reason).to_have_attribute("aria-invalid", "true")
    error = page.locator(f"#{reason.get_attribute('aria-describedby')}")
    expect(error).to_have_text("Indica la motivazione.")
    expect(page.locator(".messages")).to_have_count(0)
    expect_objective(page, state="Inviato alla Segreteria", timeline=submitted)

    reason.fill(REASON)
    confirm(back)
    returned = [*submitted, "Giulia Verdi: Inviato alla Segreteria → In redazione"]
    expect_objective(page, state="In redazione", timeline=returned,
                     message="Restituisci al dirigente: fatto. Stato attuale: In redazione.")
    expect(page.get_by_test_id("timeline").locator(":scope > li").last).to_contain_text(REASON)

    # The dirigente finds the draft among theirs again, with the reason and the editing open again.
    switch_user(page, live_server, "dirigente_satta")
    mine = page.get_by_role("region", name=re.compile("Le mie bozze"))
    mine.get_by_role("link", name=re.compile(draft.code)).click()
    page.wait_for_url(detail_url)
    expect_objective(page, state="In redazione", timeline=returned)
    last = page.get_by_test_id("timeline").locator(":scope > li").last
    expect(last).to_contain_text("Giulia Verdi")
    expect(last).to_contain_text(REASON)
    expect(page.get_by_role("link", name="Modifica la bozza")).to_be_visible()
    expect(page.get_by_test_id("azione-submit")).to_be_visible()
    page.get_by_role("link", name="Modifica la bozza").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Modifica della bozza {draft.code}")
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_return_during_signature_voids_the_signature_given(live_server, page, draft, people):
    walk_to(draft, State.SIGNATURE, people)
    act(draft, "sign", people["dirigente_satta"])

    login(page, live_server, "segreteria")
    goto(page, f"{live_server.url}/obiettivi/{draft.pk}/")
    expect(page.get_by_text("Firme mancanti: Segretario Generale.")).to_be_visible()
    back = open_action(page, "return_to_drafting")
    back.get_by_label("Motivazione").fill("Il peso va ricalcolato dopo la consultazione.")
    confirm(back)
    expect_objective(page, state="In redazione",
                     message="Restituisci al dirigente: fatto. Stato attuale: In redazione.")
    signed = page.get_by_test_id("timeline").locator(":scope > li").filter(
        has_text="Sabrina Satta: In firma → In firma")
    expect(signed).to_contain_text("Firma annullata il")
    expect(page.get_by_text("Firme mancanti")).to_have_count(0)
