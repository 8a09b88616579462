"""The input each step needs (each step of flows.steps names its form): a page validates it and passes
the typed input to the engine; a command, an import or the API passes plain data, validated by the same
form. No call passes a step without the data it requires."""

from dataclasses import dataclass

from django import forms
from django.utils import timezone

from approvals import uploads
from approvals.models import ActType, ConsultationOutcome
from workflow.models import SignatureMode, TransmitterMode, ValidationOutcome
from workflow.rules import validate_plan_date

SELECT = {"class": "form-select"}  # Bootstrap Italia's select, as in the other forms


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Commento (facoltativo)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


PROTOCOL_DATE_REQUIRED = "Con il numero di protocollo indica anche la data."
PROTOCOL_NUMBER_REQUIRED = "Con la data indica anche il numero di protocollo."
PROTOCOL_DATE_FUTURE = "La data del protocollo non può essere futura."


class ApproveForm(CommentForm):
    """The approval sends the information to the unions: its letter carries the protocol typed here, or,
    with both fields empty, the next number of the body's numbering of union letters, dated the day it is
    sent."""

    protocol_number = forms.CharField(
        label="Protocollo n. (facoltativo)",
        max_length=50,
        required=False,
        help_text="Vuoto: la lettera prende il numero successivo della numerazione dell'ente (n/anno).",
    )
    protocol_date = forms.DateField(
        label="del",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_plan_date],
    )

    def clean_protocol_number(self):
        return self.cleaned_data["protocol_number"].strip()

    def clean_protocol_date(self):
        value = self.cleaned_data.get("protocol_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(PROTOCOL_DATE_FUTURE)
        return value

    def clean(self):
        data = super().clean()
        number, date = data.get("protocol_number"), data.get("protocol_date")
        if number and not date and not self.has_error("protocol_date"):
            self.add_error("protocol_date", PROTOCOL_DATE_REQUIRED)
        if date and not number and not self.has_error("protocol_number"):
            self.add_error("protocol_number", PROTOCOL_NUMBER_REQUIRED)
        return data


class ReasonForm(forms.Form):
    comment = forms.CharField(
        label="Motivazione",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indica la motivazione."},
    )

    def clean_comment(self):
        value = self.cleaned_data["comment"].strip()
        if not value:
            raise forms.ValidationError("Indica la motivazione.")
        return value


class CloseConsultationForm(forms.Form):
    """Whether a confronto took place is not asked: the flow reads it from the records (a request for
    confronto on the objective's information). With one, the outcome and the summary are required;
    without one the outcome is "no request" and an early closing needs the reason."""

    outcome = forms.ChoiceField(
        label="Esito del confronto (solo se un sindacato lo ha chiesto)",
        required=False,
        choices=[
            ("", "Nessuna richiesta di confronto"),
            (ConsultationOutcome.AGREEMENT.value, ConsultationOutcome.AGREEMENT.label),
            (ConsultationOutcome.DIVERGENT.value, ConsultationOutcome.DIVERGENT.label),
        ],
        widget=forms.Select(attrs=SELECT),
    )
    summary = forms.CharField(
        label="Sintesi delle posizioni emerse (obbligatoria dopo un confronto)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    early_reason = forms.CharField(
        label="Motivazione della chiusura anticipata (solo prima della fine del periodo di informazione)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    comment = forms.CharField(label="Commento (facoltativo)", required=False)


SIGN_CONFIRM_REQUIRED = "Conferma l'approvazione per firmare."
SIGN_LOGIN_MODE = (
    "Questo ente usa l'approvazione con accesso autenticato: conferma l'approvazione invece di caricare "
    "un file firmato."
)
SIGNED_PDF_REQUIRED = "Carica il PDF firmato digitalmente."
SIGNED_PDF_HELP = (
    "Scarica il documento da firmare (il link è in questa pagina, «Documento da firmare»), firmalo con il "
    "tuo strumento di firma digitale in formato PAdES (PDF firmato, non .p7m) senza modificarlo, poi "
    "caricalo qui. Il sistema verifica che sia proprio quel documento, integro, con la tua firma."
)


class SignForm(forms.Form):
    """Approval by login (``confirm``) or the uploaded PAdES file (``signed_pdf``), as the body's
    ``signature_mode`` asks: shown for a body, the form keeps only its field; without one (the transition
    service) it takes either, and the flow's condition checks the body's mode."""

    confirm = forms.BooleanField(
        label="Confermo di approvare il contenuto dell'obiettivo (approvazione con accesso autenticato)",
        required=False,
    )
    signed_pdf = forms.FileField(
        label="PDF firmato digitalmente (PAdES)",
        required=False,
        help_text=SIGNED_PDF_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": SIGNED_PDF_REQUIRED},
    )
    comment = forms.CharField(label="Commento (facoltativo)", required=False)

    def __init__(self, *args, signature_mode: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.signature_mode = signature_mode
        if signature_mode == SignatureMode.QUALIFIED:
            del self.fields["confirm"]
            self.fields["signed_pdf"].required = True
        elif signature_mode == SignatureMode.LOGIN:
            del self.fields["signed_pdf"]

    def clean(self):
        data = super().clean()
        if self.signature_mode == SignatureMode.LOGIN and self.files.get("signed_pdf"):
            # a file sent to a body that signs by login is refused, not ignored
            self.add_error("confirm", SIGN_LOGIN_MODE)
        elif "confirm" in self.fields and not data.get("confirm") and not data.get("signed_pdf"):
            self.add_error("confirm", SIGN_CONFIRM_REQUIRED)
        return data


ACT_FILE_REQUIRED = "Carica il PDF dell'atto di adozione."
ACT_FILE_NOT_PDF = "Il file dell'atto deve essere un PDF: quello caricato non lo è."
ACT_FILE_TOO_BIG = "Il PDF dell'atto supera la dimensione massima di {mb} MB."


@dataclass(frozen=True)
class ActFile:
    name: str
    content: bytes


class AdoptForm(forms.Form):
    act_type = forms.ChoiceField(
        label="Tipo di atto", choices=ActType.choices, widget=forms.Select(attrs=SELECT)
    )
    act_number = forms.CharField(label="Numero dell'atto", max_length=30)
    act_date = forms.DateField(
        label="Data dell'atto",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_plan_date],
    )
    act_file = forms.FileField(
        label="PDF dell'atto",
        help_text="L'atto adottato (decreto o delibera) in PDF, al massimo {mb} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": ACT_FILE_REQUIRED, "empty": ACT_FILE_REQUIRED},
    )
    comment = forms.CharField(label="Commento (facoltativo)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["act_file"]
        field.help_text = field.help_text.format(mb=uploads.megabytes(uploads.max_upload_bytes()))

    def clean_act_file(self):
        upload = self.cleaned_data["act_file"]
        limit = uploads.max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(ACT_FILE_TOO_BIG.format(mb=uploads.megabytes(limit)))
        upload.seek(0)
        content = upload.read()
        upload.seek(0)  # left as found: the content is read here, once
        if not content.startswith(b"%PDF-"):
            raise forms.ValidationError(ACT_FILE_NOT_PDF)
        try:
            uploads.check_pdf(content)
        except uploads.FileRefused as exc:
            raise forms.ValidationError(exc.message) from exc
        return ActFile(name=(upload.name or "atto.pdf")[:200], content=content)

    def clean_act_date(self):
        value = self.cleaned_data["act_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("La data dell'atto non può essere futura.")
        return value


RECEIPT_FILE_TYPE = "La ricevuta deve essere un file PDF, PNG o JPEG."
RECEIPT_FILE_TOO_BIG = "La ricevuta supera la dimensione massima di {mb} MB."
RECEIPT_FILE_WITHOUT_REFERENCE = "Con il file della ricevuta indica anche il protocollo e la data."
# The first bytes of the formats a portal receipt comes in (a PDF, or a screenshot of the portal's page),
# each with the check its whole content must pass (which answers its content type).
RECEIPT_SIGNATURES = {
    b"%PDF-": uploads.check_pdf,
    b"\x89PNG\r\n\x1a\n": uploads.check_image,
    b"\xff\xd8\xff": uploads.check_image,
}


@dataclass(frozen=True)
class ReceiptFile:
    name: str
    content: bytes
    content_type: str


class TransmitForm(forms.Form):
    """The receipt of the portal, for a manual upload. ``transmitter`` is the body's mode when the form is
    shown: "manual" asks for the receipt, "http" asks for none (it comes back from the intermediary).
    Without it (the transition service, which checks the body's mode in the flow) every field is
    optional, and the flow's condition refuses a manual transmission without its receipt."""

    receipt_reference = forms.CharField(
        label="Protocollo della ricevuta del portale", max_length=100, required=False
    )
    receipt_date = forms.DateField(
        label="Data della ricevuta",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
        validators=[validate_plan_date],
    )
    receipt_file = forms.FileField(
        label="File della ricevuta (facoltativo: PDF, PNG o JPEG)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    comment = forms.CharField(label="Commento (facoltativo)", required=False)

    def __init__(self, *args, transmitter: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if transmitter == TransmitterMode.HTTP:
            for name in ("receipt_reference", "receipt_date", "receipt_file"):
                del self.fields[name]
        elif transmitter == TransmitterMode.MANUAL:
            self.fields["receipt_reference"].required = True
            self.fields["receipt_date"].required = True

    def clean_receipt_date(self):
        value = self.cleaned_data.get("receipt_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError("La data della ricevuta non può essere futura.")
        return value

    def clean_receipt_file(self):
        upload = self.cleaned_data.get("receipt_file")
        if not upload:
            return None
        limit = uploads.max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(RECEIPT_FILE_TOO_BIG.format(mb=uploads.megabytes(limit)))
        upload.seek(0)
        content = upload.read()
        upload.seek(0)  # left as found: the content is read here, once
        check = next((c for magic, c in RECEIPT_SIGNATURES.items() if content.startswith(magic)), None)
        if check is None:
            raise forms.ValidationError(RECEIPT_FILE_TYPE)
        try:
            content_type = check(content)
        except uploads.FileRefused as exc:
            raise forms.ValidationError(exc.message) from exc
        return ReceiptFile(name=upload.name[:200], content=content, content_type=content_type)

    def clean(self):
        data = super().clean()
        if data.get("receipt_file") and not (data.get("receipt_reference") and data.get("receipt_date")):
            if not self.has_error("receipt_date") and not self.has_error("receipt_reference"):
                self.add_error("receipt_file", RECEIPT_FILE_WITHOUT_REFERENCE)
        return data


class PublishForm(forms.Form):
    published_on = forms.DateField(
        label="Data di pubblicazione",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_plan_date],
    )
    url = forms.URLField(
        label="Indirizzo in Amministrazione Trasparente",
        max_length=500,
        assume_scheme="https",
    )
    comment = forms.CharField(label="Commento (facoltativo)", required=False)


ADJUSTED_SCORE_RANGE = "Il punteggio rettificato è una percentuale tra 0 e 200."


class ValidateReportForm(forms.Form):
    """The NIV/OIV validates a checked progress report, optionally adjusting its score with a reason."""

    adjusted_score = forms.DecimalField(
        label="Punteggio rettificato (%) (facoltativo)",
        required=False,
        max_digits=6,
        decimal_places=2,
        localize=True,
        help_text="Lascia vuoto per confermare il punteggio calcolato.",
        error_messages={"invalid": "Indica un numero, per esempio 85,50."},
    )
    adjustment_reason = forms.CharField(
        label="Motivazione della rettifica",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    comment = forms.CharField(
        label="Commento (facoltativo)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_adjusted_score(self):
        value = self.cleaned_data.get("adjusted_score")
        if value is not None and not (0 <= value <= 200):
            raise forms.ValidationError(ADJUSTED_SCORE_RANGE)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("adjusted_score") is not None and not (cleaned.get("adjustment_reason") or "").strip():
            self.add_error(
                "adjustment_reason", "Con il punteggio rettificato indica la motivazione della rettifica."
            )
        return cleaned


# -- the Relazione sulla performance -------------------------------------------------------------------
VALIDATION_FILE_REQUIRED = "Carica il PDF del documento di validazione del NIV/OIV."
VALIDATION_FILE_NOT_PDF = "Il documento di validazione deve essere un PDF: quello caricato non lo è."
VALIDATION_FILE_TOO_BIG = "Il PDF del documento di validazione supera la dimensione massima di {mb} MB."
OBSERVATIONS_REQUIRED = "Con questo esito indica le osservazioni del NIV/OIV."
PUBLISH_CONFIRM_REQUIRED = "Conferma la pubblicazione: la Relazione diventa pubblica e non si può ritirare."


def _pdf_upload(upload, *, not_pdf: str, too_big: str, default_name: str) -> ActFile:
    limit = uploads.max_upload_bytes()
    if upload.size > limit:
        raise forms.ValidationError(too_big.format(mb=uploads.megabytes(limit)))
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if not content.startswith(b"%PDF-"):
        raise forms.ValidationError(not_pdf)
    try:
        uploads.check_pdf(content)
    except uploads.FileRefused as exc:
        raise forms.ValidationError(exc.message) from exc
    return ActFile(name=(upload.name or default_name)[:200], content=content)


class RelazioneTextsForm(forms.Form):
    presentation = forms.CharField(
        label="Presentazione",
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Markdown: «## Titolo» per un titolo, «- voce» per un elenco, righe «| a | b |» per una "
        "tabella. Altro codice HTML viene rimosso.",
    )
    context = forms.CharField(
        label="Il contesto",
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Il contesto esterno e interno dell'anno, con le stesse regole di scrittura.",
    )


class RelazioneValidationForm(forms.Form):
    """The NIV/OIV's validation of the adopted Relazione: the outcome, the observations, the document."""

    outcome = forms.ChoiceField(
        label="Esito della validazione",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Scegli l'esito della validazione."},
    )
    observations = forms.CharField(
        label="Osservazioni del NIV/OIV",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Obbligatorie con «Validata con osservazioni» e «Non validata».",
    )
    document = forms.FileField(
        label="Documento di validazione (PDF)",
        help_text="Il documento di validazione firmato dal NIV/OIV, in PDF, al massimo {mb} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": VALIDATION_FILE_REQUIRED, "empty": VALIDATION_FILE_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = ValidationOutcome.choices
        field = self.fields["document"]
        field.help_text = field.help_text.format(mb=uploads.megabytes(uploads.max_upload_bytes()))

    def clean_document(self):
        return _pdf_upload(
            self.cleaned_data["document"],
            not_pdf=VALIDATION_FILE_NOT_PDF,
            too_big=VALIDATION_FILE_TOO_BIG,
            default_name="validazione.pdf",
        )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        observations = (cleaned.get("observations") or "").strip()
        cleaned["observations"] = observations
        if outcome and outcome != ValidationOutcome.VALIDATED and not observations:
            self.add_error("observations", OBSERVATIONS_REQUIRED)
        return cleaned


class RelazionePublishForm(forms.Form):
    confirm = forms.BooleanField(
        label="Confermo: la Relazione, il documento di validazione e i dati aperti diventano pubblici",
        error_messages={"required": PUBLISH_CONFIRM_REQUIRED},
    )
    comment = forms.CharField(
        label="Commento (facoltativo)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RelazioneDeadlineForm(forms.Form):
    deadline = forms.DateField(
        label="Scadenza di adozione",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Vuota: il 30 giugno dell'anno successivo a quello del piano.",
        validators=[validate_plan_date],
    )


class RelazioneNewVersionForm(ReasonForm):
    pass
