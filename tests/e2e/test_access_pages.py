"""What a person sees where they may not go: the 403 page for an action they have no right to, the 404
page for an objective they may not see (of another body, or not yet open to them), the login page for
someone not signed in."""

import pytest
from playwright.sync_api import expect

from flows import errors
from tests.e2e.browser import PASSWORD, axe_check, goto, login, logout
from tests.factories import ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.e2e


def expect_forbidden(page, message: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Operazione non consentita")
    expect(page.get_by_role("alert")).to_have_text(message)
    expect(page.get_by_text("Nessun dato è stato modificato.")).to_be_visible()


def expect_not_found(page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina non trovata")
    expect(page.get_by_text("La pagina richiesta non esiste oppure non hai i permessi per vederla.")) \
        .to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_forbidden_and_invisible_pages(live_server, page, draft, people, other_body):
    hidden = ObjectiveFactory(plan=PlanFactory(body=other_body), responsible=None)

    # A dirigente sees a colleague's draft but may not edit it, nor use the Segreteria's batch page.
    login(page, live_server, "dirigente_rossi")
    goto(page, f"{live_server.url}/obiettivi/{draft.pk}/")
    expect(page.get_by_role("link", name="Modifica la bozza")).to_have_count(0)
    expect(page.get_by_text("Nessuna azione disponibile per te in questo stato.")).to_be_visible()
    goto(page, f"{live_server.url}/obiettivi/{draft.pk}/modifica/", status=403)
    expect_forbidden(page, errors.NOT_EDITABLE)
    goto(page, f"{live_server.url}/operazioni-multiple/", status=403)
    expect_forbidden(page, "Le operazioni multiple sono riservate alla Segreteria Generale.")
    page.get_by_role("link", name="Torna a «Le mie attività»").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le mie attività")
    axe_check(page)

    # Another body's objective, and one that does not exist, are the same "not found".
    goto(page, f"{live_server.url}/obiettivi/{hidden.pk}/", status=404)
    expect_not_found(page)
    goto(page, f"{live_server.url}/obiettivi/{hidden.pk}/modifica/", status=404)
    expect_not_found(page)
    goto(page, f"{live_server.url}/obiettivi/{hidden.pk + 1000}/", status=404)
    expect_not_found(page)

    # The unions do not see a draft before the consultation.
    logout(page)
    login(page, live_server, "sindacato")
    goto(page, f"{live_server.url}/obiettivi/{draft.pk}/", status=404)
    expect_not_found(page)


@pytest.mark.django_db(transaction=True)
def test_anonymous_visitor_signs_in_and_lands_on_the_page_asked_for(live_server, page, draft):
    detail_url = f"{live_server.url}/obiettivi/{draft.pk}/"
    goto(page, detail_url)  # answered by the login page, after the redirect
    expect(page).to_have_url(f"{live_server.url}/accesso/?next=/obiettivi/{draft.pk}/")
    page.fill("#id_username", "dirigente_satta")
    page.fill("#id_password", "password-sbagliata")
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("alert")).to_have_text("Nome utente o password non corretti. Riprova.")
    axe_check(page)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(detail_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(draft.title)
    axe_check(page)
