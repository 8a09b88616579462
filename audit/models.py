"""The append-only, hash-chained evidence log (DESIGN.md, audit/)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The chains of the evidence log: one per body (its id), the installation's own for what belongs to no body
# (logins, installation settings), and the single chain every entry joined before the log was split by body,
# closed since (its head is kept so that anchors written down before the split can still be checked).
INSTALLATION_CHAIN = 0
LEGACY_CHAIN = -1


def chain_of(body_id: int | None) -> int:
    """The chain an entry of ``body_id`` joins."""
    return body_id or INSTALLATION_CHAIN


class AuditHead(models.Model):
    """The head of one chain, locked by every append to it: concurrent writers of the same body cannot fork
    its chain, and writers of different bodies never wait for each other."""

    chain = models.BigIntegerField(unique=True)
    count = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    # the time of the last entry, so that an append need not read it back (empty on a chain written
    # before it was kept: read from the last entry then)
    last_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"catena {self.chain}: {self.count} voci, ultima impronta {self.hash[:12]}…"


class AuditEntry(models.Model):
    """One change, as it was recorded. Rows are never updated nor deleted (on PostgreSQL a trigger refuses
    it); the columns repeat what the hashed ``payload`` says, so that they can be filtered and indexed, and
    ``audit.services.verify`` checks that they still agree with it.

    An entry is the ``position``-th of its body's chain (``chain``: the body's id, or the installation's);
    ``prev_hash`` and ``hash`` link it to the entry before in that chain. ``sequence`` orders entries across
    chains (the change log merges a body's entries with its people's logins): unique, increasing along every
    chain, with gaps. Entries recorded before the split also keep the links of the single chain they were
    written in (``legacy_*``), still verifiable up to the split."""

    sequence = models.PositiveBigIntegerField(_("sequenza"), unique=True)
    chain = models.BigIntegerField(_("catena"), default=INSTALLATION_CHAIN)
    position = models.PositiveBigIntegerField(_("posizione nella catena"))
    at = models.DateTimeField(_("quando"))
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
    legacy_prev_hash = models.CharField(max_length=64, blank=True)
    legacy_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("voce del registro di audit")
        verbose_name_plural = _("registro di audit")
        ordering = ["sequence"]
        # The change log reads newest first, one page at a time from a sequence number (keyset), within one
        # body and optionally one plan, objective, user or action: each filter has an index ending in
        # ``sequence``, so a page costs the same with a thousand entries or a million.
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="audit_chain_position"),
        ]
        indexes = [
            # a date range of the change log becomes a range of sequence numbers, chain by chain
            models.Index(fields=["chain", "at"], name="audit_chain_at"),
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
