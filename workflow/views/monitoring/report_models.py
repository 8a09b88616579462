"""The pages of a progress report as data (workflow.views.monitoring.reports): the dirigente's list of
reports and one report's page, each built by one function the view only renders.

A report's page pairs each phase and indicator of the objective with its row of the report, the row of
the last period's report and its achievement (workflow.scores: recomputed, never read back), and adds the
evidence files, the step history and the steps the reader may take, in a number of queries that does not
grow with the phases, indicators, files or steps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.forms import Form
from django.utils import timezone
from django.utils.formats import number_format
from guardian.shortcuts import get_objects_for_user

from approvals.models import ReportEvidence, ReportStepRecord
from flows.report_flow import available_report_transitions
from flows.steps import Step
from flows.steps.report import REPORT
from workflow import access, selectors
from workflow.models import (
    REPORT_EDITABLE_STATES,
    Body,
    Indicator,
    IndicatorMeasure,
    Objective,
    Phase,
    PhaseProgress,
    Plan,
    Polarity,
    ProgressReport,
    ReportState,
    ReportTransition,
    Role,
)
from workflow.monitoring_forms import EvidenceForm, ReportValuesForm, is_numeric, plain, with_confirmation
from workflow.read_models import objectives_managed_by
from workflow.scores import ReportScore, report_score, rules_of, target_for, year_index

PAGE_SIZE = 25

# The steps that cannot be taken back by the one who takes them: a confirmation box first.
CONFIRMATIONS = {
    ReportTransition.SUBMIT.value: (
        "Confermo l'invio: dopo l'invio i valori non si possono più modificare, salvo restituzione"
    ),
    ReportTransition.VALIDATE.value: (
        "Confermo la validazione: la rendicontazione validata resta congelata, salvo restituzione"
    ),
}
STEP_HELP = {
    ReportTransition.SUBMIT.value: "Si inviano i valori salvati: salva prima le modifiche del modulo.",
    ReportTransition.SEND_BACK.value: (
        "Torna al dirigente, che potrà correggerla; la motivazione è obbligatoria."
    ),
    ReportTransition.CHECK.value: "Dopo la verifica il NIV/OIV può validarla.",
    ReportTransition.VALIDATE.value: (
        "Lascia vuoto il punteggio rettificato per confermare quello calcolato; se lo rettifichi, motiva."
    ),
}


# -- who fills what ---------------------------------------------------------------------------------------
def _reporting(user, body: Body) -> Q:
    """The reports ``user`` fills in ``body``: of the objectives they are the responsible dirigente of, or
    delegated to them as a funzionario (``access.is_responsible`` / ``access.is_delegate``, the rule of
    ``flows.services.monitoring``), as a condition read in the query that lists them."""
    objectives = Objective.objects.filter(plan__body=body)
    condition = Q(objective__in=objectives_managed_by(user, objectives).values("pk"))
    if Role.FUNZIONARIO in access.roles_in(user, body):
        delegated = get_objects_for_user(
            user,
            "workflow.change_objective",
            klass=objectives,
            accept_global_perms=False,
            with_superuser=False,
        ).values("pk")
        condition |= Q(objective__in=delegated) & ~Q(
            objective__in=objectives_managed_by(user, objectives).values("pk")
        )
    return condition


def may_edit(user, report: ProgressReport) -> bool:
    """``flows.services.monitoring``'s rule: an open or returned report, by the objective's responsible
    dirigente or a delegate."""
    if report.state not in REPORT_EDITABLE_STATES:
        return False
    objective = report.objective
    return access.is_responsible(user, objective) or access.is_delegate(user, objective)


def is_overdue(report: ProgressReport, today: dt.date) -> bool:
    return report.state in REPORT_EDITABLE_STATES and report.period.due_date < today


# -- the dirigente's list ----------------------------------------------------------------------------------
@dataclass
class MyReports:
    to_fill: list[ProgressReport]
    page: Page
    periods: list[tuple[Plan, list[Any]]]  # the Segreteria's links to each period's board
    validation_link: bool  # the NIV/OIV's link to the validation queue
    today: dt.date

    def context(self) -> dict:
        return {"nav": "monitoring", **{f.name: getattr(self, f.name) for f in fields(self)}}


def my_reports(user, body: Body, *, page_number=None) -> MyReports:
    today = timezone.localdate()
    theirs = (
        selectors.reports_visible_to(user, body)
        .filter(_reporting(user, body))
        .select_related("objective", "period__plan")
    )
    to_fill = list(
        theirs.filter(state__in=REPORT_EDITABLE_STATES).order_by("period__due_date", "objective__code", "pk")
    )
    page = Paginator(theirs.order_by("-period__reference_date", "objective__code", "pk"), PAGE_SIZE).get_page(
        page_number
    )
    for report in [*to_fill, *page.object_list]:
        report.overdue = is_overdue(report, today)  # shown only, never saved
    periods = []
    if access.is_segreteria(user, body):
        plans = selectors.plans_of(body).prefetch_related("monitoring_periods")
        periods = [(plan, list(plan.monitoring_periods.all())) for plan in plans]
        periods = [(plan, items) for plan, items in periods if items]
    return MyReports(
        to_fill=to_fill,
        page=page,
        periods=periods,
        validation_link=access.is_revisore(user, body),
        today=today,
    )


# -- one report's page ---------------------------------------------------------------------------------------
class Action(TypedDict):
    name: str
    label: str
    form: Form
    open: bool
    help: str


@dataclass
class PhaseLine:
    number: int
    phase: Phase
    progress: PhaseProgress | None
    previous: PhaseProgress | None
    form: Form | None


@dataclass
class IndicatorLine:
    number: int
    indicator: Indicator
    measure: IndicatorMeasure | None
    numeric: bool
    target: str  # the year's target as printed, "—" when the indicator has none
    baseline: str
    actual: str
    previous: str | None  # the last period's value as printed; None without an earlier report
    score: Any  # workflow.achievement.Score
    form: Form | None


@dataclass
class ReportPage:
    """Everything the report page shows to one user. ``context()`` is what its template reads."""

    report: ProgressReport
    objective: Objective
    period: Any
    overdue: bool
    editable: bool
    phases: list[PhaseLine]
    indicators: list[IndicatorLine]
    score: ReportScore
    rules: str  # the body's measurement rules, in words
    previous: ProgressReport | None
    previous_score: Any  # the last period's final Score, or None
    evidence: list[ReportEvidence]
    sees_withdrawn: bool  # the auditors download a withdrawn file too
    steps: list[ReportStepRecord]
    returned: ReportStepRecord | None
    actions: list[Action]
    values_form: ReportValuesForm | None
    evidence_form: EvidenceForm | None
    refusal: dict | None = None  # a step refused for its conditions: the message and the problems
    year_index: int = 1
    extra: dict = field(default_factory=dict)

    def context(self) -> dict:
        own = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        return {"nav": "monitoring", **own, **self.extra}


@dataclass
class Rows:
    phases: list[Phase]
    indicators: list[Indicator]
    progress: list[PhaseProgress]
    measures: list[IndicatorMeasure]


def rows_of(report: ProgressReport) -> Rows:
    objective = report.objective
    return Rows(
        phases=list(objective.phases.all()),
        indicators=list(objective.indicators.all()),
        progress=list(report.phase_progress.all()),
        measures=list(report.measures.all()),
    )


def values_form(report: ProgressReport, data=None, *, rows: Rows | None = None) -> ReportValuesForm:
    rows = rows or rows_of(report)
    return ReportValuesForm(
        data,
        report=report,
        phases=rows.phases,
        progress=rows.progress,
        indicators=rows.indicators,
        measures=rows.measures,
    )


def evidence_form(report: ProgressReport, data=None, files=None, *, indicators=None) -> EvidenceForm:
    indicators = list(report.objective.indicators.all()) if indicators is None else indicators
    return EvidenceForm(data, files, indicators=indicators, initial={"lock_version": report.lock_version})


def step_auto_id(name: str) -> str:
    return f"id_{name}-%s"


def step_form(step: Step, body: Body, data=None) -> Form:
    """The form of one step as the report page shows it: the step's own, with the confirmation box of an
    irreversible one."""
    form_class = step.form
    if step.name in CONFIRMATIONS:
        form_class = with_confirmation(form_class, CONFIRMATIONS[step.name])
    return form_class(data, auto_id=step_auto_id(step.name), **step.form_kwargs(body))


def _number(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = number_format(plain(value), use_l10n=True)
    return f"{text} {unit}".strip()


def measure_text(indicator: Indicator, measure: IndicatorMeasure | None) -> str:
    """A measured value as the page prints it: a number with its unit, done / not done, or the text."""
    if measure is None:
        return "—"
    if indicator.polarity == Polarity.BINARY:
        if measure.value is None:
            return "—"
        return "Realizzato" if measure.value != 0 else "Non realizzato"
    if measure.value is not None:
        return _number(measure.value, indicator.unit)
    return measure.text_value or "—"


def _previous(user, report: ProgressReport) -> ProgressReport | None:
    """The report of the same objective for the period before this one, when there is one."""
    return (
        selectors.reports_visible_to(user)
        .filter(
            objective_id=report.objective_id,
            period__plan_id=report.period.plan_id,
            period__reference_date__lt=report.period.reference_date,
        )
        .select_related("period")
        .order_by("-period__reference_date")
        .first()
    )


def report_page(
    user,
    report: ProgressReport,
    *,
    values: ReportValuesForm | None = None,
    open_action: str | None = None,
    bound_form: Form | None = None,
    evidence: EvidenceForm | None = None,
    refusal: dict | None = None,
) -> ReportPage:
    """The page of ``report`` (fetched through ``selectors.report_get``) for ``user``; with ``values``,
    ``bound_form`` (``open_action``'s) or ``evidence``, that refused submission shown with its errors."""
    objective = report.objective
    body = objective.plan.body
    rows = rows_of(report)
    rules = rules_of(body)
    score = report_score(
        report,
        rules=rules,
        indicators=rows.indicators,
        phases=rows.phases,
        measures=rows.measures,
        progress=rows.progress,
    )
    previous = _previous(user, report)
    previous_score = None
    prev_progress: dict[int, PhaseProgress] = {}
    prev_measures: dict[int, IndicatorMeasure] = {}
    if previous is not None:
        previous.objective = objective  # the same objective, already read
        progress = list(previous.phase_progress.all())
        measures = list(previous.measures.all())
        prev_progress = {p.phase_id: p for p in progress}
        prev_measures = {m.indicator_id: m for m in measures}
        previous_score = report_score(
            previous,
            rules=rules,
            indicators=rows.indicators,
            phases=rows.phases,
            measures=measures,
            progress=progress,
        ).final

    editable = may_edit(user, report)
    if editable and values is None:
        values = values_form(report, rows=rows)
    if editable and evidence is None:
        evidence = evidence_form(report, indicators=rows.indicators)

    by_phase = {r.phase.pk: r for r in score.phases}
    phases = [
        PhaseLine(
            number=n,
            phase=phase,
            progress=by_phase[phase.pk].progress,
            previous=prev_progress.get(phase.pk) if previous is not None else None,
            form=values.phases.get(phase.pk) if editable and values is not None else None,
        )
        for n, phase in enumerate(rows.phases, start=1)
    ]
    index = year_index(report)
    by_indicator = {r.indicator.pk: r for r in score.indicators}
    indicators = []
    for n, indicator in enumerate(rows.indicators, start=1):
        row = by_indicator[indicator.pk]
        numeric = is_numeric(indicator, index)
        indicators.append(
            IndicatorLine(
                number=n,
                indicator=indicator,
                measure=row.measure,
                numeric=numeric,
                target=_number(target_for(indicator, index), indicator.unit)
                if indicator.polarity != Polarity.BINARY
                else "Realizzato",
                baseline=_number(indicator.baseline_value, indicator.unit)
                + (f" ({indicator.baseline_year})" if indicator.baseline_year else ""),
                actual=measure_text(indicator, row.measure),
                previous=(
                    measure_text(indicator, prev_measures.get(indicator.pk)) if previous is not None else None
                ),
                score=row.score,
                form=values.indicators.get(indicator.pk) if editable and values is not None else None,
            )
        )

    files = list(
        ReportEvidence.objects.filter(report=report)
        .select_related("file", "uploaded_by", "indicator")
        .defer("file__content")
    )
    steps = list(ReportStepRecord.objects.filter(report=report).select_related("by"))
    for step in steps:
        step.label = ReportTransition(step.transition).label  # shown only, never saved
    last = steps[-1] if steps else None
    returned = (
        last
        if last is not None
        and report.state == ReportState.RETURNED
        and last.transition == ReportTransition.SEND_BACK
        else None
    )
    return ReportPage(
        report=report,
        objective=objective,
        period=report.period,
        overdue=is_overdue(report, timezone.localdate()),
        editable=editable,
        phases=phases,
        indicators=indicators,
        score=score,
        rules=rules.describe(),
        previous=previous,
        previous_score=previous_score,
        evidence=files,
        sees_withdrawn=access.is_revisore(user, body),
        steps=steps,
        returned=returned,
        actions=_actions(user, report, body, open_action=open_action, bound_form=bound_form),
        values_form=values if editable else None,
        evidence_form=evidence if editable else None,
        refusal=refusal,
        year_index=index,
    )


def _actions(user, report, body, *, open_action, bound_form) -> list[Action]:
    actions = []
    for name in available_report_transitions(report, user):
        step = REPORT.steps[name]
        form = bound_form if name == open_action and bound_form is not None else step_form(step, body)
        actions.append(
            Action(
                name=name, label=step.label, form=form, open=name == open_action, help=STEP_HELP.get(name, "")
            )
        )
    return actions


def objective_reports(user, objective: Objective) -> QuerySet[ProgressReport]:
    """The reports of one objective that ``user`` may see, period by period."""
    return (
        selectors.reports_visible_to(user)
        .filter(objective=objective)
        .select_related("period")
        .order_by("period__reference_date", "pk")
    )
