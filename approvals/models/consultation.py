"""Union consultation as the CCNL Funzioni Locali 2019-2021 runs it: information to the unions, a request
for confronto within a few days of it, meetings within 30 days of the request, observations on each
objective, and the closing with its outcome (kept in the ``close_consultation`` step record)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import Body, Objective

from .files import StoredFile


class ConsultationOutcome(models.TextChoices):
    NO_REQUEST = "no_request", _("Nessuna richiesta di confronto")
    AGREEMENT = "agreement", _("Confronto concluso con accordo")
    DIVERGENT = "divergent", _("Confronto concluso con posizioni divergenti")


class UnionInformation(models.Model):
    """The information sent to the unions when objectives enter ``union_consultation`` together."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="union_informations")
    objectives = models.ManyToManyField(Objective, related_name="union_informations")
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="union_informations")
    recipient_names = models.JSONField(
        _("destinatari (come al momento dell'invio)"), default=list, blank=True
    )
    sent_at = models.DateTimeField(_("inviata il"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    request_until = models.DateTimeField(_("confronto richiedibile fino al"))
    batch = models.UUIDField(_("operazione multipla"), null=True, blank=True)
    # Who signs the letter, as at the moment of sending (a later change of name or role does not rewrite it).
    sender_name = models.CharField(_("firmatario"), max_length=300, blank=True)
    sender_role = models.CharField(_("qualifica del firmatario"), max_length=100, blank=True)
    # The letter's protocol: typed by the Segreteria, or the next of the body's numbering of union letters
    # (``protocol_sequence`` in ``protocol_year``: "3/2026"). Empty only on letters sent before it existed.
    protocol_number = models.CharField(_("protocollo n."), max_length=50, blank=True)
    protocol_date = models.DateField(_("protocollo del"), null=True, blank=True)
    protocol_year = models.PositiveSmallIntegerField(_("anno della numerazione"), null=True, blank=True)
    protocol_sequence = models.PositiveIntegerField(_("numero progressivo"), null=True, blank=True)

    class Meta:
        verbose_name = _("informazione sindacale")
        verbose_name_plural = _("informazioni sindacali")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "protocol_year", "protocol_sequence"],
                condition=models.Q(protocol_sequence__isnull=False),
                name="one_union_letter_number_per_body_year",
            )
        ]

    def __str__(self):
        return f"Informazione sindacale del {self.sent_at:%d/%m/%Y}"


class ConfrontoRequest(models.Model):
    information = models.ForeignKey(UnionInformation, on_delete=models.PROTECT, related_name="requests")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("richiesto il"))
    text = models.TextField(_("testo della richiesta"))

    class Meta:
        verbose_name = _("richiesta di confronto")
        verbose_name_plural = _("richieste di confronto")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["information", "by"], name="one_confronto_request_per_person")
        ]

    def __str__(self):
        return f"Richiesta di confronto di {self.by} del {self.at:%d/%m/%Y}"


class Meeting(models.Model):
    information = models.ForeignKey(UnionInformation, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateTimeField(_("data dell'incontro"))
    participants = models.TextField(_("partecipanti"))
    minutes = models.TextField(_("verbale"))
    attachment = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("registrato il"))

    class Meta:
        verbose_name = _("incontro di confronto")
        verbose_name_plural = _("incontri di confronto")
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"Incontro del {self.held_on:%d/%m/%Y}"


class ObservationAuthorRole(models.TextChoices):
    UNION = "sindacato", _("Rappresentanza sindacale")
    RESPONSIBLE = "responsabile", _("Dirigente responsabile")
    SEGRETERIA = "segreteria", _("Segreteria Generale")


class Observation(models.Model):
    """A post in an objective's consultation thread. Never edited: a correction is a new post."""

    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="observations")
    information = models.ForeignKey(
        UnionInformation, on_delete=models.PROTECT, null=True, blank=True, related_name="observations"
    )
    revision = models.PositiveIntegerField(_("revisione"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(_("in qualità di"), max_length=20, choices=ObservationAuthorRole.choices)
    reply_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    text = models.TextField(_("testo"))
    posted_at = models.DateTimeField(_("pubblicata il"))

    class Meta:
        verbose_name = _("osservazione")
        verbose_name_plural = _("osservazioni")
        ordering = ["posted_at", "id"]

    def __str__(self):
        return f"{self.objective.code}: {self.get_author_role_display()} {self.posted_at:%d/%m/%Y}"
