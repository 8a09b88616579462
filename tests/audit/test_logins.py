"""Logins, failed logins and logouts land in the evidence log: who, when, from where; never a password."""

import json

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import verify
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
