"""Files the approval path produces or receives, kept in the database with their SHA-256.

In the database rather than on a disk beside it: a file is written in the same transaction as the step
that needs it, so a failed step never leaves a stray file behind and a committed step never lacks one.
Rows are never changed; a new version of a document is a new row.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    name = models.CharField(_("nome del file"), max_length=255)
    content_type = models.CharField(_("tipo"), max_length=100, default="application/pdf")
    size = models.PositiveBigIntegerField(_("dimensione (byte)"))
    sha256 = models.CharField(_("impronta SHA-256"), max_length=64, db_index=True)
    content = models.BinaryField(_("contenuto"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("caricato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("file")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.sha256[:12]}…)"

    @staticmethod
    def digest(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()
