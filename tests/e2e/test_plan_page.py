"""The Segreteria starts a new year: creates the plan and a strategic objective from the pages."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_check, goto, login
from workflow.models import Plan

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_segreteria_creates_the_plan_of_a_new_year(live_server, page, plan, people):
    login(page, live_server, "segreteria")
    goto(page, f"{live_server.url}/piani/{plan.year}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(str(plan))
    axe_check(page)

    page.get_by_role("link", name="Nuovo piano").click()
    axe_check(page)
    page.get_by_label("Anno").fill(str(plan.year))
    page.get_by_role("button", name="Crea il piano").click()
    expect(page.get_by_text(f"Esiste già il piano {plan.year} per questo ente.")).to_be_visible()
    axe_check(page)

    page.get_by_label("Anno").fill("2024")
    page.get_by_label("Scadenza di adozione").fill("2024-01-31")
    page.get_by_role("button", name="Crea il piano").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PIAO 2024-2026 – Provincia di Cremona")

    page.get_by_label("Codice").fill("2024_OS01")
    page.get_by_label("Titolo").fill("Valorizzazione della struttura organizzativa")
    page.get_by_label("Finalità (una per riga)").fill("Rafforzare la programmazione\nAccrescere le relazioni")
    page.get_by_role("button", name="Aggiungi").click()
    expect(
        page.get_by_role("heading", name="2024_OS01 – Valorizzazione della struttura organizzativa")
    ).to_be_visible()
    expect(page.get_by_text("Accrescere le relazioni")).to_be_visible()
    axe_check(page)
    assert Plan.objects.get(body=plan.body, year=2024).strategic_objectives.count() == 1
