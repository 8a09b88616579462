"""Changing a body's settings for signatures, union consultation, transmission and publication, and the
fiscal codes of its signers (matched against qualified certificates)."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

import audit.services as audit
from approvals import seal
from approvals.forms import WEB_ADDRESS_INVALID, BodySettingsForm, signers_of
from approvals.models import BodySeal
from approvals.transmission.endpoints import EndpointRefused, check_url
from workflow import access
from workflow.models import Body, Identity, Role

from .. import errors

BODY_SETTINGS_FORBIDDEN = (
    "Le impostazioni dell'ente sono riservate alla Segreteria Generale e all'amministratore dell'ente."
)
SETTINGS = BodySettingsForm.FIELDS  # the settings the page edits are the ones the service writes
FOOTER_URLS = ("accessibility_url", "privacy_url", "legal_notes_url")  # links of every page's footer


def may_manage_settings(user, body) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return access.is_segreteria(user, body) or Role.AMMINISTRATORE in access.roles_in(user, body)


def _shown(name, value):
    """Trust roots go in the evidence log as their SHA-256, not the whole PEM text."""
    if name == "trust_roots":
        return hashlib.sha256((value or "").encode()).hexdigest() if value else ""
    return value


def _check_transmitter_url(url: str) -> None:
    """The form checks it too; whoever calls the service without it (the admin, a command) is checked
    here: the server must never be told to send packages into its own network."""
    try:
        check_url(url)
    except EndpointRefused as exc:
        raise errors.InvalidInput(exc.message) from exc


def _check_web_address(url: str) -> None:
    """A footer link is a web page: no javascript:, data: or ftp: address on every public page."""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise errors.InvalidInput(WEB_ADDRESS_INVALID) from exc


def body_settings_update(*, body_id: int, by, data: dict) -> Body:
    """Save the settings in ``data`` (a cleaned BodySettingsForm) and the signers' fiscal codes."""
    with transaction.atomic():
        body = Body.objects.select_for_update().get(pk=body_id)
        if not may_manage_settings(by, body):
            raise errors.Forbidden(BODY_SETTINGS_FORBIDDEN)
        changes = {}
        for name in SETTINGS:
            if name not in data:
                continue
            old, new = getattr(body, name), data[name]
            if old != new:
                if name == "transmitter_url" and new:
                    _check_transmitter_url(new)
                if name in FOOTER_URLS and new:
                    _check_web_address(new)
                changes[name] = {"from": _shown(name, old), "to": _shown(name, new)}
                setattr(body, name, new)
        if changes:
            body.save(update_fields=list(changes))
        codes = {}
        signers = {u.pk: u for u in signers_of(body)}
        for user_id, code in (data.get("fiscal_codes") or {}).items():
            if int(user_id) not in signers:
                continue  # only the body's own signers
            identity, _ = Identity.objects.get_or_create(user_id=user_id)
            if identity.fiscal_code != code:
                codes[signers[int(user_id)].username] = {"from": identity.fiscal_code, "to": code}
                identity.fiscal_code = code
                identity.save(update_fields=["fiscal_code"])
        if changes or codes:
            audit.record(
                action="body.settings",
                by=by,
                body_id=body.pk,
                data={"settings": changes, "fiscal_codes": codes},
            )
    return body


SEAL_MISSING = "L'ente non ha un sigillo elettronico configurato: non c'è nulla da rimuovere."


def body_seal_configure(*, body_id: int, by, content: bytes, password: str) -> BodySeal:
    """Configure (or replace) the body's electronic seal from a PKCS#12 file and its password; raises
    InvalidInput with the reason when the file cannot be a seal. The password is not kept."""
    if not may_manage_settings(by, Body.objects.get(pk=body_id)):
        raise errors.Forbidden(BODY_SETTINGS_FORBIDDEN)  # before reading anything of the file
    try:
        material = seal.read_pkcs12(content, password, now=timezone.now())
    except seal.SealRefused as exc:
        raise errors.InvalidInput(exc.message) from exc
    with transaction.atomic():
        body = Body.objects.select_for_update().get(pk=body_id)
        if not may_manage_settings(by, body):
            raise errors.Forbidden(BODY_SETTINGS_FORBIDDEN)
        configured, _ = BodySeal.objects.update_or_create(
            body=body,
            defaults={
                "certificates": material.certificates_pem,
                "encrypted_key": material.encrypted_key,
                "subject": material.subject,
                "issuer": material.issuer,
                "serial": material.serial,
                "not_after": material.not_after,
                "fingerprint": material.fingerprint,
                "configured_by": by,
                "configured_at": timezone.now(),
            },
        )
        audit.record(
            action="body.seal",
            by=by,
            body_id=body.pk,
            data={
                "subject": material.subject,
                "issuer": material.issuer,
                "serial": material.serial,
                "not_after": material.not_after.isoformat(),
                "fingerprint": material.fingerprint,
            },
        )
    return configured


def body_seal_remove(*, body_id: int, by) -> None:
    """Remove the body's seal: documents published from now on carry the attestation page alone."""
    with transaction.atomic():
        body = Body.objects.select_for_update().get(pk=body_id)
        if not may_manage_settings(by, body):
            raise errors.Forbidden(BODY_SETTINGS_FORBIDDEN)
        configured = BodySeal.objects.filter(body=body).first()
        if configured is None:
            raise errors.InvalidInput(SEAL_MISSING)
        audit.record(
            action="body.seal_remove",
            by=by,
            body_id=body.pk,
            data={"subject": configured.subject, "fingerprint": configured.fingerprint},
        )
        configured.delete()
