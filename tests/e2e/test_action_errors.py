"""A refused action of the objective page's side panel: the page comes back opened on a summary of the
errors at its top, which has the focus and links each error to its field, with the action's panel open."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_check, goto, login, open_action
from tests.support import small_pdf, walk_to
from workflow.models import State

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_adoption_without_the_act_number_is_summarised_at_the_top(live_server, page, draft, people):
    walk_to(draft, State.DELIBERATION, people)
    login(page, live_server, "segreteria")
    goto(page, f"{live_server.url}/obiettivi/{draft.pk}/")
    adopt = open_action(page, "adopt")
    adopt.get_by_label("Tipo di atto").select_option("decreto_presidente")
    adopt.get_by_label("Data dell'atto").fill("2023-01-30")
    adopt.get_by_label("PDF dell'atto").set_input_files(
        files=[{"name": "decreto.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}]
    )
    adopt.get_by_role("button", name="Conferma").click()

    summary = page.get_by_test_id("riepilogo-errori")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_in_viewport()
    link = summary.get_by_role("link", name="Numero dell'atto: Questo campo è obbligatorio.")
    expect(link).to_have_attribute("href", "#id_adopt-act_number")
    expect(page.get_by_test_id("azione-adopt")).to_have_attribute("open", "")
    axe_check(page)

    link.click()
    expect(page.locator("#id_adopt-act_number")).to_be_focused()
    assert draft.__class__.objects.get(pk=draft.pk).state == State.DELIBERATION
