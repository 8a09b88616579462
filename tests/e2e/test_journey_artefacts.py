"""Journey 3: the steps outside the office with their real artefacts, through the pages only.

A body with qualified signatures: the responsible dirigente and the Segretario Generale each download the
PDF the application froze, sign it with their own tool (pyHanko with a test CA) and upload it; the
Segreteria adopts with the act's PDF, downloads the package for the portal, records the portal's receipt
with its file and publishes; an anonymous visitor finds the objective in Amministrazione Trasparente and
downloads the very PDF the two signed, and the act. axe-core checks every page on the way.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from approvals.models import AdoptionAct, SignedDocument, Transmission
from approvals.transmission import manifest_problems, read_package
from tests import pki
from tests.e2e.browser import (
    axe_check,
    confirm,
    expect_objective,
    goto,
    login,
    logout,
    open_action,
    switch_user,
)
from tests.support import SMALL_PDF, small_pdf, walk_to
from workflow.interchange import schema_problems
from workflow.models import Identity, SignerMatch, State

pytestmark = pytest.mark.e2e

SATTA_CF = "STTSBR70A41D150X"
PLACCHI_CF = "PLCMSM60A01D150Y"
ACT_PDF = SMALL_PDF + b"% decreto del Presidente n. 7/2023\n"
RECEIPT_PDF = small_pdf("ricevuta del portale PIAO")


def download(page, locator) -> tuple[str, bytes]:
    with page.expect_download() as info:
        locator.click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def sign_by_upload(page, signer, name: str) -> None:
    _, current = download(page, page.get_by_test_id("scarica-documento"))
    sign = open_action(page, "sign")
    sign.get_by_label("PDF firmato digitalmente (PAdES)").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": pki.sign_anywhere(current, signer)}]
    )
    sign.get_by_role("button", name="Conferma: firma").click()


@pytest.mark.django_db(transaction=True)
def test_signed_adopted_transmitted_published_and_public(live_server, page, draft, people, body):
    ca = pki.authority("CA qualificata di prova")
    body.signature_mode = "qualified"
    body.trust_roots = ca.pem
    body.signer_match = SignerMatch.FISCAL_CODE
    body.save()
    Identity.objects.create(user=people["dirigente_satta"], fiscal_code=SATTA_CF)
    Identity.objects.create(user=people["segretario"], fiscal_code=PLACCHI_CF)
    objective = walk_to(draft, State.SIGNATURE, people)
    detail_url = f"{live_server.url}/obiettivi/{objective.pk}/"

    # -- two signatures by upload on the same frozen PDF ------------------------------------------------
    login(page, live_server, "dirigente_satta")
    goto(page, detail_url)
    sign_by_upload(page, ca.signer(given_name="Sabrina", surname="Satta", fiscal_code=SATTA_CF), "satta.pdf")
    expect_objective(page, state="In firma", message="Firma: fatto. Stato attuale: In firma.")

    switch_user(page, live_server, "segretario")
    goto(page, detail_url)
    placchi = ca.signer(given_name="Massimo", surname="Placchi", fiscal_code=PLACCHI_CF)
    sign_by_upload(page, placchi, "placchi.pdf")
    expect_objective(page, state="In deliberazione", message="Firma: fatto. Stato attuale: In deliberazione.")
    expect(page.get_by_test_id("firme-digitali").locator("li")).to_have_count(2)
    document = SignedDocument.objects.get()
    signed = bytes(document.current.content)
    assert signed.startswith(bytes(document.original.content)) and pki.signature_count(signed) == 2

    # -- the Segreteria adopts with the act's PDF -------------------------------------------------------
    switch_user(page, live_server, "segreteria")
    goto(page, detail_url)
    adopt = open_action(page, "adopt")
    adopt.get_by_label("Tipo di atto").select_option("decreto_presidente")
    adopt.get_by_label("Numero dell'atto").fill("7")
    adopt.get_by_label("Data dell'atto").fill("2023-01-30")
    adopt.get_by_label("PDF dell'atto").set_input_files(
        files=[{"name": "decreto-7-2023.pdf", "mimeType": "application/pdf", "buffer": ACT_PDF}]
    )
    confirm(adopt)
    expect_objective(page, state="In trasmissione a Funzione Pubblica")
    act = AdoptionAct.objects.get()
    assert bytes(act.file.content) == ACT_PDF and list(act.objectives.all()) == [objective]
    expect(page.get_by_text("Decreto del Presidente n. 7 del 30/01/2023").first).to_be_visible()

    # -- the package for the portal: the signed PDF, the JSON export, a manifest that matches them ------
    panel = page.get_by_test_id("trasmissione")
    _, package = download(page, panel.get_by_role("link", name="Scarica il pacchetto per il portale"))
    assert manifest_problems(package) == []
    manifest, files = read_package(package)
    assert [x["code"] for x in manifest["objectives"]] == [objective.code]
    pdfs = [content for name, content in files.items() if name.endswith(".pdf")]
    assert pdfs == [signed]  # the file with both signatures, byte for byte
    exported = [json.loads(content) for name, content in files.items() if name.endswith(".json")]
    assert len(exported) == 1 and schema_problems(exported[0]) == []

    # -- the portal's receipt, then the publication ------------------------------------------------------
    transmit = open_action(page, "transmit")
    transmit.get_by_label("Protocollo della ricevuta del portale").fill("DFP-PIAO-2023-0042")
    transmit.get_by_label("Data della ricevuta").fill("2023-01-31")
    transmit.get_by_label(re.compile("File della ricevuta")).set_input_files(
        files=[{"name": "ricevuta.pdf", "mimeType": "application/pdf", "buffer": RECEIPT_PDF}]
    )
    confirm(transmit)
    expect_objective(page, state="In pubblicazione")
    expect(page.get_by_test_id("trasmissione")).to_contain_text("Ricevuta DFP-PIAO-2023-0042 del 31/01/2023")
    transmission = Transmission.objects.get()
    assert bytes(transmission.package.content) == package
    assert bytes(transmission.receipt_file.content) == RECEIPT_PDF

    publish = open_action(page, "publish")
    publish.get_by_label("Data di pubblicazione").fill("2023-02-01")
    publish.get_by_label("Indirizzo in Amministrazione Trasparente").fill(
        f"{live_server.url}/trasparenza/p_cr/piao/2023/"
    )
    confirm(publish)
    expect_objective(page, state="Pubblicato")
    logout(page)

    # -- anyone, without signing in, reads it in Amministrazione Trasparente ------------------------------
    goto(page, f"{live_server.url}/trasparenza/p_cr/piao/2023/")
    card = page.get_by_test_id(f"obiettivo-{objective.code}")
    expect(card).to_contain_text(objective.title)
    axe_check(page)
    card.get_by_role("link", name=objective.code, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{objective.code} – {objective.title}")
    expect(page.get_by_test_id("atto").first).to_contain_text("Decreto del Presidente n. 7 del 30/01/2023")
    axe_check(page)
    _, public_pdf = download(page, page.get_by_test_id("pdf-firmato"))
    assert public_pdf == signed
    _, public_act = download(page, page.get_by_test_id("atto").first.get_by_role("link").first)
    assert public_act == ACT_PDF
