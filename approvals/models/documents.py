"""The PDF frozen when objectives enter signature, and the signed versions of it that were accepted."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import Body, Objective

from .files import StoredFile


class SignedDocument(models.Model):
    """One PDF for the objectives that entered ``signature`` together (one objective or a batch).

    ``original`` is the PDF as the application produced it, never regenerated; ``current`` is the last
    accepted upload (the original with the signatures given so far, each a PAdES incremental update).
    """

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="signed_documents")
    objectives = models.ManyToManyField(
        Objective, through="SignedDocumentObjective", related_name="signed_documents"
    )
    original = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    current = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    content_hash = models.CharField(
        _("impronta del contenuto"),
        max_length=64,
        help_text=_("SHA-256 dei dati degli obiettivi stampati nel documento."),
    )
    batch = models.UUIDField(_("operazione multipla"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("generato il"))

    class Meta:
        verbose_name = _("documento da firmare")
        verbose_name_plural = _("documenti da firmare")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Documento {self.pk} ({self.original.sha256[:12]}…)"


class SignedDocumentObjective(models.Model):
    document = models.ForeignKey(SignedDocument, on_delete=models.PROTECT, related_name="items")
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField(_("revisione"))

    class Meta:
        verbose_name = _("obiettivo del documento")
        verbose_name_plural = _("obiettivi del documento")
        constraints = [
            models.UniqueConstraint(fields=["document", "objective"], name="one_item_per_document_objective")
        ]

    def __str__(self):
        return f"{self.objective.code} rev. {self.revision}"
