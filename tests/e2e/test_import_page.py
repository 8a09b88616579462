"""The Segreteria imports the real report from the browser, as the PDF its software printed: preview
first, then confirm."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_check, goto, login
from workflow.models import Objective

pytestmark = pytest.mark.e2e

REPORT = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "report_forms" / "report-2023.pdf"


@pytest.mark.django_db(transaction=True)
def test_segreteria_imports_the_real_report_with_a_preview(live_server, page, plan, people):
    login(page, live_server, "segreteria")
    goto(page, f"{live_server.url}/piani/{plan.year}/")
    page.get_by_role("link", name="Importa").click()
    axe_check(page)

    page.get_by_role("button", name="Mostra l'anteprima").click()  # no file chosen
    expect(page.get_by_text("Scegli il file da importare.")).to_be_visible()
    axe_check(page)

    page.get_by_label("Report (il PDF, o il suo testo .txt) o esportazione JSON").set_input_files(str(REPORT))
    page.get_by_label("Anno del piano").fill("2023")
    page.get_by_role("button", name="Mostra l'anteprima").click()
    expect(page.get_by_role("heading", name="Anteprima: nulla è stato ancora scritto")).to_be_visible()
    expect(page.get_by_test_id("n-obiettivi")).to_have_text("51")
    expect(page.get_by_test_id("n-fasi")).to_have_text("315")
    # Sabrina Satta has an account and is matched; the other five responsible dirigenti are listed
    expect(page.get_by_text("FARONI BARBARA")).to_be_visible()
    expect(page.get_by_text("SATTA SABRINA")).to_have_count(0)
    axe_check(page)
    assert not Objective.objects.exists()

    page.get_by_role("button", name="Conferma l'importazione").click()
    expect(
        page.get_by_text("Importazione completata: 51 nuovi, 0 aggiornati, 0 invariati, 0 in conflitto.")
    ).to_be_visible()
    axe_check(page)
    assert Objective.objects.filter(plan=plan).count() == 51
    assert Objective.objects.get(code="2023_3101T").responsible == people["dirigente_satta"]
