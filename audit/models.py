"""The append-only, hash-chained evidence log (DESIGN.md, audit/)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditHead(models.Model):
    """A single row locked by every append, so concurrent writers cannot fork the chain."""

    count = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    # the time of the last entry, so that an append need not read it back (empty on a chain written
    # before it was kept: read from the last entry then)
    last_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.count} voci, ultima impronta {self.hash[:12]}…"


class AuditEntry(models.Model):
    """One change, as it was recorded. Rows are never updated nor deleted (on PostgreSQL a trigger refuses
    it); the columns repeat what the hashed ``payload`` says, so that they can be filtered and indexed, and
    ``audit.services.verify`` checks that they still agree with it."""

    sequence = models.PositiveBigIntegerField(_("sequenza"), unique=True)
    at = models.DateTimeField(_("quando"), db_index=True)
    # No database constraint and no cascade: deleting a user must not touch the rows that name them.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("utente"), max_length=150, blank=True)
    action = models.CharField(_("azione"), max_length=60)
    object_type = models.CharField(_("tipo di oggetto"), max_length=60, blank=True)
    object_id = models.CharField(_("oggetto"), max_length=60, blank=True)
    body_id = models.BigIntegerField(_("ente"), null=True, blank=True)
    plan_id = models.BigIntegerField(_("piano"), null=True, blank=True)
    payload = models.JSONField(_("dati"))
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("voce del registro di audit")
        verbose_name_plural = _("registro di audit")
        ordering = ["sequence"]
        # The change log reads newest first, one page at a time from a sequence number (keyset), within one
        # body and optionally one plan, objective, user or action: each filter has an index ending in
        # ``sequence``, so a page costs the same with a thousand entries or a million.
        indexes = [
            models.Index(fields=["body_id", "sequence"], name="audit_body_seq"),
            models.Index(fields=["body_id", "action", "sequence"], name="audit_body_action_seq"),
            models.Index(fields=["plan_id", "sequence"], name="audit_plan_seq"),
            models.Index(fields=["object_type", "object_id", "sequence"], name="audit_object_seq"),
            models.Index(fields=["actor", "sequence"], name="audit_actor_seq"),
            # the logins of a body's people (recorded without a body): small, and read newest first whatever
            # the planner guesses of the people's share of them
            models.Index(
                fields=["sequence"],
                name="audit_people_seq",
                condition=models.Q(body_id__isnull=True, object_type="auth.user"),
            ),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.action}"
