"""Browser tests: pytest-django's live server, Playwright with Debian's Chromium, axe-core on every page.

Run them on their own: ``pytest tests/e2e -m e2e`` (see RECIPES.md, sections 4 and 5).
"""

from __future__ import annotations

import os

import pytest

from tests.factories import ensure_role_groups

# Playwright's sync API runs an event loop in the test thread: without this, ORM calls made by a test
# that uses ``page`` raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "it-IT", "timezone_id": "Europe/Rome",
            "viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def page(page):
    # A page that takes longer than this is a bug worth a failure, not a 30 s wait.
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    # Every page runs under the content security policy of the settings: anything it blocks (an inline
    # script or handler, a style attribute set by markup, a resource from elsewhere) fails the test.
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    assert not refused, "bloccato dalla Content Security Policy:\n" + "\n".join(refused)


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """The role groups of migration 0002. A transactional test flushes every table when it ends, so the
    rows the migration wrote are gone from the second test on: write them again before anyone is made."""
    ensure_role_groups()
