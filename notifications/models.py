"""Persisted notifications (the inbox) and each person's e-mail preference.

A notification is written in the transaction of the step it tells about and pushed to the browser after
commit (DESIGN.md, "How a change flows", steps 5 and 6). Who receives which text is in ``rules.py``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    objective = models.ForeignKey(
        "workflow.Objective", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    # A transition name (``submit``) or another event of rules.RULES (``delegation_granted``).
    transition = models.CharField(_("evento"), max_length=40)
    message = models.TextField(_("messaggio"))
    created = models.DateTimeField(_("creata il"), default=timezone.now)
    read_at = models.DateTimeField(_("letta il"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("inviata per e-mail il"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifica")
        verbose_name_plural = _("notifiche")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["recipient", "id"], name="notification_inbox"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.message[:60]}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Subito: un messaggio per ogni passaggio che mi riguarda")
    DAILY = "daily", _("Un riepilogo al giorno")
    NEVER = "never", _("Mai: solo nell'applicazione")


class EmailPreference(models.Model):
    """How a person wants notifications by e-mail. Without a row: ``DEFAULT_MODE``."""

    DEFAULT_MODE = EmailMode.IMMEDIATE

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    mode = models.CharField(_("notifiche per e-mail"), max_length=20, choices=EmailMode.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("preferenza per le e-mail")
        verbose_name_plural = _("preferenze per le e-mail")

    def __str__(self):
        return f"{self.user} · {self.get_mode_display()}"


class OperationStatus(models.TextChoices):
    QUEUED = "queued", _("In coda")
    RUNNING = "running", _("In corso")
    DONE = "done", _("Completata")
    FAILED = "failed", _("Non riuscita")


class Operation(models.Model):
    """A long piece of work a person started from a page and that runs in the task queue (a whole plan's
    closing of the consultation, with its PDF to sign): what it is, how far it got and how it ended. Only
    the person who started it sees it (its page, fed live by ``operation.progress`` messages)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.ForeignKey("workflow.Body", on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("operazione"), max_length=200)
    # what the task needs to do it (flows.services.operations)
    work = models.JSONField(_("lavoro"), default=dict)
    status = models.CharField(
        _("stato"), max_length=10, choices=OperationStatus.choices, default=OperationStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("avanzamento (%)"), default=0)
    stage = models.CharField(_("fase"), max_length=200, blank=True)
    message = models.TextField(_("esito"), blank=True)
    result_url = models.CharField(_("indirizzo del risultato"), max_length=300, blank=True)
    created = models.DateTimeField(_("avviata il"), default=timezone.now)
    finished = models.DateTimeField(_("conclusa il"), null=True, blank=True)

    class Meta:
        verbose_name = _("operazione in corso")
        verbose_name_plural = _("operazioni in corso")
        indexes = [models.Index(fields=["started_by", "-created"], name="operation_of_person")]

    def __str__(self):
        return f"{self.label} · {self.get_status_display()}"

    @property
    def is_over(self) -> bool:
        return self.status in (OperationStatus.DONE, OperationStatus.FAILED)
