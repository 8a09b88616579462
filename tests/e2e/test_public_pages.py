"""An anonymous visitor reads the published plan in Amministrazione Trasparente: body, year, objective, an
earlier revision, the downloads. axe-core checks every page. Then the Segreteria sees the deadlines."""

import io
import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from approvals.models import AdoptionAct, SignedDocument, SignedDocumentObjective, StoredFile
from flows.services.content import objective_update
from tests.e2e.browser import axe_check, goto, login
from tests.support import act, fresh, small_pdf, walk_to
from workflow.interchange import schema_problems
from workflow.models import State

pytestmark = pytest.mark.e2e

PDF = small_pdf("documento firmato di prova")
NEW_TITLE = "Pagamenti ai fornitori entro trenta giorni"


def _stored(name, content, by=None):
    return StoredFile.objects.create(
        name=name, size=len(content), sha256=StoredFile.digest(content), content=content, created_by=by
    )


def _publish_two_revisions(draft, people):
    """Revision 1 published with a signed PDF and the act's PDF; revision 2 published with a new title."""
    objective = walk_to(draft, State.SIGNATURE, people)
    stored = _stored("firmato.pdf", PDF, people["segreteria"])
    document = SignedDocument.objects.create(
        body=objective.plan.body,
        original=stored,
        current=stored,
        content_hash="0" * 64,
        created_by=people["segreteria"],
        created_at=timezone.now(),
    )
    SignedDocumentObjective.objects.create(document=document, objective=objective, revision=1)
    for name, who in (("sign", "dirigente_satta"), ("sign", "segretario"), ("adopt", "segreteria")):
        if fresh(objective).state != State.SIGNATURE and name == "sign":
            continue
        act(objective, name, people[who])
    AdoptionAct.objects.filter(objectives=objective).update(file=_stored("decreto.pdf", PDF + b"atto"))
    act(objective, "transmit", people["segreteria"])
    act(objective, "publish", people["segreteria"])
    act(objective, "revise", people["segreteria"])
    current = fresh(objective)
    objective_update(
        objective_id=current.pk,
        by=people["dirigente_satta"],
        lock_version=current.lock_version,
        fields={"title": NEW_TITLE},
    )
    return walk_to(current, State.PUBLISHED, people)


@pytest.mark.django_db(transaction=True)
def test_anonymous_visitor_browses_the_published_plan(live_server, page, draft, people):
    old_title = draft.title
    objective = _publish_two_revisions(draft, people)
    code = objective.code

    goto(page, f"{live_server.url}/trasparenza/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Amministrazione Trasparente: PIAO")
    expect(page.get_by_role("navigation", name="Navigazione principale")).to_have_count(0)
    page.get_by_role("link", name="Provincia di Cremona").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Provincia di Cremona")
    axe_check(page)

    page.get_by_role("link", name=re.compile("PIAO 2023")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PIAO 2023-2025: obiettivi di performance 2023")
    crumbs = page.get_by_test_id("briciole")
    expect(crumbs).to_contain_text("Disposizioni generali")
    expect(crumbs).to_contain_text("Atti generali")
    card = page.get_by_test_id(f"obiettivo-{code}")
    expect(card).to_contain_text(NEW_TITLE)
    expect(card).not_to_contain_text(old_title)
    axe_check(page)
    card.locator("summary").click()
    expect(card.get_by_role("table", name=f"Indicatori dell'obiettivo {code}")).to_be_visible()
    axe_check(page, what="the year page with the phases and indicators open")

    with page.expect_download() as download:
        page.get_by_role("link", name="Obiettivi in JSON").click()
    assert download.value.suggested_filename == "piao-p_cr-2023.json"
    document = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert schema_problems(document) == []
    assert [(o["code"], o["title"], o["revision"]) for o in document["objectives"]] == [(code, NEW_TITLE, 2)]
    with page.expect_download() as download:
        page.get_by_role("link", name="Tabella «obiettivi» in CSV").click()
    assert download.value.suggested_filename == "piao-p_cr-2023-obiettivi.csv"
    assert NEW_TITLE in open(download.value.path(), encoding="utf-8-sig").read()

    card.get_by_role("link", name=code, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{code} – {NEW_TITLE}")
    expect(page.get_by_test_id("revisione").first).to_have_text("2")
    axe_check(page)

    page.get_by_test_id("revisioni").get_by_role("link", name="Revisione 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{code} – {old_title}")
    expect(page.get_by_text("poi sostituita")).to_be_visible()
    expect(page.get_by_test_id("atto").first).to_contain_text("Decreto del Presidente n. 12 del 01/03/2023")
    axe_check(page)
    # approved with authenticated access: the citizen reads who approved, and the published PDF ends with
    # the attestation of the approvals
    signers = page.get_by_test_id("firmatari").first
    expect(signers).to_contain_text("Sabrina Satta (Dirigente responsabile)")
    expect(signers).to_contain_text("Massimo Placchi (Segretario Generale)")
    expect(page.get_by_text("con l'attestazione delle approvazioni").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("pdf-firmato").click()
    assert download.value.suggested_filename == f"{code}-rev1-firmato.pdf"
    pages = PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages
    assert len(pages) == 2 and "Attestazione delle approvazioni" in pages[1].extract_text()

    goto(page, f"{live_server.url}/trasparenza/p_cr/piao/2023/obiettivi/2023_0000/", status=404)


@pytest.mark.django_db(transaction=True)
def test_segreteria_sees_the_deadlines_and_moves_the_plan_deadline(live_server, page, draft, plan, people):
    login(page, live_server, "segreteria")
    deadlines = page.get_by_test_id("scadenze")
    expect(deadlines).to_contain_text("Scaduto")  # the 2023 plan's deadline passed long ago
    expect(deadlines).to_contain_text(draft.code)

    goto(page, f"{live_server.url}/piani/{plan.year}/")
    page.get_by_text("Cambia la scadenza di adozione").click()
    axe_check(page, what="the plan page with the deadline form open")
    page.get_by_label("Scadenza di adozione").fill("2023-04-30")
    page.get_by_role("button", name="Salva la scadenza").click()
    expect(page.get_by_test_id("scadenza-adozione")).to_have_text("30/04/2023")
    axe_check(page)
