"""Creating a body: the platform operator's decision (a superuser). Its settings are then changed only
through body_settings.body_settings_update, on the body's settings page."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

import audit.services as audit
from workflow.models import Body

from .. import errors

BODY_CREATE_FORBIDDEN = "Solo il gestore della piattaforma (superutente) può creare un ente."
BODY_NAME_REQUIRED = "Indica la denominazione dell'ente."
IPA_CODE_INVALID = (
    "Il codice IPA è fatto di lettere, cifre e trattini bassi (da 2 a 20 caratteri), per esempio «c_d142»: "
    "è parte degli indirizzi pubblici dell'ente."
)
IPA_CODE_TAKEN = "Esiste già un ente con il codice IPA «{code}»."

_IPA_CODE = re.compile(r"[a-z0-9_]{2,20}")


def ipa_code_clean(value: str) -> str:
    """The IPA code as stored (lower case, no surrounding spaces); InvalidInput when it cannot be one."""
    code = (value or "").strip().lower()
    if not _IPA_CODE.fullmatch(code):
        raise errors.InvalidInput(IPA_CODE_INVALID)
    if Body.objects.filter(ipa_code=code).exists():
        raise errors.InvalidInput(IPA_CODE_TAKEN.format(code=code))
    return code


def body_create(*, by, name: str, ipa_code: str) -> Body:
    """A new body with the default settings, recorded in its evidence chain."""
    if not getattr(by, "is_superuser", False):
        raise errors.Forbidden(BODY_CREATE_FORBIDDEN)
    name = (name or "").strip()
    if not name:
        raise errors.InvalidInput(BODY_NAME_REQUIRED)
    code = ipa_code_clean(ipa_code)
    try:
        with transaction.atomic():
            body = Body.objects.create(name=name, ipa_code=code)
            audit.record(
                action="body.create", by=by, obj=body, body_id=body.pk, data={"name": name, "ipa_code": code}
            )
    except IntegrityError as exc:  # created meanwhile by someone else
        raise errors.InvalidInput(IPA_CODE_TAKEN.format(code=code)) from exc
    return body
