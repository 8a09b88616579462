"""The transmission of adopted objectives to the Dipartimento della Funzione Pubblica's PIAO portal.

One row per transmission: the package built for it (signed PDF, JSON export, manifest) and either the
receipt recorded by hand (manual upload) or the outbox state of a delivery over HTTP through an
intermediary, sent after commit, retried with backoff, idempotent through ``idempotency_key``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import Body, Objective
from workflow.models import TransmitterMode as TransmitterKind

from .files import StoredFile


class TransmissionStatus(models.TextChoices):
    PENDING = "pending", _("In coda per l'invio")
    RETRYING = "retrying", _("Nuovo tentativo programmato")
    DELIVERED = "delivered", _("Consegnato")
    FAILED = "failed", _("Non consegnato (tentativi esauriti)")
    RECORDED = "recorded", _("Ricevuta registrata")


class Transmission(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="transmissions")
    objectives = models.ManyToManyField(Objective, related_name="transmissions")
    kind = models.CharField(_("modalità"), max_length=10, choices=TransmitterKind.choices)
    status = models.CharField(
        _("stato"), max_length=10, choices=TransmissionStatus.choices, default=TransmissionStatus.PENDING
    )
    package = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    manifest = models.JSONField(_("manifesto"), default=dict)
    idempotency_key = models.UUIDField(_("chiave di idempotenza"), default=uuid.uuid4, unique=True)
    endpoint = models.URLField(_("indirizzo dell'intermediario"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentativi"), default=0)
    next_attempt_at = models.DateTimeField(_("prossimo tentativo"), null=True, blank=True)
    last_error = models.TextField(_("ultimo errore"), blank=True)
    receipt_reference = models.CharField(_("protocollo della ricevuta"), max_length=100, blank=True)
    receipt_date = models.DateField(_("data della ricevuta"), null=True, blank=True)
    receipt_file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delivered_at = models.DateTimeField(_("consegnato il"), null=True, blank=True)
    batch = models.UUIDField(_("operazione multipla"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("creato il"))

    class Meta:
        verbose_name = _("trasmissione a Funzione Pubblica")
        verbose_name_plural = _("trasmissioni a Funzione Pubblica")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="transmission_outbox_idx")]

    def __str__(self):
        return f"Trasmissione {self.pk} ({self.get_status_display()})"


class TransmissionAttempt(models.Model):
    """One try at delivering a transmission over HTTP: when, with what result."""

    transmission = models.ForeignKey(Transmission, on_delete=models.PROTECT, related_name="attempt_log")
    number = models.PositiveSmallIntegerField(_("tentativo n."))
    at = models.DateTimeField(_("quando"))
    status_code = models.PositiveSmallIntegerField(_("codice HTTP"), null=True, blank=True)
    outcome = models.CharField(_("esito"), max_length=200)

    class Meta:
        verbose_name = _("tentativo di invio")
        verbose_name_plural = _("tentativi di invio")
        ordering = ["transmission", "number"]

    def __str__(self):
        return f"Tentativo {self.number}: {self.outcome}"
