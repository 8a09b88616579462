"""The append-only, hash-chained evidence log (DESIGN.md, audit/)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditHead(models.Model):
    """A single row locked by every append, so concurrent writers cannot fork the chain."""

    count = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self):
        return f"{self.count} voci, ultima impronta {self.hash[:12]}…"


class AuditEntry(models.Model):
    sequence = models.PositiveBigIntegerField(_("sequenza"), unique=True)
    at = models.DateTimeField(_("quando"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("utente"), max_length=150, blank=True)
    action = models.CharField(_("azione"), max_length=60, db_index=True)
    object_type = models.CharField(_("tipo di oggetto"), max_length=60, blank=True)
    object_id = models.CharField(_("oggetto"), max_length=60, blank=True)
    body_id = models.BigIntegerField(_("ente"), null=True, blank=True, db_index=True)
    payload = models.JSONField(_("dati"))
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("voce del registro di audit")
        verbose_name_plural = _("registro di audit")
        ordering = ["sequence"]

    def __str__(self):
        return f"#{self.sequence} {self.action}"
