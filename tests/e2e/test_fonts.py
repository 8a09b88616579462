"""Bootstrap Italia's typeface, Titillium Web, is loaded from this site's static files on the internal
pages and on the public ones, and the text is set in it rather than in a fallback font."""

import pytest

from tests.e2e.browser import goto, login

pytestmark = pytest.mark.e2e

# ``document.fonts.check()`` alone answers true for a family no @font-face declares (nothing to wait
# for), so ask for the faces themselves: after ``document.fonts.ready`` a declared face that the page
# uses is "loaded", and its file came from /static/fonts/.
TITILLIUM_LOADED = """async () => {
  await document.fonts.ready;
  const faces = [...document.fonts].filter(
    (f) => f.family.replace(/["']/g, "") === "Titillium Web" && f.status === "loaded");
  const files = performance.getEntriesByType("resource")
    .map((e) => new URL(e.name).pathname)
    .filter((p) => p.startsWith("/static/fonts/Titillium_Web/"));
  return {
    faces: faces.map((f) => f.weight + " " + f.style),
    files: files,
    check: document.fonts.check("16px 'Titillium Web'"),
    body: getComputedStyle(document.body).fontFamily,
  };
}"""


def _assert_titillium(page):
    result = page.evaluate(TITILLIUM_LOADED)
    assert result["check"], result
    assert "400 normal" in result["faces"], result
    assert result["files"], result
    assert result["body"].replace('"', "").startswith("Titillium Web"), result


def test_the_internal_pages_are_set_in_titillium_web(page, live_server, people):
    goto(page, f"{live_server.url}/accesso/")
    _assert_titillium(page)
    login(page, live_server, "segreteria")
    _assert_titillium(page)


def test_the_public_pages_are_set_in_titillium_web(page, live_server, db):
    goto(page, f"{live_server.url}/trasparenza/")
    _assert_titillium(page)
