"""What the browser tests do on every page: open it, check it with axe-core, sign in and out, act on an
objective's page and read what the page then says."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

PASSWORD = "password-di-prova"  # tests.factories.UserFactory
# Every page is checked at both widths people use, and every axe finding counts, whatever its impact.
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

_axe = Axe()

# Two things axe-core 4.12 leaves alone that break forms for screen readers: a duplicated id (a label's
# "for" then names only the first field) and an aria-describedby naming no element (the error message
# Django points a field at is never read out).
_DOM_PROBLEMS = """() => {
  const problems = [];
  const seen = new Map();
  for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  for (const [id, n] of seen) if (n > 1) problems.push(`id "${id}" used ${n} times`);
  for (const el of document.querySelectorAll("[aria-describedby]")) {
    for (const id of el.getAttribute("aria-describedby").split(/\\s+/).filter(Boolean)) {
      if (!document.getElementById(id)) {
        problems.push(`${el.tagName.toLowerCase()}#${el.id} aria-describedby "${id}": no such element`);
      }
    }
  }
  return problems;
}"""


_MENU_OPEN = """() => !!document.querySelector('.custom-navbar-toggler[aria-expanded="true"]')"""


def axe_check(page, *, what: str = "") -> None:
    """Fail when axe-core finds any violation on the page as it is now, at a desktop's and at a phone's
    width (or a duplicated id, or an aria-describedby pointing nowhere); the report names the width, the
    rule, the element and the fix. The page is left at the width it had."""
    size = page.viewport_size
    other = PHONE if size is None or size["width"] > PHONE["width"] else DESKTOP
    try:
        _axe_check_at(page, what=what, width=size["width"] if size else 0)
        if page.evaluate(_MENU_OPEN):
            return  # the phone's open menu panel is checked where it opens; no desktop shows it
        page.set_viewport_size(other)
        _axe_check_at(page, what=what, width=other["width"])
    finally:
        if size:
            page.set_viewport_size(size)


def _axe_check_at(page, *, what: str, width: int) -> None:
    _screenshot(page, width)
    results = _axe.run(page)
    blocking = results.response["violations"]
    dom_problems = page.evaluate(_DOM_PROBLEMS)
    if not blocking and not dom_problems:
        return
    lines = [f"Accessibility problems on {what or page.url} ({page.title()!r}) at {width} px:"]
    for v in blocking:
        lines.append(f"- axe [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("       " + node["failureSummary"].replace("\n", "\n       "))
    lines.extend(f"- {p}" for p in dom_problems)
    report = "\n".join(lines)
    print(report)
    pytest.fail(report, pytrace=False)


def _screenshot(page, width: int) -> None:
    """With $E2E_SCREENSHOTS set (scripts/test.sh sets it), keep what the page looked like: one picture per
    page and width, the last state a test left it in ("390-obiettivi-12-modifica.png")."""
    folder = os.environ.get("E2E_SCREENSHOTS")
    if not folder:
        return
    path = re.sub(r"[^a-z0-9]+", "-", urlsplit(page.url).path.lower()).strip("-") or "home"
    page.screenshot(path=Path(folder) / f"{width}-{path}.png", full_page=True)


def goto(page, url: str, *, status: int = 200) -> None:
    """Open ``url``, check the status code and the page's accessibility."""
    response = page.goto(url)
    assert response is not None, url
    assert response.status == status, f"{url}: HTTP {response.status}, expected {status}"
    axe_check(page)


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form; ends on the dashboard ("Le mie attività")."""
    goto(page, f"{live_server.url}/accesso/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le mie attività")
    axe_check(page)


def logout(page) -> None:
    """Sign out with the header's "Esci" button; ends on the login page."""
    page.get_by_role("button", name="Esci").click()
    page.wait_for_url(re.compile(r"/accesso/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Accesso")
    axe_check(page)


def switch_user(page, live_server, username: str) -> None:
    logout(page)
    login(page, live_server, username)


def open_action(page, name: str):
    """Open the <details> of the action ``name`` on the objective's page and check the page again (the
    form was hidden when axe last looked)."""
    details = page.get_by_test_id(f"azione-{name}")
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    axe_check(page, what=f"{page.url} with the form of «{name}» open")
    return details


def confirm(details) -> None:
    """Press the action's "Conferma: …" button."""
    details.get_by_role("button", name=re.compile(r"^Conferma")).click()


def expect_objective(page, *, state: str, message: str | None = None,
                     timeline: list[str] | None = None) -> None:
    """The objective's page as it should read after a step: the state badge, the tracker's current step,
    the success message, the timeline's entries (all of them, in order, each matched by a substring), then
    axe."""
    if message is not None:
        expect(page.locator(".messages .alert-success")).to_have_text(message)
    expect(page.locator("main [data-state]")).to_have_text(state)
    expect(page.get_by_test_id("tracker").locator("li[aria-current=step]")).to_have_text(state)
    if timeline is not None:
        entries = page.get_by_test_id("timeline").locator(":scope > li")
        expect(entries).to_have_count(len(timeline))
        expect(entries).to_contain_text(timeline)
    axe_check(page)
