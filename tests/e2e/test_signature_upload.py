"""Signing by upload in the browser: each signer downloads the document from the objective's page, signs it
with their own tool (here pyHanko with a test CA) and uploads it; a signature by the wrong person is
refused with its message; the objective moves to deliberation with the last signature. Axe on every page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from approvals import signatures as sig
from approvals.models import SignedDocument
from tests import pki
from tests.e2e.browser import axe_check, expect_objective, goto, login, open_action, switch_user
from tests.support import walk_to
from workflow.models import Identity, SignerMatch, State

pytestmark = pytest.mark.e2e

SATTA_CF = "STTSBR70A41D150X"
PLACCHI_CF = "PLCMSM60A01D150Y"


def download_document(page) -> bytes:
    with page.expect_download() as info:
        page.get_by_test_id("scarica-documento").click()
    return Path(info.value.path()).read_bytes()


def upload(page, content: bytes, name: str) -> None:
    sign = page.get_by_test_id("azione-sign")
    if sign.get_attribute("open") is None:  # after a refusal the page shows the form open already
        sign = open_action(page, "sign")
    expect(sign).to_contain_text("firmalo con il tuo strumento di firma digitale")
    sign.get_by_label("PDF firmato digitalmente (PAdES)").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": content}]
    )
    sign.get_by_role("button", name="Conferma: firma").click()


@pytest.mark.django_db(transaction=True)
def test_two_signers_sign_the_downloaded_pdf(live_server, page, draft, people, body):
    ca = pki.authority("CA qualificata di prova")
    body.signature_mode = "qualified"
    body.trust_roots = ca.pem
    body.signer_match = SignerMatch.FISCAL_CODE
    body.save()
    Identity.objects.create(user=people["dirigente_satta"], fiscal_code=SATTA_CF)
    Identity.objects.create(user=people["segretario"], fiscal_code=PLACCHI_CF)
    satta = ca.signer(given_name="Sabrina", surname="Satta", fiscal_code=SATTA_CF)
    placchi = ca.signer(given_name="Massimo", surname="Placchi", fiscal_code=PLACCHI_CF)
    walk_to(draft, State.SIGNATURE, people)
    detail_url = f"{live_server.url}/obiettivi/{draft.pk}/"

    # -- the responsible dirigente: first the segretario's signature by mistake, then her own ------------
    login(page, live_server, "dirigente_satta")
    goto(page, detail_url)
    panel = page.get_by_test_id("documento-firma")
    expect(panel).to_contain_text("Documento da firmare")
    expect(page.get_by_test_id("istruzioni-firma")).to_be_visible()
    original = download_document(page)
    assert original == bytes(SignedDocument.objects.get().original.content)

    upload(page, pki.sign_anywhere(original, placchi), "firmato-da-altri.pdf")
    sign = page.get_by_test_id("azione-sign")
    expect(sign).to_have_attribute("open", "")  # the form again, the refusal next to the file field
    axe_check(page)
    expect(sign.locator(".errorlist")).to_have_text(
        sig.WRONG_SIGNER.format(
            holder=f"Massimo Placchi, codice fiscale {PLACCHI_CF}",
            expected=f"Sabrina Satta, codice fiscale {SATTA_CF}",
        )
    )
    expect_objective(page, state="In firma")

    upload(page, pki.sign_anywhere(original, satta), "firmato-satta.pdf")
    expect_objective(page, state="In firma", message="Firma: fatto. Stato attuale: In firma.")
    expect(page.get_by_test_id("firme-digitali")).to_contain_text(f"codice fiscale {SATTA_CF}")
    expect(page.get_by_test_id("azione-sign")).to_have_count(0)

    # -- the Segretario Generale signs the file with her signature on it ---------------------------------
    switch_user(page, live_server, "segretario")
    goto(page, detail_url)
    current = download_document(page)
    assert current.startswith(original) and pki.signature_count(current) == 1
    upload(page, pki.sign_anywhere(current, placchi), "firmato-placchi.pdf")
    expect_objective(page, state="In deliberazione", message="Firma: fatto. Stato attuale: In deliberazione.")
    signatures = page.get_by_test_id("firme-digitali").locator("li")
    expect(signatures).to_have_count(2)
    assert pki.signature_count(bytes(SignedDocument.objects.get().current.content)) == 2

    # -- the Segreteria sees the body's signature settings -----------------------------------------------
    switch_user(page, live_server, "segreteria")
    page.get_by_role("link", name="Impostazioni dell'ente").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impostazioni dell'ente")
    expect(page.get_by_label("Modalità di firma")).to_have_value("qualified")
    axe_check(page)
