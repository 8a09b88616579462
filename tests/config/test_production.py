"""The production settings, in a process of their own (settings cannot change inside this one): static files
collected with the manifest storage, then the pages a visitor meets first, a 404 and a 500, and Django's
deployment checks. The test script's production phase does the same with the real server and a browser."""

import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

# These processes use a SQLite file of their own whatever the suite runs on: once is enough, in the SQLite
# run (the production phase of scripts/test.sh runs the same settings on PostgreSQL, behind a real server).
pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="the same subprocesses as in the SQLite run; production on PostgreSQL is ci/production.sh",
)

PAGES = textwrap.dedent(
    """
    import django
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    setup_test_environment()
    call_command("migrate", verbosity=0)
    client = Client(raise_request_exception=False, headers={"x-forwarded-proto": "https"})
    for url in ["/accesso/", "/trasparenza/", "/non-esiste/", "/static/piao/piao.js"]:
        response = client.get(url, secure=True)
        print(url, response.status_code, response.get("Content-Security-Policy", "-"))
    print("http", Client(raise_request_exception=False).get("/accesso/").status_code)
    # The error page itself renders with the production settings (its template links collected CSS).
    from django.views.defaults import server_error
    from django.test import RequestFactory
    print("500", server_error(RequestFactory().get("/")).status_code)
    """
)


@pytest.fixture(scope="module")
def prod_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prod")
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver,piao.example.it",
        "DATABASE_URL": f"sqlite:///{tmp / 'prod.sqlite3'}",
        "STATIC_ROOT": str(tmp / "static"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    return env


def run(env, *args, **kwargs):
    return subprocess.run(  # noqa: S603 - this interpreter, the project's own manage.py and code
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, **kwargs
    )


def test_production_settings_serve_the_first_pages(prod_env):
    result = run(prod_env, "-c", PAGES)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert lines["/accesso/"].startswith("200 ")
    assert lines["/trasparenza/"].startswith("200 ")
    assert lines["/non-esiste/"].startswith("404 ")
    assert lines["/static/piao/piao.js"].startswith("200 ")
    directives = dict(d.strip().split(" ", 1) for d in lines["/accesso/"].split(" ", 1)[1].split(";"))
    assert directives["script-src"] == "'self'"  # no inline script, no other origin
    assert lines["http"] == "301"  # plain HTTP goes to HTTPS
    assert lines["500"] == "500"


def test_deploy_checks_are_clean(prod_env):
    result = run(prod_env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("entry", ["config.asgi", "config.wsgi"])
def test_server_entry_points_default_to_production(prod_env, entry):
    env = {k: v for k, v in prod_env.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = f"import {entry}; from django.conf import settings as s; print(s.SETTINGS_MODULE, s.DEBUG)"
    result = run(env, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["config.settings.prod", "False"]


def test_production_refuses_to_start_without_its_secrets(prod_env):
    env = {k: v for k, v in prod_env.items() if k != "SECRET_KEY"}
    result = run(env, "manage.py", "check")
    assert result.returncode != 0
    assert "SECRET_KEY deve essere impostata" in result.stderr
