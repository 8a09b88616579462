"""Journey: the union consultation through the pages only. The Segreteria sends a batch to consultation;
a union representative requests a confronto and posts an observation; the responsible dirigente
answers; the Segreteria records a meeting and closes with a summary; the objective moves to signature
and the whole exchange is on its page. axe-core checks every page on the way."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.browser import axe_check, expect_objective, goto, login, switch_user
from tests.factories import ObjectiveFactory
from tests.support import SMALL_PDF, walk_to
from workflow.models import State

pytestmark = pytest.mark.e2e

REQUEST = "La RSU chiede il confronto sugli obiettivi che toccano i carichi di lavoro."
OBSERVATION = "Chiediamo un indicatore sui carichi di lavoro del personale."
ANSWER = "Aggiungiamo un indicatore semestrale condiviso con la RSU."
MINUTES = "Esaminati gli obiettivi; concordata una verifica semestrale."
SUMMARY = "Le parti concordano una verifica semestrale dei carichi di lavoro."


def nav(page, name):
    page.get_by_role("navigation", name="Navigazione principale").get_by_role("link", name=name).click()
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_consultation_journey(live_server, page, draft, people, plan, tmp_path):
    other = ObjectiveFactory(plan=plan, responsible=people["dirigente_rossi"])
    for objective in (draft, other):
        walk_to(objective, State.SUBMITTED, people)
    detail_url = f"{live_server.url}/obiettivi/{draft.pk}/"

    # -- the Segreteria sends both to consultation at once ------------------------------------------------
    login(page, live_server, "segreteria")
    nav(page, "Operazioni multiple")
    expect(page.get_by_label("Azione", exact=True)).to_have_value("approve")
    page.get_by_role("checkbox", name=draft.code).check()
    page.get_by_role("checkbox", name=other.code).check()
    page.get_by_role("button", name="Applica agli obiettivi selezionati").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("fatto per 2 obiettivi")
    axe_check(page)

    # -- the union representative: the information, the request, an observation ----------------------------
    switch_user(page, live_server, "sindacato")
    nav(page, "Consultazione sindacale")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultazione sindacale")
    expect(page.get_by_test_id("da-leggere")).to_contain_text(draft.code)
    expect(page.get_by_test_id("da-leggere")).to_contain_text(other.code)
    page.get_by_test_id("informazioni-aperte").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Informazione sindacale del")
    axe_check(page)
    page.get_by_role("link", name="Lettera di informazione (stampabile)").click()
    expect(page.get_by_test_id("lettera")).to_contain_text(draft.code)
    expect(page.get_by_test_id("lettera")).to_contain_text("Come rispondere")
    axe_check(page)
    page.go_back()

    page.get_by_label("Testo della richiesta di confronto").fill(REQUEST)
    page.get_by_role("button", name="Chiedi il confronto").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("Richiesta di confronto registrata")
    expect(page.get_by_test_id("richieste-confronto")).to_contain_text(REQUEST)
    expect(page.get_by_role("button", name="Chiedi il confronto")).to_have_count(0)
    expect(page.get_by_test_id("countdown")).to_contain_text("mancano 30 giorni")
    axe_check(page)

    page.get_by_role("link", name=draft.code, exact=True).click()
    page.wait_for_url(detail_url)
    expect_objective(page, state="In consultazione sindacale")
    expect(page.get_by_test_id("storico")).to_have_count(0)  # no history of saves for the unions
    page.get_by_label("Nuova osservazione").fill(OBSERVATION)
    page.get_by_role("button", name="Pubblica l'osservazione").click()
    expect(page.locator(".messages .alert-success")).to_have_text("Osservazione pubblicata.")
    expect(page.get_by_test_id("osservazioni")).to_contain_text(OBSERVATION)
    axe_check(page)

    # -- the responsible dirigente answers --------------------------------------------------------------
    switch_user(page, live_server, "dirigente_satta")
    goto(page, detail_url)
    answer = page.locator("[data-testid^=rispondi-]").first
    answer.locator("summary").click()
    axe_check(page, what="the objective's page with the answer form open")
    answer.get_by_label("Risposta").fill(ANSWER)
    answer.get_by_role("button", name="Pubblica la risposta").click()
    expect(page.locator(".messages .alert-success")).to_have_text("Risposta pubblicata.")
    expect(page.get_by_test_id("osservazioni")).to_contain_text(ANSWER)
    axe_check(page)

    # -- the Segreteria records a meeting and closes both with the summary --------------------------------
    switch_user(page, live_server, "segreteria")
    nav(page, "Consultazione sindacale")
    page.get_by_test_id("informazioni-aperte").get_by_role("link").first.click()
    axe_check(page)
    held = timezone.localtime()  # this minute: a meeting cannot precede the day the information was sent
    form = page.get_by_test_id("registra-incontro")
    form.get_by_label("Data e ora dell'incontro").fill(f"{held:%Y-%m-%dT%H:%M}")
    form.get_by_label("Partecipanti").fill("Giulia Verdi (Segreteria); Carlo Galli (RSU)")
    form.locator("#id_incontro-minutes").fill(MINUTES)
    attachment = tmp_path / "verbale.pdf"
    attachment.write_bytes(SMALL_PDF)
    form.get_by_label("Verbale firmato").set_input_files(str(attachment))
    form.get_by_role("button", name="Registra l'incontro").click()
    expect(page.locator(".messages .alert-success")).to_have_text("Incontro registrato.")
    expect(page.get_by_test_id("incontri")).to_contain_text(MINUTES)
    axe_check(page)

    page.get_by_role("link", name="Chiudi la consultazione (operazioni multiple)").click()
    expect(page.get_by_label("Azione", exact=True)).to_have_value("close_consultation")
    axe_check(page)
    page.get_by_role("checkbox", name=draft.code).check()
    page.get_by_role("checkbox", name=other.code).check()
    page.get_by_role("button", name="Applica agli obiettivi selezionati").click()  # no outcome, no summary
    expect(page.locator(".messages .alert-danger")).to_contain_text("indica l'esito")
    axe_check(page)
    page.get_by_role("checkbox", name=draft.code).check()
    page.get_by_role("checkbox", name=other.code).check()
    page.get_by_label("Esito del confronto").select_option("agreement")
    page.get_by_label("Sintesi delle posizioni emerse").fill(SUMMARY)
    # the information period is not over: other unions could still ask, so closing now needs a reason
    page.get_by_label(re.compile("Motivazione della chiusura anticipata")).fill(
        "Confronto concluso con accordo"
    )
    page.get_by_role("button", name="Applica agli obiettivi selezionati").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("fatto per 2 obiettivi")
    axe_check(page)

    # -- the objective is in signature, with the whole exchange on its page ----------------------------------
    goto(page, detail_url)
    expect_objective(page, state="In firma")
    panel = page.get_by_test_id("consultazione")
    expect(panel.get_by_test_id("richieste-confronto")).to_contain_text(REQUEST)
    expect(panel.get_by_test_id("incontri")).to_contain_text(MINUTES)
    expect(panel.get_by_role("link", name=re.compile("Verbale firmato"))).to_be_visible()
    expect(panel.get_by_test_id("osservazioni")).to_contain_text(OBSERVATION)
    expect(panel.get_by_test_id("osservazioni")).to_contain_text(ANSWER)
    outcome = panel.get_by_test_id("esito-consultazione")
    expect(outcome).to_contain_text("Confronto concluso con accordo")
    expect(outcome).to_contain_text(SUMMARY)

    # -- and the union representative reads it too, with no internal record ------------------------------
    switch_user(page, live_server, "sindacato")
    goto(page, detail_url)
    expect_objective(page, state="In firma")
    expect(page.get_by_test_id("esito-consultazione")).to_contain_text(SUMMARY)
    expect(page.get_by_test_id("osservazioni")).to_contain_text(ANSWER)
    expect(page.get_by_label("Nuova osservazione")).to_have_count(0)
    nav(page, "Consultazione sindacale")
    expect(page.get_by_test_id("mie-osservazioni")).to_contain_text(ANSWER)
