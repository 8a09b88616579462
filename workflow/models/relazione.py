"""The Relazione sulla performance (art. 10 d.lgs. 150/2009): one body's account of one plan year, built
from the validated reports of the plan's final monitoring period.

A Relazione is a state machine of its own (flows.relazione_flow): drafting → adopted → validated →
published, with "non validata" by the NIV/OIV sending it back to drafting. Its texts are edited only while
drafting; once adopted the document is frozen (approvals.models.relazione keeps it). A later change is a
new ``version`` of the plan's Relazione, with its own path; the earlier versions are kept.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .core import Plan


class RelazioneState(models.TextChoices):
    DRAFTING = "drafting", _("In redazione")
    ADOPTED = "adopted", _("Adottata")
    VALIDATED = "validated", _("Validata dal NIV/OIV")
    PUBLISHED = "published", _("Pubblicata")


class RelazioneTransition(models.TextChoices):
    """The steps of the Relazione's state machine (flows.relazione_flow, flows.steps.relazione)."""

    ADOPT = "adopt", "Registra l'adozione della Relazione"
    VALIDATE = "validate", "Registra la validazione del NIV/OIV"
    REJECT = "reject", "Registra la mancata validazione del NIV/OIV"
    PUBLISH = "publish", "Pubblica la Relazione"


class ValidationOutcome(models.TextChoices):
    VALIDATED = "validata", _("Validata")
    WITH_OBSERVATIONS = "validata_con_osservazioni", _("Validata con osservazioni")
    NOT_VALIDATED = "non_validata", _("Non validata")


# The states a new version may start from: the previous one is frozen (adopted or later)
RELAZIONE_FROZEN_STATES = (RelazioneState.ADOPTED, RelazioneState.VALIDATED, RelazioneState.PUBLISHED)


def default_relazione_deadline(year: int) -> dt.date:
    """30 June of the year after the plan's (art. 10 c. 1 lett. b d.lgs. 150/2009)."""
    return dt.date(year + 1, 6, 30)


class Relazione(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="relazioni")
    version = models.PositiveIntegerField(_("versione"), default=1)
    state = models.CharField(
        _("stato"), max_length=20, choices=RelazioneState.choices, default=RelazioneState.DRAFTING
    )
    lock_version = models.PositiveIntegerField(_("versione di blocco"), default=1)
    # How many times this version came back to drafting ("non validata"): each adoption is its own document.
    revision = models.PositiveIntegerField(_("adozioni"), default=1)
    presentation = models.TextField(
        _("presentazione"),
        blank=True,
        help_text=_("Testo di presentazione della Relazione (Markdown: titoli, elenchi, tabelle)."),
    )
    context = models.TextField(
        _("contesto"),
        blank=True,
        help_text=_("Il contesto esterno e interno dell'anno (Markdown: titoli, elenchi, tabelle)."),
    )
    deadline = models.DateField(_("scadenza di adozione"), null=True, blank=True)
    reason = models.TextField(_("motivo della nuova versione"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state_entered_at = models.DateTimeField(_("in questo stato dal"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("Relazione sulla performance")
        verbose_name_plural = _("Relazioni sulla performance")
        ordering = ["plan", "-version"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="unique_relazione_version")]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        # As for objectives: every save bumps the lock version (flows/ saves only rows it has locked).
        if self.pk is not None and not self._state.adding:
            self.lock_version += 1
        super().save(*args, **kwargs)

    @property
    def code(self) -> str:
        return f"Relazione {self.plan.year} v. {self.version}"

    @property
    def body_id(self) -> int:
        return self.plan.body_id

    @property
    def adoption_deadline(self) -> dt.date:
        return self.deadline or default_relazione_deadline(self.plan.year)

    @property
    def editable(self) -> bool:
        return self.state == RelazioneState.DRAFTING
