"""What each step of the approval path leaves behind. Rows here are written once and never edited,
except a signature being voided when its objective goes back to drafting (it stays, marked void)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import Body, Objective, State

from .documents import SignedDocument
from .files import StoredFile


class StepRecord(models.Model):
    """One applied transition: who, when, from, to, the comment or reason, the data the step needs."""

    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="steps")
    transition = models.CharField(_("transizione"), max_length=40)
    source = models.CharField(_("da"), max_length=30, choices=State.choices)
    target = models.CharField(_("a"), max_length=30, choices=State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("quando"))
    revision = models.PositiveIntegerField(_("revisione"))
    comment = models.TextField(_("commento o motivazione"), blank=True)
    data = models.JSONField(_("dati del passaggio"), default=dict, blank=True)
    batch = models.UUIDField(_("operazione multipla"), null=True, blank=True, db_index=True)
    highlighted = models.BooleanField(
        _("da evidenziare ai revisori"),
        default=False,
        help_text=_("Per esempio una consultazione chiusa prima del termine."),
    )

    class Meta:
        verbose_name = _("passaggio")
        verbose_name_plural = _("passaggi")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.objective.code}: {self.transition} ({self.source} → {self.target})"


class SignatureMethod(models.TextChoices):
    LOGIN = "login", _("Approvazione con accesso autenticato")
    PADES = "pades", _("Firma digitale PAdES")


class Signature(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="signatures")
    revision = models.PositiveIntegerField(_("revisione"))
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    capacities = models.JSONField(_("in qualità di"), default=list)
    method = models.CharField(_("modalità"), max_length=10, choices=SignatureMethod.choices)
    signed_at = models.DateTimeField(_("firmato il"))
    step = models.ForeignKey(StepRecord, on_delete=models.PROTECT, related_name="signatures")
    voided_at = models.DateTimeField(_("annullata il"), null=True, blank=True)
    voided_by_step = models.ForeignKey(
        StepRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="voided_signatures"
    )
    # PAdES signatures only: the document signed, the upload accepted, and who the certificate names.
    document = models.ForeignKey(
        SignedDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    certificate_subject = models.CharField(_("titolare del certificato"), max_length=500, blank=True)
    certificate_issuer = models.CharField(_("emittente del certificato"), max_length=500, blank=True)
    certificate_serial = models.CharField(_("numero di serie del certificato"), max_length=100, blank=True)
    certificate_fiscal_code = models.CharField(_("codice fiscale nel certificato"), max_length=40, blank=True)
    # the time of the signature's timestamp token (RFC 3161), verified against the body's trust roots
    timestamp_at = models.DateTimeField(_("marca temporale della firma"), null=True, blank=True)

    class Meta:
        verbose_name = _("firma")
        verbose_name_plural = _("firme")
        ordering = ["signed_at", "id"]
        constraints = [
            # Per revision: the signatures of a published revision stay valid while the next one is signed.
            models.UniqueConstraint(
                fields=["objective", "revision", "signer"],
                condition=models.Q(voided_at__isnull=True),
                name="one_valid_signature_per_signer_and_revision",
            )
        ]

    def __str__(self):
        return f"{self.signer} – {self.objective.code}"


class ActType(models.TextChoices):
    DECRETO_PRESIDENTE = "decreto_presidente", _("Decreto del Presidente")
    DELIBERA_GIUNTA = "delibera_giunta", _("Delibera di Giunta")
    DECRETO_SINDACALE = "decreto_sindacale", _("Decreto sindacale")


class AdoptionAct(models.Model):
    """The act adopting one or many objectives (one act may cover a whole batch)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="adoption_acts")
    act_type = models.CharField(_("tipo di atto"), max_length=30, choices=ActType.choices)
    number = models.CharField(_("numero"), max_length=30)
    date = models.DateField(_("data"))
    objectives = models.ManyToManyField(Objective, related_name="adoption_acts", blank=True)
    file = models.ForeignKey(
        StoredFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("PDF dell'atto"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("atto di adozione")
        verbose_name_plural = _("atti di adozione")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.get_act_type_display()} n. {self.number} del {self.date:%d/%m/%Y}"


class PublishedRevision(models.Model):
    """Written by ``publish`` and never changed: what the public sees of one revision of an objective."""

    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="published_revisions")
    revision = models.PositiveIntegerField(_("revisione"))
    content = models.JSONField(_("contenuto esportato"))
    adoption_act = models.ForeignKey(AdoptionAct, on_delete=models.PROTECT, null=True, blank=True)
    receipt_reference = models.CharField(_("protocollo della ricevuta"), max_length=100, blank=True)
    receipt_date = models.DateField(_("data della ricevuta"), null=True, blank=True)
    signed_pdf = models.ForeignKey(
        StoredFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("PDF firmato"),
    )
    strategic = models.JSONField(
        _("obiettivo strategico come pubblicato"),
        default=dict,
        blank=True,
        help_text=_(
            "Codice, titolo e finalità dell'obiettivo strategico collegato, al momento della pubblicazione."
        ),
    )
    signers = models.JSONField(
        _("firmatari come pubblicati"),
        default=list,
        blank=True,
        help_text=_("Chi ha approvato la revisione: nome, in qualità di, data e ora, modalità."),
    )
    attestation = models.BooleanField(
        _("con attestazione delle approvazioni"),
        default=False,
        help_text=_("Il PDF pubblicato porta in ultima pagina l'attestazione delle approvazioni."),
    )
    seal_subject = models.CharField(
        _("sigillo elettronico applicato"),
        max_length=500,
        blank=True,
        help_text=_("Il titolare del certificato del sigillo dell'ente applicato al PDF pubblicato."),
    )
    published_on = models.DateField(_("data di pubblicazione"))
    url = models.URLField(_("indirizzo di pubblicazione"), max_length=500)
    step = models.OneToOneField(StepRecord, on_delete=models.PROTECT, related_name="publication")

    class Meta:
        verbose_name = _("revisione pubblicata")
        verbose_name_plural = _("revisioni pubblicate")
        ordering = ["objective", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "revision"], name="unique_published_revision")
        ]

    def __str__(self):
        return f"{self.objective.code} rev. {self.revision}"
