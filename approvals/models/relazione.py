"""What the steps of the Relazione sulla performance leave behind: the step records, the adopted document
(frozen: the PDF/A with its data and the act that adopted it), the NIV/OIV's validation, and the published
version the public pages read. Rows are written once and never edited."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import Body, Relazione, RelazioneState, ValidationOutcome

from .files import StoredFile
from .steps import ActType


class RelazioneStepRecord(models.Model):
    """One applied step of a Relazione: who, when, from, to, the comment, the data the step keeps."""

    relazione = models.ForeignKey(Relazione, on_delete=models.PROTECT, related_name="steps")
    transition = models.CharField(_("passaggio"), max_length=40)
    source = models.CharField(_("da"), max_length=20, choices=RelazioneState.choices)
    target = models.CharField(_("a"), max_length=20, choices=RelazioneState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("quando"))
    revision = models.PositiveIntegerField(_("adozione n."))
    comment = models.TextField(_("commento o motivazione"), blank=True)
    data = models.JSONField(_("dati del passaggio"), default=dict, blank=True)
    highlighted = models.BooleanField(_("da evidenziare ai revisori"), default=False)

    class Meta:
        verbose_name = _("passaggio della Relazione")
        verbose_name_plural = _("passaggi delle Relazioni")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.relazione_id}: {self.transition} ({self.source} → {self.target})"


class RelazioneAdoption(models.Model):
    """One adoption of a Relazione: the act, and the document it adopted, frozen (the PDF/A rendered from
    the validated data at that moment, with the same data embedded and kept here as ``data``)."""

    relazione = models.ForeignKey(Relazione, on_delete=models.PROTECT, related_name="adoptions")
    revision = models.PositiveIntegerField(_("adozione n."))
    act_type = models.CharField(_("tipo di atto"), max_length=20, choices=ActType.choices)
    act_number = models.CharField(_("numero dell'atto"), max_length=30)
    act_date = models.DateField(_("data dell'atto"))
    act_file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, related_name="+", verbose_name=_("PDF dell'atto")
    )
    document = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, related_name="+", verbose_name=_("Relazione adottata (PDF/A)")
    )
    data = models.JSONField(_("dati della Relazione"))
    content_hash = models.CharField(_("impronta del contenuto"), max_length=64)
    step = models.OneToOneField(RelazioneStepRecord, on_delete=models.PROTECT, related_name="adoption")

    class Meta:
        verbose_name = _("adozione della Relazione")
        verbose_name_plural = _("adozioni della Relazione")
        ordering = ["relazione", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["relazione", "revision"], name="one_adoption_per_revision")
        ]

    def __str__(self):
        return f"{self.relazione} – {self.get_act_type_display()} n. {self.act_number}"


class RelazioneValidation(models.Model):
    """The NIV/OIV's validation of one adoption (art. 14 c. 4 lett. c d.lgs. 150/2009)."""

    adoption = models.OneToOneField(RelazioneAdoption, on_delete=models.PROTECT, related_name="validation")
    outcome = models.CharField(_("esito"), max_length=30, choices=ValidationOutcome.choices)
    observations = models.TextField(_("osservazioni"), blank=True)
    document = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, related_name="+", verbose_name=_("documento di validazione")
    )
    step = models.OneToOneField(RelazioneStepRecord, on_delete=models.PROTECT, related_name="validation")

    class Meta:
        verbose_name = _("validazione della Relazione")
        verbose_name_plural = _("validazioni della Relazione")

    def __str__(self):
        return f"{self.adoption.relazione} – {self.get_outcome_display()}"


class PublishedRelazione(models.Model):
    """Written by ``publish`` and never changed: what the public sees of one version of a Relazione."""

    relazione = models.OneToOneField(Relazione, on_delete=models.PROTECT, related_name="publication")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("anno del piano"))
    version = models.PositiveIntegerField(_("versione"))
    adoption = models.OneToOneField(RelazioneAdoption, on_delete=models.PROTECT, related_name="+")
    validation = models.OneToOneField(RelazioneValidation, on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, related_name="+", verbose_name=_("Relazione pubblicata")
    )
    seal_subject = models.CharField(_("sigillo elettronico applicato"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("pubblicata il"))
    url = models.URLField(_("indirizzo di pubblicazione"), max_length=500)
    step = models.OneToOneField(RelazioneStepRecord, on_delete=models.PROTECT, related_name="publication")

    class Meta:
        verbose_name = _("Relazione pubblicata")
        verbose_name_plural = _("Relazioni pubblicate")
        ordering = ["body", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "version"], name="unique_published_relazione")
        ]

    def __str__(self):
        return f"Relazione {self.year} v. {self.version} – {self.body}"

    @property
    def data(self) -> dict:
        """The open data: the data the published document carries, kept once, with its adoption."""
        return self.adoption.data
