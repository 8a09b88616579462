"""The progress report's state machine (DESIGN.md, "The year after publication"), with viewflow.fsm.

open → submitted (the responsible dirigente or a delegate) → checked (the Segreteria) → validated (the
NIV/OIV). The Segreteria or the NIV/OIV may return a submitted or checked report with a reason, and the
NIV/OIV a validated one: it becomes editable again, and a validated report returned is a new version of it
(``revision`` + 1). What each step records is declared by its step (flows.steps.report).
"""

from __future__ import annotations

from decimal import Decimal

from viewflow.fsm.base import State as FsmState

from workflow import access
from workflow.achievement import pct
from workflow.models import ReportState, ReportTransition
from workflow.rules import report_problems
from workflow.scores import rules_of

from . import errors


# -- permissions: (flow, user) -> bool --------------------------------------------------------------
def _reporter(flow, user):
    objective = flow.report.objective
    return access.is_responsible(user, objective) or access.is_delegate(user, objective)


def _segreteria(flow, user):
    return access.is_segreteria(user, flow.report.objective.plan.body_id)


def _revisore(flow, user):
    return access.is_revisore(user, flow.report.objective.plan.body_id)


def _segreteria_or_revisore(flow, user):
    return _segreteria(flow, user) or _revisore(flow, user)


def _returner(flow, user):
    """A validated report goes back only by the NIV/OIV, who validated it; earlier also by the Segreteria."""
    if flow.report.state == ReportState.VALIDATED:
        return _revisore(flow, user)
    return _segreteria_or_revisore(flow, user)


# -- conditions ---------------------------------------------------------------------------------------
def _report_complete(flow):
    report = flow.report
    progress, measures = list(report.phase_progress.all()), list(report.measures.all())
    # the rows the report has: a phase added by a revision still in progress is reported once published
    with_progress, measured = {p.phase_id for p in progress}, {m.indicator_id for m in measures}
    problems = report_problems(
        report,
        phases=[p for p in report.objective.phases.all() if p.pk in with_progress],
        indicators=[i for i in report.objective.indicators.all() if i.pk in measured],
        progress=progress,
        measures=measures,
    )
    flow.problems = problems
    return FsmState.CONDITION(not problems, " ".join(problems))


def _adjustment_explained(flow):
    """An adjusted score comes with its reason, and stays within what the body's rules let a score reach."""
    score = flow.data.get("adjusted_score")
    if score is None:
        return FsmState.CONDITION(True)
    if not (flow.data.get("adjustment_reason") or "").strip():
        return FsmState.CONDITION(False, errors.ADJUSTMENT_REASON_REQUIRED)
    ceiling = rules_of(flow.report.objective.plan.body_id).ceiling
    return FsmState.CONDITION(
        Decimal(score) <= ceiling, errors.ADJUSTED_OVER_CEILING.format(ceiling=pct(ceiling))
    )


class ReportFlow:
    state = FsmState(ReportState, default=ReportState.OPEN)

    def __init__(self, report, *, by, data=None):
        self.report = report
        self.source = report.state  # viewflow sets the target before a transition's body runs
        self.by = by
        self.data = data or {}
        self.problems: list[str] = []
        self.step_data: dict = {}

    @state.setter()
    def _set_state(self, value):
        self.report.state = value

    @state.getter()
    def _get_state(self):
        return self.report.state

    @state.transition(
        source=[ReportState.OPEN, ReportState.RETURNED],
        target=ReportState.SUBMITTED,
        label=ReportTransition.SUBMIT.label,
        permission=_reporter,
        conditions=[_report_complete],
    )
    def submit(self):
        pass

    @state.transition(
        source=[ReportState.SUBMITTED, ReportState.CHECKED, ReportState.VALIDATED],
        target=ReportState.RETURNED,
        label=ReportTransition.SEND_BACK.label,
        permission=_returner,
    )
    def send_back(self):
        if self.source == ReportState.VALIDATED:
            self.report.revision += 1

    @state.transition(
        source=ReportState.SUBMITTED,
        target=ReportState.CHECKED,
        label=ReportTransition.CHECK.label,
        permission=_segreteria,
    )
    def check(self):
        pass

    @state.transition(
        source=ReportState.CHECKED,
        target=ReportState.VALIDATED,
        label=ReportTransition.VALIDATE.label,
        permission=_revisore,
        conditions=[_adjustment_explained],
    )
    def validate(self):
        pass


def available_report_transitions(report, user) -> list[str]:
    """Steps leaving the report's state that ``user`` may try (their conditions not checked)."""
    flow = ReportFlow(report, by=user)
    names = []
    for name in ReportTransition.values:
        method = getattr(flow, name)
        if method.can_proceed(check_conditions=False) and method.has_perm(user):
            names.append(name)
    return names
