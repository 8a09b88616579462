"""The development settings (scripts/run.sh), in a process of their own: the e-mails' links follow the port
the server listens on, e-mails are written to files rather than printed, and with DEBUG on a public page not
published answers with the project's 404 page, not Django's technical one."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import os
    import django
    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.test import Client
    print("site", settings.SITE_URL, settings.DEBUG)
    if os.environ.get("ONLY_SITE"):
        raise SystemExit
    mail.send_mail("Prova", "Corpo della prova", "piao@localhost", ["dirigente@example.org"])
    call_command("migrate", verbosity=0)
    client = Client(raise_request_exception=False)
    public = "/trasparenza/p_cr/piao/2023/"
    for url in [public, public + "obiettivi/X/a/b/", "/non-esiste/"]:
        response = client.get(url, HTTP_HOST="127.0.0.1")
        body = response.content.decode()
        print(url, response.status_code, "Pagina non trovata" in body, "URLconf" in body)
    """
)


def run_dev(tmp_path, **env):
    environ = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "EMAIL_BACKEND", "PORT")}
    environ |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        "EMAIL_FILE_PATH": str(tmp_path / "email"),
        **env,
    }
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines(), done.stderr


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    """One run of the development settings with PORT=8123: (its output lines, its stderr, its folder)."""
    folder = tmp_path_factory.mktemp("dev")
    lines, stderr = run_dev(folder, PORT="8123")
    return lines, stderr, folder


def test_the_emails_links_follow_the_port_the_server_listens_on(dev):
    lines, _, _ = dev
    assert lines[0] == "site http://127.0.0.1:8123 True"


def test_a_site_url_given_wins_over_the_port(tmp_path):
    lines, _ = run_dev(tmp_path, PORT="8123", SITE_URL="https://piao.example.org", ONLY_SITE="1")
    assert lines == ["site https://piao.example.org True"]


def test_emails_are_written_to_files_not_to_the_console(dev):
    lines, stderr, folder = dev
    files = list((folder / "email").iterdir())
    assert len(files) == 1 and "Corpo della prova" in files[0].read_text()
    assert "Corpo della prova" not in "\n".join(lines) + stderr


def test_with_debug_on_a_public_page_not_found_is_the_projects_404(dev):
    lines, _, _ = dev
    assert lines[1] == "/trasparenza/p_cr/piao/2023/ 404 True False"
    assert lines[2] == "/trasparenza/p_cr/piao/2023/obiettivi/X/a/b/ 404 True False"
    assert lines[3].startswith("/non-esiste/ 404")  # the internal pages keep Django's page in development
