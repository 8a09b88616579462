"""Logins, failed logins, lock-outs, unlocks and logouts land in the evidence log: who, when, from where;
never a password; and a series of failures does not append one entry each."""

import json

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import verify
from flows.services.logins import login_unlock
from tests.audit.conftest import log_rows
from tests.e2e.browser import PASSWORD

pytestmark = pytest.mark.django_db


def _new(before):
    return list(AuditEntry.objects.filter(sequence__gt=before).order_by("sequence"))


def _last_sequence():
    return AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def test_a_login_through_the_form_is_recorded(client, people):
    before = _last_sequence()
    response = client.post(reverse("login"), {"username": "revisore", "password": PASSWORD})
    assert response.status_code == 302

    [entry] = _new(before)
    assert entry.action == "auth.login"
    assert (entry.actor, entry.actor_name) == (people["revisore"], "revisore")
    assert (entry.object_type, entry.object_id) == ("auth.user", str(people["revisore"].pk))
    assert entry.body_id is None
    assert entry.payload["data"] == {"ip": "127.0.0.1"}
    assert verify()[0]


def test_a_failed_login_records_the_username_tried_and_never_the_password(client, people):
    before = _last_sequence()
    response = client.post(reverse("login"), {"username": "revisore", "password": "Sbagliata-123!"})
    assert response.status_code == 200  # the form again, with its error

    [entry] = _new(before)
    assert entry.action == "auth.login_failed"
    assert entry.actor is None and entry.actor_name == ""
    assert (entry.object_type, entry.object_id) == ("auth.user", str(people["revisore"].pk))
    assert entry.payload["data"]["username"] == "revisore"
    assert "Sbagliata-123!" not in json.dumps(entry.payload)
    assert "password" not in json.dumps(entry.payload).lower()


def test_a_failed_login_for_nobody_is_recorded_without_an_object(client, db):
    before = _last_sequence()
    client.post(reverse("login"), {"username": "nessuno", "password": "x"})
    [entry] = _new(before)
    assert (entry.action, entry.object_type, entry.object_id) == ("auth.login_failed", "", "")
    assert entry.payload["data"]["username"] == "nessuno"


def test_a_logout_is_recorded(client, people):
    client.force_login(people["segreteria"])
    before = _last_sequence()
    client.post(reverse("logout"))
    [entry] = _new(before)
    assert (entry.action, entry.actor) == ("auth.logout", people["segreteria"])


def _fail(client, username="revisore", times=1, **extra):
    for _ in range(times):
        response = client.post(
            reverse("login"), {"username": username, "password": "Sbagliata-123!"}, **extra
        )
    return response


def test_a_series_of_failures_records_its_first_failure_and_one_lock_out(client, people, settings):
    before = _last_sequence()
    _fail(client, times=settings.AXES_FAILURE_LIMIT - 1)
    assert [e.action for e in _new(before)] == ["auth.login_failed"]

    response = _fail(client, times=30)  # the limit is reached by the first; the other 29 are refused
    assert response.status_code == 429

    [first, lockout] = _new(before)
    assert (lockout.action, lockout.actor) == ("auth.lockout", None)
    assert (lockout.object_type, lockout.object_id) == ("auth.user", str(people["revisore"].pk))
    assert lockout.payload["data"] == {
        "username": "revisore",
        "ip": "127.0.0.1",
        "failures": settings.AXES_FAILURE_LIMIT,
        "minutes": 15,
    }
    assert verify()[0]


def test_a_new_series_after_a_successful_login_records_its_first_failure_again(client, people):
    _fail(client, times=3)
    client.post(reverse("login"), {"username": "revisore", "password": PASSWORD})
    client.post(reverse("logout"))
    before = _last_sequence()
    _fail(client, times=2)
    assert [e.action for e in _new(before)] == ["auth.login_failed"]


def test_each_username_and_each_address_is_a_series_of_its_own(client, people):
    before = _last_sequence()
    _fail(client, "revisore", times=2)
    _fail(client, "segreteria", times=2)
    _fail(client, "revisore", times=2, REMOTE_ADDR="10.0.0.7")
    entries = [(e.payload["data"]["username"], e.payload["data"]["ip"]) for e in _new(before)]
    assert entries == [("revisore", "127.0.0.1"), ("segreteria", "127.0.0.1"), ("revisore", "10.0.0.7")]


def test_an_unlock_is_recorded_with_who_lifted_it(client, people, settings):
    _fail(client, times=settings.AXES_FAILURE_LIMIT)
    before = _last_sequence()
    login_unlock(by=people["amministratore"], username="revisore")

    [entry] = _new(before)
    assert (entry.action, entry.actor) == ("auth.unlock", people["amministratore"])
    assert (entry.object_type, entry.object_id) == ("auth.user", str(people["revisore"].pk))
    assert entry.payload["data"] == {
        "username": "revisore",
        "addresses": ["127.0.0.1"],
        "failures": settings.AXES_FAILURE_LIMIT,
        "reason": "amministratore",
    }


def test_the_body_change_log_shows_the_lock_out_and_the_unlock_of_its_people(client, people, settings):
    _fail(client, times=settings.AXES_FAILURE_LIMIT)
    login_unlock(by=people["amministratore"], username="revisore")
    client.force_login(people["segreteria"])
    rows = log_rows(client.get(reverse("audit:change_log"), {"azione": "auth."}))
    assert [(r["azione"], r["utente"]) for r in rows[1:4]] == [  # after the Segreteria's own login
        ("Accesso sbloccato", "amministratore"),
        ("Accesso bloccato per troppi tentativi", "—"),
        ("Accesso non riuscito", "—"),
    ]
