"""The production settings, in a process of their own (settings cannot change inside this one): static files
collected with the manifest storage, then the pages a visitor meets first, a 404 and a 500, and Django's
deployment checks. The test script's production phase does the same with the real server and a browser."""

import secrets
import textwrap

import pytest

from .process import child_env, only_in_the_sqlite_run, run_python

# Production on PostgreSQL, behind a real server, is the production phase of scripts/test.sh.
pytestmark = only_in_the_sqlite_run

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
    plain = Client(raise_request_exception=False)
    print("http", plain.get("/accesso/").status_code)
    print("http-public", plain.get("/trasparenza/").status_code)
    # The error page itself renders with the production settings (its template links collected CSS).
    from django.views.defaults import server_error
    from django.test import RequestFactory
    print("500", server_error(RequestFactory().get("/")).status_code)
    """
)


@pytest.fixture(scope="module")
def prod_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prod")
    env = child_env(
        tmp / "prod.sqlite3",
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver,piao.example.it",
        STATIC_ROOT=str(tmp / "static"),
    )
    collected = run_python(env, "manage.py", "collectstatic", "--noinput", "-v0")
    assert collected.returncode == 0, collected.stderr
    return env


def test_production_settings_serve_the_first_pages(prod_env):
    result = run_python(prod_env, "-c", PAGES)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert lines["/accesso/"].startswith("200 ")
    assert lines["/trasparenza/"].startswith("200 ")
    assert lines["/non-esiste/"].startswith("404 ")
    assert lines["/static/piao/piao.js"].startswith("200 ")
    directives = dict(d.strip().split(" ", 1) for d in lines["/accesso/"].split(" ", 1)[1].split(";"))
    assert directives["script-src"] == "'self'"  # no inline script, no other origin
    assert lines["http"] == "301"  # plain HTTP goes to HTTPS
    assert lines["http-public"] == "200"  # except the public transparency pages, read-only and anonymous
    assert lines["500"] == "500"


def test_deploy_checks_are_clean(prod_env):
    result = run_python(prod_env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("entry", ["config.asgi", "config.wsgi"])
def test_server_entry_points_default_to_production(prod_env, entry):
    env = {k: v for k, v in prod_env.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = f"import {entry}; from django.conf import settings as s; print(s.SETTINGS_MODULE, s.DEBUG)"
    result = run_python(env, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["config.settings.prod", "False"]


def test_production_refuses_to_start_without_its_secrets(prod_env):
    env = {k: v for k, v in prod_env.items() if k != "SECRET_KEY"}
    result = run_python(env, "manage.py", "check")
    assert result.returncode != 0
    assert "SECRET_KEY deve essere impostata" in result.stderr
