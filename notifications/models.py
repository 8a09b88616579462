"""Persisted notifications (the inbox) and each person's e-mail preference.

A notification is written in the transaction of the step it tells about and pushed to the browser after
commit (DESIGN.md, "How a change flows", steps 5 and 6). Who receives which text is in ``rules.py``.
"""

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
