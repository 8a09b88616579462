"""On a phone (390 px wide) the header fits: the slim header wraps and keeps "Esci" on screen, the main
menu sits behind Bootstrap Italia's menu button, and no page is wider than the screen (wide tables scroll
inside their own focusable region). The screenshots go to $E2E_SCREENSHOTS (default: the system's temporary
folder), to be kept as artefacts of the run."""

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_check, goto, login

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS") or tempfile.gettempdir())

# Whatever sticks out of the screen to the right: the page's own width, and any element of the header or
# the main content whose box ends beyond the viewport (a scrolling region's content does not count).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".table-responsive, .navbar-collapsable")) continue;
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 1) {
      out.push(el.tagName.toLowerCase() + "." + el.className + " " + Math.round(r.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width: width, out: out.slice(0, 10)};
}"""


def _fits(page, name):
    result = page.evaluate(OVERFLOW)
    page.screenshot(path=SCREENSHOTS / f"piao-390-{name}.png", full_page=True)
    assert result["scroll"] <= result["width"], result
    assert not result["out"], result


def test_the_header_fits_a_phone_and_the_menu_opens_with_its_button(page, live_server, people, draft):
    page.set_viewport_size(PHONE)
    login(page, live_server, "segreteria")
    _fits(page, "dashboard")
    esci = page.get_by_role("button", name="Esci")
    expect(esci).to_be_in_viewport(ratio=1)
    menu = page.get_by_role("navigation", name="Navigazione principale")
    objectives = menu.get_by_role("link", name="Obiettivi")
    expect(objectives).to_be_hidden()
    toggler = page.get_by_role("button", name="Mostra o nascondi il menu")
    expect(toggler).to_have_attribute("aria-expanded", "false")
    toggler.click()
    expect(objectives).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    page.wait_for_timeout(600)  # the panel slides in
    page.screenshot(path=SCREENSHOTS / "piao-390-menu.png")
    axe_check(page, what="the dashboard with the phone menu open")
    objectives.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Obiettivi di performance")
    _fits(page, "obiettivi")


def test_the_edit_page_and_the_objective_fit_a_phone(page, live_server, people, draft):
    page.set_viewport_size(PHONE)
    login(page, live_server, "dirigente_satta")
    goto(page, f"{live_server.url}/obiettivi/{draft.pk}/")
    _fits(page, "scheda")
    goto(page, f"{live_server.url}/obiettivi/{draft.pk}/modifica/")
    _fits(page, "modifica")
    for region in page.locator("main .table-responsive").all():
        expect(region).to_have_attribute("tabindex", "0")
        expect(region).to_have_attribute("role", "region")


def test_the_desktop_menu_shows_without_a_button(page, live_server, people, draft):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, "segreteria")
    menu = page.get_by_role("navigation", name="Navigazione principale")
    expect(menu.get_by_role("link", name="Obiettivi")).to_be_visible()
    expect(page.get_by_role("button", name="Mostra o nascondi il menu")).to_be_hidden()
    page.screenshot(path=SCREENSHOTS / "piao-1366-dashboard.png")


# Tables whose content is wider than their region (a column that needs scrolling to be seen).
CLIPPED_TABLES = """() => [...document.querySelectorAll("main .table-responsive")]
  .filter((r) => r.scrollWidth > r.clientWidth + 1)
  .map((r) => r.getAttribute("aria-label") + " " + r.scrollWidth + ">" + r.clientWidth)"""
# Inputs of the form tables too narrow for the value they show ("50,0" of "50,00").
CLIPPED_INPUTS = """() => {
  const ctx = document.createElement("canvas").getContext("2d");
  return [...document.querySelectorAll("table.formset input[type=text]")].filter((i) => {
    const style = getComputedStyle(i);
    ctx.font = style.font;
    const room = i.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return i.value && ctx.measureText(i.value).width > room;
  }).map((i) => i.name + "=" + i.value);
}"""


def test_at_1366_px_no_column_of_the_objective_or_its_edit_page_is_clipped(page, live_server, people, draft):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, "dirigente_satta")
    for name, path in (("scheda", ""), ("modifica", "modifica/")):
        goto(page, f"{live_server.url}/obiettivi/{draft.pk}/{path}")
        page.screenshot(path=SCREENSHOTS / f"piao-1366-{name}.png", full_page=True)
        assert page.evaluate(CLIPPED_TABLES) == []
        assert page.evaluate(CLIPPED_INPUTS) == []
