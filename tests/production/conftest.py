"""The production walk: a browser over https against the installation that ci/production.sh started
(production settings, two daphne processes, nginx, PostgreSQL, Redis, the demo data). Black box: these
tests reach the application only through the network, never through its database."""

from __future__ import annotations

import os
import time

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("PIAO_PROD_URL"):
        skip = pytest.mark.skip(reason="PIAO_PROD_URL non impostata: si esegue da ci/production.sh")
        for item in items:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The certificate of the walk is self-signed: the proxy's TLS is real, its trust is not the point here.
    return {**browser_context_args, "locale": "it-IT", "timezone_id": "Europe/Rome",
            "viewport": {"width": 1280, "height": 900}, "ignore_https_errors": True}


@pytest.fixture(scope="session")
def site():
    return os.environ["PIAO_PROD_URL"].rstrip("/")


class Timings:
    """Each page the walk opens, with its status and the time to its response (the server's part)."""

    def __init__(self):
        self.rows: list[tuple[str, int, float]] = []

    def goto(self, page, url: str, *, status: int = 200):
        started = time.perf_counter()
        response = page.goto(url)
        elapsed = (time.perf_counter() - started) * 1000
        assert response is not None, url
        assert response.status == status, f"{url}: HTTP {response.status}, atteso {status}"
        timing = response.request.timing
        ttfb = timing["responseStart"] if timing.get("responseStart", -1) >= 0 else elapsed
        self.rows.append((url, response.status, ttfb))
        return response


@pytest.fixture(scope="session")
def timings():
    t = Timings()
    yield t
    print("\nPercorso in produzione: pagina, stato HTTP, tempo alla risposta")
    for url, status, ms in t.rows:
        print(f"  {status}  {ms:7.1f} ms  {url}")
