"""The Segreteria transmits to Funzione Pubblica in the browser: downloads the package, records the
portal's receipt with its file; and, for a body sending through an intermediary, sees a failed delivery
on the objective's page and sends it again. axe-core checks every page."""

import re

import pytest
from playwright.sync_api import expect

from approvals.models import Transmission, TransmissionStatus
from approvals.transmission import manifest_problems, read_package
from tests.approvals.receiver import LOCAL, Receiver
from tests.e2e.browser import axe_check, confirm, expect_objective, goto, login, open_action
from tests.support import small_pdf, walk_to
from workflow.models import State, TransmitterMode

pytestmark = pytest.mark.e2e

RECEIPT_PDF = small_pdf("ricevuta del portale")


@pytest.mark.django_db(transaction=True)
def test_download_the_package_and_record_the_receipt(live_server, page, draft, people, tmp_path):
    o = walk_to(draft, State.TRANSMISSION, people)
    login(page, live_server, "segreteria")
    goto(page, f"{live_server.url}/obiettivi/{o.pk}/")
    panel = page.get_by_test_id("trasmissione")
    expect(panel).to_contain_text("Caricamento manuale sul portale")

    with page.expect_download() as info:
        panel.get_by_role("link", name="Scarica il pacchetto per il portale").click()
    content = open(info.value.path(), "rb").read()
    assert manifest_problems(content) == []
    manifest, _ = read_package(content)
    assert [x["code"] for x in manifest["objectives"]] == [o.code]

    panel.get_by_role("link", name="Pacchetto di più obiettivi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trasmissione a Funzione Pubblica")
    expect(page.get_by_role("checkbox", name=o.code)).to_be_checked()
    axe_check(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Scarica il pacchetto degli obiettivi selezionati").click()
    assert open(info.value.path(), "rb").read() == content  # the same objectives, the same bytes
    with page.expect_download() as info:  # a download form may be sent again (only POST forms are guarded)
        page.get_by_role("button", name="Scarica il pacchetto degli obiettivi selezionati").click()
    assert open(info.value.path(), "rb").read() == content

    goto(page, f"{live_server.url}/obiettivi/{o.pk}/")
    receipt = tmp_path / "ricevuta.pdf"
    receipt.write_bytes(RECEIPT_PDF)
    transmit = open_action(page, "transmit")
    transmit.get_by_label("Protocollo della ricevuta del portale").fill("DFP-2023-0001")
    transmit.get_by_label("Data della ricevuta").fill("2023-03-02")
    transmit.get_by_label(re.compile("File della ricevuta")).set_input_files(str(receipt))
    confirm(transmit)
    expect_objective(page, state="In pubblicazione")
    panel = page.get_by_test_id("trasmissione")
    expect(panel).to_contain_text("Ricevuta registrata")
    expect(panel).to_contain_text("Ricevuta DFP-2023-0001 del 02/03/2023")
    t = Transmission.objects.get()
    assert bytes(t.receipt_file.content) == RECEIPT_PDF and bytes(t.package.content) == content


@pytest.mark.django_db(transaction=True)
def test_a_failed_delivery_is_shown_and_sent_again(live_server, page, draft, people, body, settings):
    settings.TRANSMISSION_HTTP_TIMEOUT = 2
    settings.TRANSMISSION_MAX_ATTEMPTS = 1
    settings.TRANSMITTER_ALLOWED_URL_PREFIXES = [LOCAL]
    o = walk_to(draft, State.TRANSMISSION, people)
    with Receiver(["fail", "ok"]) as receiver:
        body.transmitter, body.transmitter_url = TransmitterMode.HTTP, receiver.url
        body.save()
        login(page, live_server, "segreteria")
        goto(page, f"{live_server.url}/obiettivi/{o.pk}/")
        transmit = open_action(page, "transmit")
        expect(transmit.get_by_label("Protocollo della ricevuta del portale")).to_have_count(0)
        confirm(transmit)
        expect_objective(page, state="In pubblicazione")
        panel = page.get_by_test_id("trasmissione")
        expect(panel).to_contain_text("Non consegnato (tentativi esauriti)")
        expect(panel).to_contain_text("Ultimo errore: Risposta HTTP 500 dall'intermediario.")
        panel.locator("summary").click()
        expect(panel).to_contain_text("HTTP 500")
        axe_check(page, what="the objective's page with the failed transmission")

        panel.get_by_role("link", name="Oppure carica il pacchetto a mano e registra la ricevuta").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ricevuta del caricamento manuale")
        expect(page.get_by_label("Protocollo della ricevuta del portale")).to_be_visible()
        axe_check(page)
        page.get_by_role("button", name="Registra la ricevuta").click()  # empty: refused next to the field
        expect(page.locator("#id_ricevuta-receipt_reference_error")).to_be_visible()
        axe_check(page, what="the manual receipt page with errors")
        goto(page, f"{live_server.url}/obiettivi/{o.pk}/")

        publish = open_action(page, "publish")
        publish.get_by_label("Data di pubblicazione").fill("2023-03-03")
        publish.get_by_label("Indirizzo in Amministrazione Trasparente").fill("https://e.example.org/piao")
        confirm(publish)
        expect(page.locator(".messages .alert-danger")).to_contain_text("non è ancora stata consegnata")
        axe_check(page)

        page.get_by_test_id("trasmissione").get_by_role("button", name="Ritenta l'invio").click()
        expect(page.locator(".messages .alert-success")).to_have_text(
            "Nuovo invio della trasmissione avviato."
        )
        panel = page.get_by_test_id("trasmissione")
        expect(panel).to_contain_text("Consegnato")
        expect(panel).to_contain_text("Ricevuta DFP-2023-0001 del 04/03/2023")
        axe_check(page)
    assert Transmission.objects.get().status == TransmissionStatus.DELIVERED
    assert len(receiver.uploads) == 1
