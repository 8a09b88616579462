"""The year after publication: monitoring periods, progress reports and the body's measurement rules.

DESIGN.md, "The year after publication". A progress report (rendicontazione) is one objective's account of
one monitoring period; it is a state machine of its own (flows.report_flow). Achievement is never stored
as typed: workflow.achievement computes it from these values and the body's ``MeasurementSystem``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .core import Body, Indicator, Objective, Phase, Plan


class MeasurementSystem(models.Model):
    """The body's measurement system (SMVP): how achievement is computed from the stored values."""

    body = models.OneToOneField(Body, on_delete=models.CASCADE, related_name="measurement_system")
    allow_over_achievement = models.BooleanField(
        _("consenti il superamento del 100 %"),
        default=False,
        help_text=_("Se attivo, un indicatore che supera il target conta oltre il 100 %, fino al tetto."),
    )
    over_achievement_cap = models.DecimalField(
        _("tetto del raggiungimento (%)"), max_digits=6, decimal_places=2, default=120
    )
    zero_threshold = models.DecimalField(
        _("soglia sotto la quale il raggiungimento vale zero (%)"),
        max_digits=6,
        decimal_places=2,
        default=0,
    )
    indicators_share = models.DecimalField(
        _("peso degli indicatori nel punteggio dell'obiettivo (%)"),
        max_digits=6,
        decimal_places=2,
        default=70,
        help_text=_("Il resto è il peso dell'avanzamento delle fasi."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sistema di misurazione (SMVP)")
        verbose_name_plural = _("sistemi di misurazione (SMVP)")

    def __str__(self):
        return f"SMVP – {self.body}"


class MonitoringPeriod(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="monitoring_periods")
    name = models.CharField(_("nome"), max_length=100)
    reference_date = models.DateField(_("data di riferimento"))
    due_date = models.DateField(_("scadenza della rendicontazione"))
    is_final = models.BooleanField(
        _("consuntivo"), default=False, help_text=_("Il periodo da cui si costruisce la Relazione.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("periodo di monitoraggio")
        verbose_name_plural = _("periodi di monitoraggio")
        ordering = ["reference_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="unique_period_name"),
            models.UniqueConstraint(fields=["plan", "reference_date"], name="unique_period_date"),
        ]

    def __str__(self):
        return f"{self.name} ({self.plan.year})"


class ReportState(models.TextChoices):
    OPEN = "open", _("Da rendicontare")
    SUBMITTED = "submitted", _("Inviata")
    RETURNED = "returned", _("Restituita")
    CHECKED = "checked", _("Verificata dalla Segreteria")
    VALIDATED = "validated", _("Validata dal NIV/OIV")


class ReportTransition(models.TextChoices):
    """The steps of the progress report's state machine (flows.report_flow, flows.steps.report)."""

    SUBMIT = "submit", "Invia la rendicontazione"
    SEND_BACK = "send_back", "Restituisci la rendicontazione"
    CHECK = "check", "Verifica la rendicontazione"
    VALIDATE = "validate", "Valida la rendicontazione"


# States in which the dirigente may edit the report's values
REPORT_EDITABLE_STATES = (ReportState.OPEN, ReportState.RETURNED)


class ProgressReport(models.Model):
    """One objective's account of one monitoring period."""

    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="progress_reports")
    period = models.ForeignKey(MonitoringPeriod, on_delete=models.PROTECT, related_name="reports")
    state = models.CharField(_("stato"), max_length=20, choices=ReportState.choices, default=ReportState.OPEN)
    lock_version = models.PositiveIntegerField(_("versione di blocco"), default=1)
    revision = models.PositiveIntegerField(
        _("versione"), default=1, help_text=_("Cresce quando una rendicontazione validata è restituita.")
    )
    explanation = models.TextField(_("scostamenti e loro cause"), blank=True)
    corrective_actions = models.TextField(_("azioni correttive"), blank=True)
    adjusted_score = models.DecimalField(
        _("punteggio rettificato dal NIV/OIV (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    adjustment_reason = models.TextField(_("motivazione della rettifica"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state_entered_at = models.DateTimeField(_("in questo stato dal"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("rendicontazione")
        verbose_name_plural = _("rendicontazioni")
        ordering = ["period__reference_date", "objective__code"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "period"], name="one_report_per_objective_period")
        ]
        indexes = [models.Index(fields=["period", "state"])]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        # As for objectives: every save bumps the lock version (flows/ saves only rows it has locked).
        if self.pk is not None and not self._state.adding:
            self.lock_version += 1
        super().save(*args, **kwargs)

    @property
    def code(self) -> str:
        """How people name it: the objective's code and the period."""
        return f"{self.objective.code} · {self.period.name}"

    @property
    def plan_id(self) -> int:
        return self.period.plan_id

    @property
    def body(self):
        return self.objective.plan.body


class PhaseStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Non avviata")
    ON_TRACK = "on_track", _("In linea")
    LATE = "late", _("In ritardo")
    DONE = "done", _("Completata")


class PhaseProgress(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="phase_progress")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="progress")
    percent = models.DecimalField(_("completamento (%)"), max_digits=5, decimal_places=2, default=0)
    actual_start = models.DateField(_("inizio effettivo"), null=True, blank=True)
    actual_end = models.DateField(_("fine effettiva"), null=True, blank=True)
    status = models.CharField(
        _("stato della fase"), max_length=20, choices=PhaseStatus.choices, default=PhaseStatus.NOT_STARTED
    )
    note = models.TextField(_("nota"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avanzamento della fase")
        verbose_name_plural = _("avanzamenti delle fasi")
        ordering = ["phase__position", "phase_id"]
        constraints = [models.UniqueConstraint(fields=["report", "phase"], name="one_progress_per_phase")]

    def __str__(self):
        return f"{self.phase} – {self.percent} %"


class IndicatorMeasure(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="measures")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measures")
    value = models.DecimalField(_("valore rilevato"), max_digits=16, decimal_places=4, null=True, blank=True)
    text_value = models.CharField(
        _("valore rilevato (testo)"), max_length=300, blank=True, help_text=_("Per gli indicatori testuali.")
    )
    source = models.CharField(_("fonte"), max_length=300, blank=True)
    measured_on = models.DateField(_("data della rilevazione"), null=True, blank=True)
    note = models.TextField(_("nota"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("valore rilevato")
        verbose_name_plural = _("valori rilevati")
        ordering = ["indicator__position", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_measure_per_indicator")
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value if self.value is not None else self.text_value}"
