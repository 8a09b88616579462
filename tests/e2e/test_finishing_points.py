"""What each role sees of the finishing work, in a real browser (axe at both widths on every page): the
amministratore's counts, a draft sent back and why, the transmission page in the menu, the inbox grouped
by objective and marked read by group, the guide in the header, the footer's legal links, the publication
form proposing the public page, and the XLSX next to the CSV on the public year page."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_check, goto, login, logout, open_action
from tests.factories import ObjectiveFactory
from tests.support import act, walk_to
from workflow.models import State

pytestmark = pytest.mark.e2e

RETURN_REASON = "Manca l'indicatore di efficienza richiesto dal DUP"


@pytest.mark.django_db(transaction=True)
def test_each_role_finds_what_the_finishing_work_added(live_server, page, plan, draft, people):
    other = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    walk_to(draft, State.SUBMITTED, people)
    act(draft, "return_to_drafting", people["segreteria"], data={"comment": RETURN_REASON})
    walk_to(other, State.PUBLICATION, people)

    # The amministratore counts the objectives in each state, without opening them.
    login(page, live_server, "amministratore")
    expect(page.get_by_test_id("conteggio-drafting")).to_have_text("1")
    expect(page.get_by_test_id("conteggio-publication")).to_have_text("1")
    footer = page.get_by_test_id("piede-collegamenti")
    expect(footer.get_by_role("link", name="Dichiarazione di accessibilità")).to_be_visible()
    expect(footer.get_by_role("link", name="Privacy")).to_be_visible()
    expect(footer.get_by_role("link", name="Note legali")).to_be_visible()
    logout(page)

    # The dirigente sees on arrival the draft sent back and why, and reads it at the top of the objective.
    login(page, live_server, "dirigente_satta")
    expect(page.get_by_test_id("restituita")).to_have_count(1)
    expect(page.get_by_text(RETURN_REASON).first).to_be_visible()
    page.get_by_role("link", name="Guida").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guida")
    axe_check(page, what="the guide")
    goto(page, f"{live_server.url}/obiettivi/{draft.pk}/")
    expect(page.get_by_test_id("motivo-restituzione")).to_contain_text(RETURN_REASON)

    # Her inbox, grouped by objective: one group read at a time.
    goto(page, f"{live_server.url}/notifiche/")
    page.get_by_label("Raggruppa", exact=True).select_option(label="Per obiettivo")
    page.get_by_role("button", name="Applica").click()
    groups = page.locator("[data-gruppo]")
    expect(groups).to_have_count(2)
    axe_check(page, what="the inbox grouped by objective")
    first = groups.first
    first.get_by_role("button", name=re.compile(r"^Segna come lette le \d+ notifiche")).click()
    expect(page.locator("[data-gruppo]").first.locator(".notifica-nuova")).to_have_count(0)
    expect(page.locator("[data-gruppo]").nth(1).locator(".notifica-nuova")).not_to_have_count(0)
    logout(page)

    # The Segreteria reaches the transmission page from the menu, and publishes with the address proposed.
    login(page, live_server, "segreteria")
    menu = page.get_by_role("navigation", name="Navigazione principale")
    menu.get_by_role("link", name="Trasmissione").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trasmissione")
    axe_check(page, what="the transmission page")
    goto(page, f"{live_server.url}/obiettivi/{other.pk}/")
    publish = open_action(page, "publish")
    public = f"/trasparenza/p_cr/piao/{plan.year}/obiettivi/{other.code}/"  # on SITE_URL's host
    expect(publish.get_by_label(re.compile("Indirizzo"))).to_have_value(re.compile(re.escape(public) + "$"))
    logout(page)

    # A citizen finds the tables in Excel next to the CSV.
    act(other, "publish", people["segreteria"])
    goto(page, f"{live_server.url}/trasparenza/p_cr/piao/{plan.year}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Le tre tabelle in Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    expect(page.get_by_test_id("formato-csv")).to_contain_text("UTF-8")
