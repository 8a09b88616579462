"""The login lock (django-axes), the page where a body's Amministratore lifts it, the client's address
behind the proxies, and the password change and reset pages every user has."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from audit.logins import LOCKED_OUT, client_ip
from audit.views.logins import LOCKS_FORBIDDEN
from flows.services.logins import UNLOCK_FORBIDDEN
from tests.e2e.browser import PASSWORD
from tests.factories import Role, UserFactory, member, superuser

pytestmark = pytest.mark.django_db

WRONG = "Sbagliata-123!"
LOCKED_TEXT = LOCKED_OUT.format(minutes=15)


def _login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _logged_in_as(client):
    return client.session.get("_auth_user_id")


def _text(response) -> str:
    page = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", page.replace("&#x27;", "'").replace("&amp;", "&").replace("&quot;", '"'))


def _no_inline_code(response):
    """The content security policy allows no inline script: none in the page, nor event handlers."""
    page = response.content.decode()
    assert "Content-Security-Policy" in response.headers
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", page), "inline event handler"


# -- the lock ----------------------------------------------------------------------------------------------
def test_thirty_wrong_passwords_then_the_right_one_is_refused_with_an_italian_message(client, people):
    for _ in range(30):
        response = _login(client, "revisore", WRONG)
    response = _login(client, "revisore", PASSWORD)

    assert response.status_code == 429
    assert _logged_in_as(client) is None
    assert LOCKED_TEXT in _text(response)
    assert 'value="revisore"' in response.content.decode()  # the login form again, with the username
    assert "Password dimenticata?" in _text(response)
    _no_inline_code(response)
    # axes counted the five failures up to the lock, not the attempts refused while locked
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 5


def test_the_lock_falls_on_the_fifth_failure(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "revisore", WRONG).status_code == 200
    assert _login(client, "revisore", WRONG).status_code == 429


def test_the_lock_holds_one_username_from_one_address_only(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "revisore", WRONG)
    # the same person from another address, and a colleague from the same address, are not locked
    assert _login(client, "revisore", PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302
    client.post(reverse("logout"))
    assert _login(client, "segreteria", PASSWORD).status_code == 302


def test_a_successful_login_clears_the_failures(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "revisore", WRONG)
    assert _login(client, "revisore", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "revisore", WRONG).status_code == 200
    assert _login(client, "revisore", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "revisore", WRONG)
    assert _login(client, "revisore", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert _login(client, "revisore", PASSWORD).status_code == 302


# -- the client's address behind the proxies ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "192.0.2.1"),  # no proxy trusted: the header is the client's own word
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.1.1.1, 203.0.113.9", "203.0.113.9"),  # the left entry was written by the client
        (2, "1.1.1.1, 203.0.113.9, 198.51.100.4", "203.0.113.9"),
        (1, "203.0.113.9:51234", "203.0.113.9"),
        (1, "[2001:db8::7]:443", "2001:db8::7"),
        (1, "non-un-indirizzo", "192.0.2.1"),
        (2, "203.0.113.9", "192.0.2.1"),  # fewer entries than proxies: not through the proxies
        (1, "", "192.0.2.1"),
    ],
)
def test_the_client_address_is_read_through_the_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_the_proxy_two_clients_are_two_addresses(client, people, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "revisore", WRONG, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert (
        _login(client, "revisore", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy).status_code == 429
    )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    ok = _login(client, "revisore", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.4", **proxy)
    assert ok.status_code == 302


# -- unlocking ---------------------------------------------------------------------------------------------
def _lock(client, username, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, username, WRONG)


def test_the_amministratore_of_the_body_lists_and_lifts_a_lock(client, people, settings):
    _lock(client, "revisore", settings)
    admin_client = client.__class__()
    admin_client.force_login(people["amministratore"])

    assert reverse("locked_logins") in admin_client.get(reverse("notifications:profile")).content.decode()
    page = admin_client.get(reverse("locked_logins"))
    assert page.status_code == 200
    assert 'data-username="revisore"' in page.content.decode()
    _no_inline_code(page)

    response = admin_client.post(reverse("locked_logins"), {"username": "revisore"}, follow=True)
    assert "Accesso di «revisore» sbloccato." in _text(response)
    assert not AccessAttempt.objects.exists()
    assert _login(client, "revisore", PASSWORD).status_code == 302


def test_another_body_s_amministratore_neither_sees_nor_lifts_the_lock(client, people, other_body, settings):
    _lock(client, "revisore", settings)
    stranger = member("amministratore_crema", other_body, Role.AMMINISTRATORE)
    other = client.__class__()
    other.force_login(stranger)

    page = other.get(reverse("locked_logins"))
    assert page.status_code == 200 and 'data-username="revisore"' not in page.content.decode()
    response = other.post(reverse("locked_logins"), {"username": "revisore"})
    assert response.status_code == 403
    assert UNLOCK_FORBIDDEN in _text(response)
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 5
    assert _login(client, "revisore", PASSWORD).status_code == 429


def test_a_person_who_administers_no_body_may_not_open_the_page(client, people):
    client.force_login(people["segreteria"])
    response = client.get(reverse("locked_logins"))
    assert response.status_code == 403 and LOCKS_FORBIDDEN in _text(response)
    assert client.post(reverse("locked_logins"), {"username": "revisore"}).status_code == 403


def test_a_superuser_lifts_any_lock_even_of_a_username_nobody_has(client, people, settings):
    _lock(client, "nessuno", settings)
    root = client.__class__()
    root.force_login(superuser())
    assert 'data-username="nessuno"' in root.get(reverse("locked_logins")).content.decode()
    root.post(reverse("locked_logins"), {"username": "nessuno"})
    assert not AccessAttempt.objects.exists()


def test_lifting_a_lock_that_is_not_there_says_so(client, people):
    client.force_login(people["amministratore"])
    response = client.post(reverse("locked_logins"), {"username": "revisore"}, follow=True)
    assert "L'accesso di «revisore» non è bloccato." in _text(response)


@pytest.mark.parametrize("username", ["", "nul\x00byte", "x" * 5000])
def test_a_superuser_lifting_a_malformed_username_is_told_it_is_not_locked(client, db, username):
    client.force_login(superuser())
    response = client.post(reverse("locked_logins"), {"username": username}, follow=True)
    assert response.status_code == 200
    assert "non è bloccato" in _text(response)


# -- password change ---------------------------------------------------------------------------------------
def test_a_user_who_is_not_staff_changes_their_password(client, people):
    user = people["funzionario_bianchi"]
    assert not user.is_staff
    client.force_login(user)
    profile = client.get(reverse("notifications:profile"))
    assert reverse("password_change") in profile.content.decode()
    assert reverse("locked_logins") not in profile.content.decode()

    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert all(
        label in _text(page) for label in ("Password attuale", "Nuova password", "Conferma nuova password")
    )
    _no_inline_code(page)

    wrong = client.post(
        reverse("password_change"),
        {"old_password": WRONG, "new_password1": "Nuova-Chiave-2024!", "new_password2": "Nuova-Chiave-2024!"},
    )
    assert wrong.status_code == 200
    assert 'id="id_old_password_error"' in wrong.content.decode()  # next to the field
    assert "La password attuale non è stata inserita correttamente" in _text(wrong)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    done = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Nuova-Chiave-2024!",
            "new_password2": "Nuova-Chiave-2024!",
        },
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_change_done")
    client.post(reverse("logout"))
    assert _login(client, "funzionario_bianchi", "Nuova-Chiave-2024!").status_code == 302


def test_the_password_change_page_asks_for_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# -- password reset ----------------------------------------------------------------------------------------
def _reset_link(message) -> str:
    [link] = re.findall(r"https?://\S+", message.body)
    return link


def test_a_password_reset_by_e_mail(client, people, settings):
    settings.SITE_URL = "https://piao.example.org/"
    user = people["dirigente_satta"]
    login_page = client.get(reverse("login"))
    assert reverse("password_reset") in login_page.content.decode()
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200
    _no_inline_code(page)

    response = client.post(reverse("password_reset"), {"email": user.email.upper()}, HTTP_HOST="localhost")
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "Reimpostazione della password PIAO"
    assert "Per scegliere una nuova password apri questo collegamento" in message.body
    link = _reset_link(message)
    assert link.startswith("https://piao.example.org/accesso/password/reimposta/")  # SITE_URL, not the Host
    assert "localhost" not in message.body

    path = link.removeprefix("https://piao.example.org")
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and "Salva la nuova password" in _text(form_page)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "Un-Altra-Chiave-77", "new_password2": "Un-Altra-Chiave-77"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")

    assert _login(client, "dirigente_satta", "Un-Altra-Chiave-77").status_code == 302
    client.post(reverse("logout"))
    assert _login(client, "dirigente_satta", PASSWORD).status_code == 200  # the old one no longer works
    # the link worked once
    again = client.get(path, follow=True)
    assert "Il collegamento non è valido" in _text(again)


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client, people):
    response = client.post(reverse("password_reset"), {"email": "nessuno@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_malformed_address_is_refused_next_to_the_field(client, people):
    response = client.post(reverse("password_reset"), {"email": "non-un-indirizzo"})
    assert response.status_code == 200
    assert 'id="id_email_error"' in response.content.decode()
    assert mail.outbox == []


def test_a_new_password_from_the_e_mail_lifts_the_account_s_lock(client, people, settings):
    _lock(client, "revisore", settings)
    client.post(reverse("password_reset"), {"email": people["revisore"].email})
    form_page = client.get(
        _reset_link(mail.outbox[0]).removeprefix(settings.SITE_URL.rstrip("/")), follow=True
    )
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Un-Altra-Chiave-77", "new_password2": "Un-Altra-Chiave-77"},
    )
    assert not AccessAttempt.objects.exists()
    assert _login(client, "revisore", "Un-Altra-Chiave-77").status_code == 302


def test_an_account_without_e_mail_receives_nothing(client, db):
    UserFactory(username="senza_email", email="")
    client.post(reverse("password_reset"), {"email": ""})
    assert mail.outbox == []
    assert get_user_model().objects.filter(username="senza_email").exists()
