"""Journey 1: one objective from the dirigente's draft to its publication, through the pages only.

Each person signs in with the login form; after every step the page must show the new state (badge and
tracker), the success message and the timeline with who did what. axe-core checks every page on the way.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import (
    axe_check,
    confirm,
    expect_objective,
    goto,
    login,
    open_action,
    switch_user,
)
from tests.support import SMALL_PDF

pytestmark = pytest.mark.e2e

NEW_TITLE = "Tempestività dei pagamenti ai fornitori"


def tick_confirmation(sign) -> None:
    # Bootstrap Italia draws the box on the label, over the input: click the label, as a person does.
    sign.locator("label", has_text="Confermo di approvare il contenuto").click()
    expect(sign.get_by_label("Confermo di approvare il contenuto")).to_be_checked()


def last_step(page):
    return page.get_by_test_id("timeline").locator(":scope > li").last


def done(label: str, state: str) -> str:
    return f"{label}: fatto. Stato attuale: {state}."


@pytest.mark.django_db(transaction=True)
def test_draft_to_publication(live_server, page, draft):
    detail_url = f"{live_server.url}/obiettivi/{draft.pk}/"

    # -- the dirigente finds the draft from the list and edits it ---------------------------------------
    login(page, live_server, "dirigente_satta")
    expect(page.get_by_role("region", name=re.compile("Le mie bozze"))).to_contain_text(draft.code)
    menu = page.get_by_role("navigation", name="Navigazione principale")
    menu.get_by_role("link", name="Obiettivi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Obiettivi di performance")
    axe_check(page)
    page.get_by_role("link", name=draft.code, exact=True).click()
    page.wait_for_url(detail_url)
    expect_objective(page, state="In redazione")
    expect(page.get_by_text("Nessun passaggio ancora.")).to_be_visible()

    page.get_by_role("link", name="Modifica la bozza").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Modifica della bozza {draft.code}")
    axe_check(page)
    page.get_by_label("Titolo").fill(NEW_TITLE)
    page.fill("#id_fasi-0-responsibility_center", "Servizio Ragioneria")
    page.fill("#id_fasi-0-notes", "Ricognizione delle fatture scadute")
    page.fill("#id_indicatori-1-description", "Fatture pagate entro 30 giorni")
    page.fill("#id_indicatori-1-expected", ">= 90%")
    page.get_by_label("Nota sulla modifica").fill("Titolo e indicatori aggiornati")
    page.get_by_role("button", name="Salva").click()
    page.wait_for_url(detail_url)
    expect(page.locator(".messages .alert-success")).to_have_text("Modifiche salvate.")
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)
    phases = page.get_by_role("table", name="Fasi previste per la realizzazione dell'obiettivo")
    expect(phases.get_by_role("row").nth(1)).to_contain_text("Servizio Ragioneria")
    indicators = page.get_by_role("table", name="Indicatori dell'obiettivo")
    expect(indicators.get_by_role("row")).to_have_count(3)  # the header and two indicators
    expect(indicators.get_by_role("row").nth(2)).to_contain_text("Fatture pagate entro 30 giorni")
    expect(page.get_by_test_id("storico").get_by_role("row").nth(1)).to_contain_text("Sabrina Satta")
    expect_objective(page, state="In redazione")

    # -- submit ---------------------------------------------------------------------------------------
    submit = open_action(page, "submit")
    submit.get_by_label("Commento").fill("Pronto per la revisione")
    confirm(submit)
    timeline = ["Sabrina Satta: In redazione → Inviato alla Segreteria"]
    expect_objective(page, state="Inviato alla Segreteria",
                     message=done("Invia alla Segreteria", "Inviato alla Segreteria"), timeline=timeline)
    expect(page.get_by_test_id("timeline")).to_contain_text("Pronto per la revisione")
    expect(page.get_by_role("link", name="Modifica la bozza")).to_have_count(0)

    # -- the Segreteria finds it in the review queue and on the batch page, then approves ---------------
    switch_user(page, live_server, "segreteria")
    review = page.get_by_role("region", name=re.compile("In attesa della mia revisione"))
    expect(review).to_contain_text(draft.code)
    page.get_by_role("link", name="Operazioni multiple").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Operazioni multiple")
    expect(page.get_by_role("checkbox", name=draft.code)).to_be_visible()
    axe_check(page)
    goto(page, detail_url)
    expect_objective(page, state="Inviato alla Segreteria", timeline=timeline)

    approve = open_action(page, "approve")
    confirm(approve)
    timeline.append("Giulia Verdi: Inviato alla Segreteria → In consultazione sindacale")
    expect_objective(page, state="In consultazione sindacale", timeline=timeline,
                     message=done("Approva e avvia la consultazione sindacale", "In consultazione sindacale"))
    expect(page.get_by_text("Periodo di informazione sindacale fino al")).to_be_visible()

    # -- closing the consultation: refused before the 5 days without a reason, then with one ---------
    close = open_action(page, "close_consultation")
    confirm(close)
    expect(page.locator(".messages .alert-danger")).to_contain_text(
        "per chiudere prima indica la motivazione")
    expect_objective(page, state="In consultazione sindacale", timeline=timeline)

    close = open_action(page, "close_consultation")
    close.get_by_label("Motivazione della chiusura anticipata").fill("Scadenza di adozione imminente")
    confirm(close)
    timeline.append("Giulia Verdi: In consultazione sindacale → In firma")
    expect_objective(page, state="In firma", timeline=timeline,
                     message=done("Chiudi la consultazione e avvia la firma", "In firma"))
    last = last_step(page)
    expect(last).to_contain_text("Chiusura anticipata: Scadenza di adozione imminente")
    expect(last).to_contain_text("Da verificare")
    expect(page.get_by_text("Firme mancanti: dirigente responsabile, Segretario Generale.")).to_be_visible()

    # -- the responsible dirigente signs (first forgetting the confirmation) ---------------------------
    switch_user(page, live_server, "dirigente_satta")
    to_sign = page.get_by_role("region", name=re.compile("In attesa della mia firma"))
    to_sign.get_by_role("link", name=re.compile(draft.code)).click()
    page.wait_for_url(detail_url)
    expect_objective(page, state="In firma", timeline=timeline)

    sign = open_action(page, "sign")
    confirm(sign)
    sign = page.get_by_test_id("azione-sign")
    expect(sign).to_have_attribute("open", "")
    expect(sign.locator(".errorlist")).to_have_text("Conferma l'approvazione per firmare.")
    expect_objective(page, state="In firma", timeline=timeline)
    tick_confirmation(sign)
    confirm(sign)
    timeline.append("Sabrina Satta: In firma → In firma")
    expect_objective(page, state="In firma", timeline=timeline, message=done("Firma", "In firma"))
    expect(page.get_by_text("Firme mancanti: Segretario Generale.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Sabrina Satta (responsabile)")).to_be_visible()

    # -- the Segretario Generale signs last ------------------------------------------------------------
    switch_user(page, live_server, "segretario")
    goto(page, detail_url)
    sign = open_action(page, "sign")
    tick_confirmation(sign)
    confirm(sign)
    timeline.append("Massimo Placchi: In firma → In deliberazione")
    expect_objective(page, state="In deliberazione", timeline=timeline,
                     message=done("Firma", "In deliberazione"))

    # -- the Segreteria adopts, transmits, publishes ---------------------------------------------------
    switch_user(page, live_server, "segreteria")
    queue = page.get_by_role("region", name=re.compile("Da completare"))
    queue.get_by_role("link", name=re.compile(draft.code)).click()
    page.wait_for_url(detail_url)
    expect_objective(page, state="In deliberazione", timeline=timeline)

    adopt = open_action(page, "adopt")
    adopt.get_by_label("Tipo di atto").select_option("decreto_presidente")
    adopt.get_by_label("Numero dell'atto").fill("12")
    adopt.get_by_label("Data dell'atto").fill("2023-03-01")
    adopt.get_by_label("PDF dell'atto").set_input_files(
        files=[{"name": "decreto-12.pdf", "mimeType": "application/pdf", "buffer": SMALL_PDF}]
    )
    confirm(adopt)
    timeline.append("Giulia Verdi: In deliberazione → In trasmissione a Funzione Pubblica")
    expect_objective(page, state="In trasmissione a Funzione Pubblica", timeline=timeline,
                     message=done("Registra l'atto di adozione", "In trasmissione a Funzione Pubblica"))
    expect(last_step(page)).to_contain_text("Atto n. 12")

    transmit = open_action(page, "transmit")
    transmit.get_by_label("Protocollo della ricevuta del portale").fill("DFP-2023-0001")
    transmit.get_by_label("Data della ricevuta").fill("2023-03-02")
    confirm(transmit)
    timeline.append("Giulia Verdi: In trasmissione a Funzione Pubblica → In pubblicazione")
    expect_objective(page, state="In pubblicazione", timeline=timeline,
                     message=done("Registra la trasmissione a Funzione Pubblica", "In pubblicazione"))
    expect(last_step(page)).to_contain_text("Ricevuta DFP-2023-0001")

    publish = open_action(page, "publish")
    publish.get_by_label("Data di pubblicazione").fill("2023-03-03")
    publish.get_by_label("Indirizzo in Amministrazione Trasparente").fill("https://trasparenza.example.org/piao/2023")
    confirm(publish)
    timeline.append("Giulia Verdi: In pubblicazione → Pubblicato")
    expect_objective(page, state="Pubblicato", timeline=timeline,
                     message=done("Pubblica in Amministrazione Trasparente", "Pubblicato"))
    expect(page.get_by_role("heading", name="Revisioni pubblicate")).to_be_visible()
    expect(page.get_by_role("link", name="https://trasparenza.example.org/piao/2023").first).to_be_visible()
    done_steps = page.get_by_test_id("tracker").locator("li.done")
    expect(done_steps).to_have_count(7)
