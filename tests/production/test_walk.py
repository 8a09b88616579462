"""A short walk over the production installation, as its first users would take it: the public pages and
the static files; a dirigente and the Segreteria signing in; the Segreteria approving a submitted objective
while the dirigente's page, open in another browser, is told live (the two pages may be served by
different server processes: the push crosses Redis); the 404 and 403 pages. Every page is also checked
with axe-core and runs under the content security policy."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_check

pytestmark = pytest.mark.production

PASSWORD = "Demo-PIAO-2023!"  # the demo data's (seed_demo --allow-demo-passwords)


@pytest.fixture
def page(page):
    page.set_default_timeout(15_000)
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    assert not refused, "\n".join(refused)


def sign_in(page, site, timings, username):
    timings.goto(page, f"{site}/accesso/")
    axe_check(page)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le mie attività")
    axe_check(page)


def test_public_pages_static_files_and_errors(page, site, timings):
    timings.goto(page, f"{site}/trasparenza/")
    expect(page.get_by_role("link", name=re.compile("Provincia di Cremona"))).to_be_visible()
    axe_check(page)
    timings.goto(page, f"{site}/trasparenza/p_cr/piao/2023/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)
    # The stylesheet the page links is served (collected, with its hashed name) and cached for long.
    href = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert re.search(r"\.[0-9a-f]{12}\.css$", href), href
    css = page.request.get(f"{site}{href}")
    assert css.status == 200 and "max-age" in css.headers.get("cache-control", "")
    response = timings.goto(page, f"{site}/non-esiste/", status=404)
    assert "Strict-Transport-Security" in {k.title(): v for k, v in response.headers.items()}
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)
    # Plain HTTP through the proxy's header is not in play here; a page asked with http:// at the
    # application would be redirected: the proxy is the only way in, and it speaks TLS only.


def test_a_step_reaches_an_open_page_live_and_forbidden_pages_say_so(page, new_context, site, timings):
    # The dirigente opens the objective she submitted.
    sign_in(page, site, timings, "dirigente_faroni")
    timings.goto(page, f"{site}/obiettivi/?state=submitted")
    axe_check(page)
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
    detail = site + next(h for h in hrefs if re.fullmatch(r"/obiettivi/\d+/", h))
    timings.goto(page, detail)
    expect(page.locator("main [data-state]")).to_have_text("Inviato alla Segreteria")
    expect(page.locator("body")).to_have_attribute("data-live-status", "connected")
    axe_check(page)

    # The Segreteria, in another browser, approves it.
    other = new_context().new_page()
    other.set_default_timeout(15_000)
    sign_in(other, site, timings, "segreteria")
    timings.goto(other, detail)
    details = other.get_by_test_id("azione-approve")
    details.locator("summary").click()
    details.get_by_role("button", name=re.compile(r"^Conferma")).click()
    expect(other.locator("main [data-state]")).to_have_text("In consultazione sindacale")
    axe_check(other)

    # The dirigente's page is told without a reload.
    expect(page.get_by_test_id("avviso-live")).to_contain_text("è stato approvato dalla Segreteria")
    expect(page.locator("main [data-state]")).to_have_text("In consultazione sindacale")

    # What a dirigente may not do gets the 403 page, in Italian; the dashboard and the change log of the
    # Segreteria answer.
    timings.goto(page, f"{site}/operazioni-multiple/", status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text("Operazione non consentita")
    axe_check(page)
    timings.goto(other, f"{site}/")
    timings.goto(other, f"{site}/registro/")
    axe_check(other)
