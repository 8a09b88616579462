"""What the steps of a progress report leave behind: the step records and the evidence files.

Like the approval path's records, rows here are written once and never edited; an evidence file removed
by its dirigente while the report is still editable is marked withdrawn, not deleted (it may have been
read by the Segreteria already).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import Indicator, ProgressReport, ReportState

from .files import StoredFile


class ReportStepRecord(models.Model):
    """One applied step of a progress report: who, when, from, to, the reason, the data the step keeps."""

    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="steps")
    transition = models.CharField(_("passaggio"), max_length=40)
    source = models.CharField(_("da"), max_length=20, choices=ReportState.choices)
    target = models.CharField(_("a"), max_length=20, choices=ReportState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("quando"))
    revision = models.PositiveIntegerField(_("versione"))
    comment = models.TextField(_("commento o motivazione"), blank=True)
    data = models.JSONField(_("dati del passaggio"), default=dict, blank=True)
    batch = models.UUIDField(_("operazione multipla"), null=True, blank=True, db_index=True)
    highlighted = models.BooleanField(_("da evidenziare ai revisori"), default=False)

    class Meta:
        verbose_name = _("passaggio della rendicontazione")
        verbose_name_plural = _("passaggi delle rendicontazioni")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.report_id}: {self.transition} ({self.source} → {self.target})"


class ReportEvidence(models.Model):
    """A file that supports a progress report (a PDF, an image, a spreadsheet), stored hashed."""

    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="evidence")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("descrizione"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("caricato il"))
    revision = models.PositiveIntegerField(_("versione della rendicontazione"))
    withdrawn_at = models.DateTimeField(_("ritirato il"), null=True, blank=True)

    class Meta:
        verbose_name = _("documento a supporto")
        verbose_name_plural = _("documenti a supporto")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.file.name
