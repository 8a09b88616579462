"""Bad input on the edit page: each message next to its field (and announced with it), nothing saved."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_check, goto, login
from workflow.models import Objective

pytestmark = pytest.mark.e2e


def expect_error(page, field_id: str, message: str) -> None:
    field = page.locator(f"#{field_id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{field.get_attribute('aria-describedby')}")).to_have_text(message)


@pytest.mark.django_db(transaction=True)
def test_edit_page_shows_errors_by_the_fields(live_server, page, draft):
    login(page, live_server, "dirigente_satta")
    goto(page, f"{live_server.url}/obiettivi/{draft.pk}/modifica/")
    page.get_by_label("Titolo").fill("")
    page.fill("#id_fasi-0-end", "2022-12-31")  # before the phase's start, 01/01/2023
    page.get_by_role("button", name="Salva").click()

    expect(page.get_by_role("alert")).to_have_text("Controlla i campi segnalati: nulla è stato salvato.")
    expect_error(page, "id_title", "Questo campo è obbligatorio.")
    expect_error(page, "id_fasi-0-end", "La fine prevista non può precedere l'inizio.")
    axe_check(page)
    assert Objective.objects.get(pk=draft.pk).title == draft.title


@pytest.mark.django_db(transaction=True)
def test_new_draft_through_the_create_page(live_server, page, plan, people):
    login(page, live_server, "dirigente_satta")
    page.get_by_role("link", name="Nuovo obiettivo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nuovo obiettivo")
    axe_check(page)
    page.get_by_label("Codice").fill("5601")
    page.get_by_label("Titolo").fill("Digitalizzazione dell'archivio contratti")
    page.get_by_role("button", name="Crea la bozza").click()
    expect_error(page, "id_code", "Usa il formato ANNO_CODICE, per esempio 2023_5501 o 2023_5501T.")
    axe_check(page)

    page.get_by_label("Codice").fill("2023_5601")
    page.get_by_role("button", name="Crea la bozza").click()
    expect(page.locator(".messages .alert-success")).to_have_text(
        "Bozza 2023_5601 creata: completa fasi e indicatori.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifica della bozza 2023_5601")
    axe_check(page)
    created = Objective.objects.get(plan=plan, code="2023_5601")
    assert created.responsible == people["dirigente_satta"]
