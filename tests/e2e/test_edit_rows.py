"""Phases and indicators are added and removed on the edit page, without a reload, from the keyboard, and
a screen reader is told what happened; what the page then saves is exactly the rows left on it."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_check, goto, login
from workflow.models import Objective

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_rows_are_added_and_removed_on_the_page_and_saved_as_left(live_server, page, draft):
    login(page, live_server, "dirigente_satta")
    goto(page, f"{live_server.url}/obiettivi/{draft.pk}/modifica/")
    phases = page.locator("[data-formset=fasi] [data-formset-row]")
    expect(phases).to_have_count(3)  # two saved, the empty one each page offers

    add_phase = page.get_by_role("button", name="Aggiungi una fase")
    add_phase.focus()
    page.keyboard.press("Enter")
    expect(phases).to_have_count(4)
    expect(page.locator("#id_fasi-3-description")).to_be_focused()
    expect(page.locator("[data-formset=fasi] [data-formset-status]")).to_have_text(
        "Riga 4 aggiunta: 4 righe in tutto.")
    add_phase.click()
    expect(phases).to_have_count(5)

    # Removing the empty row 3 renumbers the new rows after it, so what Django reads has no gap.
    page.get_by_role("button", name="Rimuovi la riga 3").click()
    expect(phases).to_have_count(4)
    expect(add_phase).to_be_focused()
    expect(page.locator("[data-formset=fasi] [data-formset-status]")).to_have_text(
        "Riga 3 rimossa: 4 righe in tutto.")
    expect(page.locator("input[name=fasi-TOTAL_FORMS]")).to_have_value("4")
    expect(page.get_by_label("Descrizione (riga 4)")).to_have_attribute("name", "fasi-3-description")
    axe_check(page, what="the edit page with added rows")

    page.fill("#id_fasi-1-weight", "30")
    page.fill("#id_fasi-2-description", "Collaudo")
    page.fill("#id_fasi-2-weight", "20")
    page.fill("#id_fasi-3-description", "Rendicontazione finale")
    page.fill("#id_fasi-3-weight", "0")
    page.get_by_role("button", name="Aggiungi un indicatore").click()
    expect(page.locator("#id_indicatori-2-description")).to_be_focused()
    page.fill("#id_indicatori-2-description", "Fatture pagate nei termini")
    page.fill("#id_indicatori-2-kind", "EFFICIENZA")
    page.fill("#id_indicatori-2-expected", "95")
    page.get_by_role("button", name="Rimuovi il nuovo indicatore 2").click()  # the empty one
    expect(page.locator("#id_indicatori-1-description")).to_have_value("Fatture pagate nei termini")
    page.get_by_role("button", name="Salva").click()

    expect(page.locator(".messages .alert-success")).to_be_visible()
    saved = Objective.objects.get(pk=draft.pk)
    assert [(p.description, p.weight) for p in saved.phases.order_by("position")] == [
        ("Analisi", 50), ("Attuazione", 30), ("Collaudo", 20), ("Rendicontazione finale", 0)]
    assert [i.description for i in saved.indicators.order_by("position")] == [
        "Tempo medio di pagamento", "Fatture pagate nei termini"]
