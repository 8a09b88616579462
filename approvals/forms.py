"""The body's settings for the steps outside the office: signatures, union consultation, transmission,
publication. Shown by approvals.views.signatures and saved by flows.services.body_settings."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import URLValidator

from workflow.models import Identity, Membership, Role, SignatureMode, SignerMatch, TransmitterMode

from .signatures import parse_trust_roots
from .transmission.endpoints import EndpointRefused, check_url

FISCAL_CODE_RE = re.compile(
    r"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$"
)
FISCAL_CODE_INVALID = "Il codice fiscale deve avere 16 caratteri nel formato italiano (es. RSSMRA80A01H501U)."
TRUST_ROOTS_REQUIRED = (
    "Con la firma digitale qualificata servono i certificati radice delle autorità accettate."
)
TRANSMITTER_URL_REQUIRED = "Con l'invio tramite intermediario serve l'indirizzo dell'intermediario."
SIGNER_ROLES = (Role.DIRIGENTE, Role.SEGRETARIO)
WEB_ADDRESS_INVALID = "Indica l'indirizzo di una pagina web, che cominci con https:// (o http://)."


def signers_of(body):
    """The people of ``body`` who may have to sign: its dirigenti and Segretari."""
    return (
        get_user_model()
        .objects.filter(memberships__body=body, memberships__role__in=SIGNER_ROLES, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


SELECT = {"class": "form-select"}  # Bootstrap Italia's select


class WebAddressField(forms.URLField):
    """The address of a web page (http or https), one message for whatever else is typed."""

    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {"invalid": WEB_ADDRESS_INVALID}


class BodySettingsForm(forms.Form):
    signature_mode = forms.ChoiceField(
        label="Modalità di firma", choices=SignatureMode.choices, widget=forms.Select(attrs=SELECT)
    )
    trust_roots = forms.CharField(
        label="Certificati radice attendibili (PEM)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=(
            "I certificati delle autorità di certificazione accettate, in formato PEM, uno dopo l'altro."
        ),
    )
    signer_match = forms.ChoiceField(
        label="Riconoscimento del firmatario", choices=SignerMatch.choices, widget=forms.Select(attrs=SELECT)
    )
    union_information_days = forms.IntegerField(
        label="Giorni minimi di informazione sindacale", min_value=1, max_value=90
    )
    union_request_days = forms.IntegerField(
        label="Giorni per chiedere il confronto", min_value=1, max_value=90
    )
    union_confronto_days = forms.IntegerField(
        label="Durata massima del confronto (giorni)", min_value=1, max_value=180
    )
    transmitter = forms.ChoiceField(
        label="Trasmissione a Funzione Pubblica",
        choices=TransmitterMode.choices,
        widget=forms.Select(attrs=SELECT),
    )
    transmitter_url = forms.URLField(
        label="Indirizzo dell'intermediario", required=False, max_length=500, assume_scheme="https"
    )
    transparency_subsection = forms.CharField(
        label="Sotto-sezione di Amministrazione Trasparente", max_length=200
    )
    accessibility_url = WebAddressField(
        label="Indirizzo della dichiarazione di accessibilità",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=(
            "La dichiarazione che l'ente compila sulla piattaforma dell'AgID (form.agid.gov.it). Vuoto: il "
            "piè di pagina porta a una pagina generica di questa applicazione."
        ),
    )
    privacy_url = WebAddressField(
        label="Indirizzo dell'informativa sulla privacy",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Vuoto: il piè di pagina porta a una pagina generica di questa applicazione.",
    )
    legal_notes_url = WebAddressField(
        label="Indirizzo delle note legali",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Vuoto: il piè di pagina porta a una pagina generica di questa applicazione.",
    )

    FIELDS = (
        "signature_mode",
        "trust_roots",
        "signer_match",
        "union_information_days",
        "union_request_days",
        "union_confronto_days",
        "transmitter",
        "transmitter_url",
        "transparency_subsection",
        "accessibility_url",
        "privacy_url",
        "legal_notes_url",
    )

    def __init__(self, *args, body, **kwargs):
        initial = {name: getattr(body, name) for name in self.FIELDS}
        self.signers = list(signers_of(body))
        codes = dict(Identity.objects.filter(user__in=self.signers).values_list("user_id", "fiscal_code"))
        for user in self.signers:
            initial[f"cf_{user.pk}"] = codes.get(user.pk, "")
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        roles = {}
        for user_id, role in Membership.objects.filter(
            body=body, user__in=self.signers, role__in=SIGNER_ROLES
        ).values_list("user_id", "role"):
            roles.setdefault(user_id, []).append(str(Role(role).label))
        for user in self.signers:
            name = user.get_full_name() or user.username
            self.fields[f"cf_{user.pk}"] = forms.CharField(
                label=f"Codice fiscale di {name} ({', '.join(sorted(roles.get(user.pk, [])))})",
                required=False,
                max_length=16,
            )

    def signer_fields(self):
        return [self[f"cf_{u.pk}"] for u in self.signers]

    def setting_fields(self):
        return [self[name] for name in self.FIELDS]

    def clean_trust_roots(self):
        text = (self.cleaned_data.get("trust_roots") or "").strip()
        if text:
            try:
                parse_trust_roots(text)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return text + "\n" if text else ""

    def clean_transmitter_url(self):
        url = self.cleaned_data.get("transmitter_url") or ""
        if url:
            try:
                check_url(url)
            except EndpointRefused as exc:
                raise forms.ValidationError(exc.message) from exc
        return url

    def clean(self):
        data = super().clean()
        if data.get("signature_mode") == SignatureMode.QUALIFIED and not data.get("trust_roots"):
            if not self.has_error("trust_roots"):
                self.add_error("trust_roots", TRUST_ROOTS_REQUIRED)
        if data.get("transmitter") == TransmitterMode.HTTP and not data.get("transmitter_url"):
            if not self.has_error("transmitter_url"):
                self.add_error("transmitter_url", TRANSMITTER_URL_REQUIRED)
        codes = {}
        for user in self.signers:
            key = f"cf_{user.pk}"
            value = (data.get(key) or "").strip().upper()
            if value and not FISCAL_CODE_RE.match(value):
                self.add_error(key, FISCAL_CODE_INVALID)
            codes[user.pk] = value
        data["fiscal_codes"] = codes
        return data


SEAL_MAX_BYTES = 200_000
SEAL_FILE_REQUIRED = "Scegli il file PKCS#12 (.p12 o .pfx) con il certificato e la chiave del sigillo."
SEAL_FILE_TOO_BIG = "Il file è troppo grande per essere un certificato PKCS#12 (al massimo 200 kB)."
SEAL_REMOVE_CONFIRM = "Conferma la rimozione del sigillo."


class SealForm(forms.Form):
    """The body's electronic seal: a PKCS#12 file and its password (approvals.seal checks the content)."""

    file = forms.FileField(
        label="Certificato del sigillo (PKCS#12: .p12 o .pfx)",
        error_messages={"required": SEAL_FILE_REQUIRED, "invalid": SEAL_FILE_REQUIRED},
        widget=forms.ClearableFileInput(attrs={"accept": ".p12,.pfx,application/x-pkcs12"}),
    )
    password = forms.CharField(
        label="Password del file",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Serve solo a leggere il file: non viene conservata.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > SEAL_MAX_BYTES:
            raise forms.ValidationError(SEAL_FILE_TOO_BIG)
        return upload.read()


class SealRemoveForm(forms.Form):
    confirm = forms.BooleanField(
        label="Confermo: i documenti pubblicati da ora in poi non porteranno il sigillo dell'ente",
        error_messages={"required": SEAL_REMOVE_CONFIRM},
    )
