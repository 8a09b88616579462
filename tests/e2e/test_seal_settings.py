"""The Segreteria configures the body's electronic seal: a wrong password is refused next to the file
field, the right one shows the seal's certificate; axe on every page state."""

import pytest
from playwright.sync_api import expect

from approvals.models import BodySeal
from tests import pki
from tests.e2e.browser import axe_check, goto, login

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_the_segreteria_configures_the_seal(live_server, page, people, body):
    p12 = pki.authority("CA dei sigilli di prova").seal_pkcs12("Provincia di Cremona", "parola-giusta")
    login(page, live_server, "segreteria")
    goto(page, f"{live_server.url}/ente/impostazioni/")
    section = page.get_by_test_id("sigillo")
    expect(section.get_by_test_id("sigillo-assente")).to_contain_text("la sola pagina di attestazione")

    upload = {"name": "sigillo.p12", "mimeType": "application/x-pkcs12", "buffer": p12}
    section.get_by_label("Certificato del sigillo").set_input_files(upload)
    section.get_by_label("Password del file").fill("parola-sbagliata")
    section.get_by_role("button", name="Configura il sigillo").click()
    expect(page.get_by_test_id("sigillo").locator(".errorlist")).to_contain_text("la password non è quella")
    axe_check(page, what="the settings page with the seal refused")
    assert not BodySeal.objects.exists()

    section = page.get_by_test_id("sigillo")
    section.get_by_label("Certificato del sigillo").set_input_files(upload)
    section.get_by_label("Password del file").fill("parola-giusta")
    section.get_by_role("button", name="Configura il sigillo").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("Sigillo elettronico configurato")
    expect(page.get_by_test_id("sigillo-configurato")).to_contain_text("Sigillo di Provincia di Cremona")
    axe_check(page, what="the settings page with the seal configured")
    assert BodySeal.objects.get(body=body).subject.startswith("CN=Sigillo di Provincia di Cremona")
