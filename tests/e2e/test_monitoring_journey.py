"""The monitoring in the browser: the dirigente reports a period, the Segreteria returns the report and then
checks it on the board, the NIV/OIV validates it with an adjustment, and the plan's dashboard shows the
score and how it was computed. axe on every page (``goto``, ``login`` and the checks after each step)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from flows.services import monitoring
from tests.e2e.browser import axe_check, goto, login, switch_user
from tests.support import walk_to
from workflow.models import ProgressReport, ReportState, State

pytestmark = pytest.mark.e2e


def open_step(page, name: str):
    details = page.get_by_test_id(f"azione-{name}")
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    axe_check(page, what=f"{page.url} with the form of «{name}» open")
    return details


def submit_report(page):
    details = open_step(page, "submit")
    details.locator("label[for$=confirm]").click()  # Bootstrap Italia draws the box on its label
    details.get_by_role("button", name=re.compile(r"^Conferma")).click()
    expect(page.locator(".messages .alert-success")).to_contain_text("Stato attuale: Inviata")
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_report_returned_checked_validated_and_scored(live_server, page, draft, people):
    objective = walk_to(draft, State.PUBLISHED, people)
    objective.indicators.update(target_1=Decimal(100), polarity="higher", to_complete=False)
    period = monitoring.periods_create_default(plan=objective.plan, by=people["segreteria"])[0]
    report = monitoring.reports_open(period=period, by=people["segreteria"])[0]
    indicators = objective.indicators.count()
    phases = objective.phases.count()

    # The dirigente finds the report among those to fill, types the values the Italian way and sends it.
    login(page, live_server, "dirigente_satta")
    menu = page.get_by_role("navigation", name="Navigazione principale")
    menu.get_by_role("link", name="Monitoraggio").click()
    axe_check(page)
    page.get_by_test_id("rendicontazione").get_by_role("link", name=re.compile(objective.code)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(objective.code)
    axe_check(page)
    for n in range(1, indicators + 1):
        page.get_by_label(f"Valore rilevato, indicatore {n}").fill("80,5")
    for n in range(1, phases + 1):
        page.get_by_label(f"Completamento (%), fase {n}").fill("50")
    page.get_by_role("button", name="Salva i valori").click()
    expect(page.locator(".messages .alert-success")).to_be_visible()
    axe_check(page)
    expect(page.get_by_test_id("raggiungimento").first).to_contain_text("80,5")
    submit_report(page)

    # The Segreteria returns it with a reason.
    switch_user(page, live_server, "segreteria")
    goto(page, f"{live_server.url}/monitoraggio/rendicontazioni/{report.pk}/")
    details = open_step(page, "send_back")
    details.get_by_label("Motivazione").fill("Manca la fonte del dato")
    details.get_by_role("button", name=re.compile(r"^Conferma")).click()
    expect(page.locator(".messages .alert-success")).to_contain_text("Restituita")
    axe_check(page)

    # The dirigente reads the reason in the history, adds the source and sends it again.
    switch_user(page, live_server, "dirigente_satta")
    goto(page, f"{live_server.url}/monitoraggio/rendicontazioni/{report.pk}/")
    expect(page.get_by_text("Manca la fonte del dato").first).to_be_visible()
    page.get_by_label("Fonte, indicatore 1").fill("Protocollo informatico")
    page.get_by_role("button", name="Salva i valori").click()
    expect(page.locator(".messages .alert-success")).to_be_visible()
    submit_report(page)

    # The Segreteria checks it on the board of the period.
    switch_user(page, live_server, "segreteria")
    goto(page, f"{live_server.url}/monitoraggio/piani/{objective.plan.year}/periodi/{period.pk}/")
    page.locator(f"label[for=rc-{report.pk}]").click()
    page.get_by_role("button", name="Verifica le rendicontazioni selezionate").click()
    expect(page.locator(".messages .alert-success")).to_be_visible()
    axe_check(page)
    assert ProgressReport.objects.get(pk=report.pk).state == ReportState.CHECKED

    # The NIV/OIV validates from the queue, adjusting the score with a reason.
    switch_user(page, live_server, "revisore")
    goto(page, f"{live_server.url}/monitoraggio/validazione/")
    page.get_by_role("link", name=re.compile(f"Apri {objective.code}")).click()
    axe_check(page)
    details = open_step(page, "validate")
    details.get_by_label(re.compile("Punteggio rettificato")).fill("75,5")
    details.get_by_label("Motivazione della rettifica").fill("Evidenze parziali sul secondo indicatore")
    details.get_by_role("button", name=re.compile(r"^Conferma")).click()
    expect(page.get_by_text("Confermo la validazione").first).to_be_visible()  # the box was not ticked
    axe_check(page)
    details = page.get_by_test_id("azione-validate")
    details.locator("label[for$=confirm]").click()
    details.get_by_role("button", name=re.compile(r"^Conferma")).click()
    expect(page.locator(".messages .alert-success")).to_contain_text("Validata")
    axe_check(page)
    validated = ProgressReport.objects.get(pk=report.pk)
    assert (validated.state, validated.adjusted_score) == (ReportState.VALIDATED, Decimal("75.5"))

    # The plan's dashboard shows the adjusted score and, unfolded, how it was computed.
    goto(page, f"{live_server.url}/monitoraggio/piani/{objective.plan.year}/cruscotto/?periodo={period.pk}")
    expect(page.locator("text=75,5 % >> visible=true").first).to_be_visible()
    page.get_by_text("Le rendicontazioni considerate e il punteggio di ciascuna").click()
    page.get_by_text(f"Calcolo di {objective.code}").click()
    how = page.locator("details:not(:has(details))", has_text="rettificato dal NIV/OIV").first
    expect(how).to_be_visible()
    expect(how).to_contain_text("calcolato")
    axe_check(page)
