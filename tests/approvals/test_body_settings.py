"""The body's settings page: who may open it, what it saves, what it refuses, the evidence it leaves."""

import re

import pytest
from django.urls import reverse

from approvals.forms import FISCAL_CODE_INVALID, TRUST_ROOTS_REQUIRED, WEB_ADDRESS_INVALID
from approvals.signatures import TRUST_ROOTS_INVALID
from audit.models import AuditEntry
from flows import errors
from flows.services.body_settings import body_settings_update
from tests import pki
from workflow.models import Body, Identity

pytestmark = pytest.mark.django_db
URL = reverse("approvals:body_settings")


def post_data(body, people, **overrides) -> dict:
    data = {
        "signature_mode": "login",
        "trust_roots": "",
        "signer_match": "fiscal_code",
        "union_information_days": body.union_information_days,
        "union_request_days": body.union_request_days,
        "union_confronto_days": body.union_confronto_days,
        "transmitter": "manual",
        "transmitter_url": "",
        "transparency_subsection": body.transparency_subsection,
    }
    for who in ("dirigente_satta", "dirigente_rossi", "segretario"):
        data[f"cf_{people[who].pk}"] = ""
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("segreteria", 200),
        ("segretario", 200),
        ("amministratore", 200),
        ("dirigente_satta", 403),
        ("revisore", 403),
        ("sindacato", 403),
    ],
)
def test_who_may_open_the_settings(client, people, who, status):
    client.force_login(people[who])
    assert client.get(URL).status_code == status


def test_saving_the_signature_settings_and_the_signers_fiscal_codes(client, body, people):
    ca = pki.authority()
    client.force_login(people["segreteria"])
    response = client.post(
        URL,
        post_data(
            body,
            people,
            signature_mode="qualified",
            trust_roots=ca.pem,
            signer_match="name",
            union_information_days=7,
            **{f"cf_{people['dirigente_satta'].pk}": "sttsbr70a41d150x"},
        ),
    )
    assert response.status_code == 302
    body = Body.objects.get(pk=body.pk)
    assert (body.signature_mode, body.signer_match, body.union_information_days) == ("qualified", "name", 7)
    assert "BEGIN CERTIFICATE" in body.trust_roots
    assert Identity.objects.get(user=people["dirigente_satta"]).fiscal_code == "STTSBR70A41D150X"
    entry = AuditEntry.objects.get(action="body.settings")
    assert entry.body_id == body.pk
    data = entry.payload["data"]
    assert data["settings"]["signature_mode"] == {"from": "login", "to": "qualified"}
    assert len(data["settings"]["trust_roots"]["to"]) == 64  # the roots' SHA-256, not the PEM
    assert data["fiscal_codes"] == {"dirigente_satta": {"from": "", "to": "STTSBR70A41D150X"}}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"signature_mode": "qualified"}, "trust_roots", TRUST_ROOTS_REQUIRED),
        (
            {"trust_roots": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"},
            "trust_roots",
            TRUST_ROOTS_INVALID.format(n=1),
        ),
        ({"cf_satta": "RSSMRA"}, "cf_satta", FISCAL_CODE_INVALID),
    ],
)
def test_bad_settings_are_refused_next_to_the_field_and_nothing_saved(
    client, body, people, overrides, field, message
):
    satta = f"cf_{people['dirigente_satta'].pk}"
    overrides = {(satta if k == "cf_satta" else k): v for k, v in overrides.items()}
    client.force_login(people["segreteria"])
    response = client.post(URL, post_data(body, people, **overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[satta if field == "cf_satta" else field] == [message]
    assert Body.objects.get(pk=body.pk).signature_mode == "login"
    assert not Identity.objects.exists() and not AuditEntry.objects.filter(action="body.settings").exists()


def test_a_dirigente_cannot_post_the_settings(client, body, people):
    client.force_login(people["dirigente_satta"])
    response = client.post(
        URL, post_data(body, people, signature_mode="qualified", trust_roots=pki.authority().pem)
    )
    assert response.status_code == 403
    assert Body.objects.get(pk=body.pk).signature_mode == "login"


def test_the_footer_links_are_saved_with_their_evidence(client, body, people):
    client.force_login(people["amministratore"])
    addresses = {
        "accessibility_url": "https://form.agid.gov.it/view/0000-aaaa",
        "privacy_url": "https://www.provincia.cremona.it/privacy",
        "legal_notes_url": "https://www.provincia.cremona.it/note-legali",
    }
    response = client.post(URL, post_data(body, people, **addresses))
    assert response.status_code == 302
    body = Body.objects.get(pk=body.pk)
    assert {name: getattr(body, name) for name in addresses} == addresses
    changes = AuditEntry.objects.get(action="body.settings").payload["data"]["settings"]
    assert changes["privacy_url"] == {"from": "", "to": addresses["privacy_url"]}


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "ftp://example.org/privacy", "non è un indirizzo"]
)
def test_a_footer_link_that_is_not_a_web_page_is_refused(client, body, people, address):
    client.force_login(people["segreteria"])
    response = client.post(URL, post_data(body, people, privacy_url=address))
    assert response.status_code == 400
    assert response.context["form"].errors["privacy_url"] == [WEB_ADDRESS_INVALID]
    assert Body.objects.get(pk=body.pk).privacy_url == ""
    assert not AuditEntry.objects.filter(action="body.settings").exists()


def test_the_service_refuses_a_footer_link_that_is_not_a_web_page_without_the_form(body, people):
    with pytest.raises(errors.InvalidInput, match=re.escape(WEB_ADDRESS_INVALID)):
        body_settings_update(
            body_id=body.pk, by=people["segreteria"], data={"legal_notes_url": "javascript:alert(1)"}
        )
    assert Body.objects.get(pk=body.pk).legal_notes_url == ""
