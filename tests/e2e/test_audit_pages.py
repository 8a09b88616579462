"""The auditor's walk: the revisore signs in, opens the change log, narrows it to one objective, opens that
objective's versions and a diff, then the plan as it stood at a chosen moment. axe-core on every page."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from flows.services.content import objective_update
from tests.e2e.browser import axe_check, login
from tests.support import act, fresh

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_revisore_reads_the_log_the_versions_a_diff_and_the_plan_as_of(
    live_server, page, plan, draft, people
):
    satta = people["dirigente_satta"]
    analisi, attuazione = draft.phases.all()
    objective_update(
        objective_id=draft.pk,
        by=satta,
        lock_version=fresh(draft).lock_version,
        fields={"purpose": "Migliorare molto i tempi medi di pagamento delle fatture."},
        phases=[
            {"id": analisi.pk, "description": analisi.description, "weight": Decimal("100")},
            {"id": attuazione.pk, "delete": True},
        ],
        note="Fase unica",
    )
    act(draft, "submit", satta, data={"comment": "Pronto per la revisione"})

    login(page, live_server, "revisore")
    page.get_by_role("link", name="Registro delle modifiche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registro delle modifiche")
    axe_check(page)

    page.get_by_label("Obiettivo", exact=True).select_option(
        label=f"{plan.year} · {draft.code} – {draft.title}"
    )
    page.get_by_role("button", name="Filtra").click()
    rows = page.get_by_test_id("registro").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Transizione: Invia alla Segreteria")
    expect(rows.nth(0)).to_contain_text("Pronto per la revisione")
    expect(rows.nth(1)).to_contain_text("Modifica del contenuto")
    expect(rows.nth(1)).to_contain_text("Fase unica")
    axe_check(page, what="the change log filtered by objective")

    rows.nth(1).get_by_role("link", name=draft.code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Versioni di {draft.code}")
    expect(page.get_by_role("link", name=re.compile("^Ripristina"))).to_have_count(0)
    axe_check(page)

    versions = page.get_by_test_id("versioni").locator("tbody tr")
    edit_row = versions.filter(has_text="Modifica del contenuto: Fase unica")
    edit_row.get_by_role("link", name=re.compile("^Confronta con la versione")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Confronto delle versioni di {draft.code}")
    expect(page.get_by_test_id("diff-campi")).to_contain_text("Finalità")
    expect(page.locator("ins").filter(has_text="molto")).to_have_count(1)
    removed = page.get_by_test_id("diff-fasi").locator("li[data-kind=removed]")
    expect(removed).to_contain_text("Fase «Attuazione»")
    axe_check(page)

    page.get_by_role("link", name="Piano").first.click()
    page.get_by_role("link", name="Il piano a una data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Il piano a una data")
    axe_check(page)
    yesterday = dt.date.today() - dt.timedelta(days=1)  # noqa: DTZ011 - the browser's day is the server's
    page.get_by_label("Giorno").fill(yesterday.isoformat())
    page.get_by_role("button", name="Mostra").click()
    expect(page.get_by_text("In quel momento il piano non aveva ancora obiettivi.")).to_be_visible()
    axe_check(page, what="the plan before any objective")
    page.get_by_label("Giorno").fill(dt.date.today().isoformat())  # noqa: DTZ011
    page.get_by_role("button", name="Mostra").click()
    section = page.locator(f"section[data-code='{draft.code}']")
    expect(section).to_contain_text("Inviato alla Segreteria")
    expect(section).to_contain_text("Analisi")
    axe_check(page, what="the plan at the end of today")


@pytest.mark.django_db(transaction=True)
def test_the_responsible_dirigente_restores_a_version_of_the_draft(live_server, page, draft, people):
    satta = people["dirigente_satta"]
    objective_update(
        objective_id=draft.pk,
        by=satta,
        lock_version=fresh(draft).lock_version,
        fields={"title": "Titolo da non tenere"},
        note="Prova",
    )

    login(page, live_server, "dirigente_satta")
    page.goto(f"{live_server.url}/obiettivi/{draft.pk}/")
    page.get_by_role("link", name="Tutte le versioni e i confronti tra versioni").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Versioni di {draft.code}")
    axe_check(page)

    page.get_by_role("link", name="Ripristina la versione 2…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ripristinare la versione 2 di {draft.code}?")
    expect(page.get_by_test_id("diff-campi")).to_contain_text("Titolo da non tenere")
    axe_check(page)

    page.get_by_role("button", name="Conferma il ripristino della versione 2").click()
    expect(page.get_by_text("Indica la motivazione del ripristino.")).to_be_visible()
    axe_check(page, what="the restore page with its error")

    page.get_by_label("Motivazione del ripristino").fill("Il titolo concordato era quello")
    page.get_by_role("button", name="Conferma il ripristino della versione 2").click()
    expect(page.locator(".messages .alert-success")).to_have_text(
        "Ripristinata la versione 2: è ora la versione attuale."
    )
    latest = page.get_by_test_id("versioni").locator("tbody tr").first
    expect(latest).to_contain_text("Ripristino della versione 2 del")
    expect(latest).to_contain_text("Il titolo concordato era quello")
    axe_check(page)
    assert fresh(draft).title != "Titolo da non tenere"
