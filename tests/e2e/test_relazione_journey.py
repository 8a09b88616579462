"""The Relazione sulla performance in the browser: the Segreteria writes its texts and adopts it, the NIV/OIV
validates it with observations, the Segreteria publishes it, a citizen downloads it from the public page
and checks the file on the verification page. axe on every page (``goto``, ``login`` and after each step)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_check, goto, login, logout, switch_user
from tests.support.files import small_pdf
from tests.support.relazione import validated_plan

pytestmark = pytest.mark.e2e


def upload(locator, name: str, content: bytes) -> None:
    locator.set_input_files(files=[{"name": name, "mimeType": "application/pdf", "buffer": content}])


def done(page, text: str) -> None:
    expect(page.locator(".messages .alert-success")).to_contain_text(text)
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_drafted_adopted_validated_published_downloaded_and_checked(live_server, page, plan, people):
    validated_plan(plan, people)
    year = plan.year

    # The Segreteria opens the Relazione from the plan's page, reads the live results, writes the context.
    login(page, live_server, "segreteria")
    goto(page, f"{live_server.url}/piani/{year}/")
    page.get_by_role("link", name="Relazione sulla performance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Relazione sulla performance {year}")
    axe_check(page)
    expect(page.get_by_test_id("totali-relazione")).to_contain_text("2 validati")
    expect(page.get_by_test_id("relazione-esclusi")).to_contain_text("2023_D")
    texts = page.get_by_test_id("modulo-testi")
    texts.get_by_label("Il contesto").fill("## Il contesto\n\n- organico ridotto\n- nuove funzioni")
    texts.get_by_role("button", name="Salva i testi").click()
    done(page, "Testi della Relazione salvati")

    # ... and registers the act that adopted it: the document is generated and frozen.
    adopt = page.get_by_test_id("azione-adopt")
    adopt.get_by_label("Tipo di atto").select_option("delibera_giunta")
    adopt.get_by_label("Numero dell'atto").fill("57")
    adopt.get_by_label("Data dell'atto").fill("2024-06-20")
    upload(adopt.get_by_label("PDF dell'atto"), "delibera-57.pdf", small_pdf("delibera 57"))
    adopt.get_by_role("button", name="Registra l'adozione della Relazione").click()
    done(page, "Adozione registrata")
    expect(page.get_by_test_id("stato-relazione")).to_have_text("Adottata")
    expect(page.get_by_test_id("relazione-documenti")).to_contain_text("Delibera di Giunta n. 57")
    expect(page.get_by_test_id("modulo-testi")).to_have_count(0)

    # The NIV/OIV validates it with observations and the validation document.
    switch_user(page, live_server, "revisore")
    goto(page, f"{live_server.url}/monitoraggio/piani/{year}/relazione/")
    validate = page.get_by_test_id("azione-validate")
    validate.get_by_text("Validata con osservazioni", exact=True).click()
    validate.get_by_label("Osservazioni del NIV/OIV").fill(
        "Si raccomanda di documentare meglio l'obiettivo 2023_C."
    )
    upload(
        validate.get_by_label("Documento di validazione (PDF)"), "validazione.pdf", small_pdf("validazione")
    )
    validate.get_by_role("button", name="Registra la validazione del NIV/OIV").click()
    done(page, "Validazione registrata")
    expect(page.get_by_test_id("stato-relazione")).to_have_text("Validata dal NIV/OIV")

    # The Segreteria publishes it, after confirming.
    switch_user(page, live_server, "segreteria")
    goto(page, f"{live_server.url}/monitoraggio/piani/{year}/relazione/")
    publish = page.get_by_test_id("azione-publish")
    publish.get_by_role("button", name="Pubblica la Relazione").click()
    expect(page.locator(".errorlist")).to_contain_text("Conferma la pubblicazione")
    axe_check(page)
    publish = page.get_by_test_id("azione-publish")
    publish.locator("label[for$=confirm]").click()
    publish.get_by_role("button", name="Pubblica la Relazione").click()
    done(page, "Relazione pubblicata")
    logout(page)

    # A citizen finds it on the body's transparency page, downloads it and checks the file.
    goto(page, f"{live_server.url}/trasparenza/{plan.body.ipa_code}/")
    page.get_by_role("link", name=f"Relazione sulla performance {year}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Relazione sulla performance {year}")
    axe_check(page)
    expect(page.locator("main")).to_contain_text("validata con osservazioni")
    with page.expect_download() as info:
        page.get_by_role("link", name="La Relazione in PDF/A").click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    page.get_by_role("link", name="verifica di una Relazione").click()
    axe_check(page)
    page.get_by_label("File PDF della Relazione").set_input_files(
        files=[{"name": info.value.suggested_filename, "mimeType": "application/pdf", "buffer": pdf}]
    )
    page.get_by_role("button", name="Verifica il file").click()
    expect(page.get_by_test_id("esito-verifica")).to_contain_text("Valida: è una Relazione pubblicata")
    axe_check(page)
    # a changed copy is told apart
    changed = pdf.replace(b"%%EOF", b"%%EOF\n% ritoccato\n", 1) if pdf.count(b"%%EOF") else pdf + b"\n"
    page.get_by_label("File PDF della Relazione").set_input_files(
        files=[{"name": "copia.pdf", "mimeType": "application/pdf", "buffer": changed}]
    )
    page.get_by_role("button", name="Verifica il file").click()
    expect(page.get_by_test_id("esito-verifica")).to_contain_text(
        re.compile("Non valida|Non è una Relazione")
    )
    axe_check(page)
