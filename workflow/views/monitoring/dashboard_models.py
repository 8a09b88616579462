"""The plan's monitoring dashboard as data (issue #15, point 5): one period's reports, their final scores
(with the NIV/OIV's adjustments) summed up by strategic objective, centro di responsabilità and dirigente,
the phases planned against the actual ones for one group of objectives, and the indicators off target.

One read for the whole page, whatever the number of objectives: the plan's periods, the period's reports
with their objectives, the rows of ``workflow.scores.period_scores`` (prefetched) and the body's rules.
Every figure comes from those rows; the view only renders ``PlanDashboard.context()``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, fields
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from workflow import access, selectors
from workflow.access import READ_ALL_ROLES
from workflow.achievement import HUNDRED, Rules, Score, num, pct
from workflow.charts import Bar, PhaseRow, bar_chart, percent_text, phases_chart
from workflow.models import Body, MonitoringPeriod, PhaseStatus, Plan, ProgressReport, ReportState
from workflow.scores import ReportScore, has_values, period_scores, rules_of, summaries

DASHBOARD_FORBIDDEN = (
    "Il cruscotto del monitoraggio è riservato a chi legge tutti gli obiettivi dell'ente: dirigenti, "
    "Segreteria Generale e NIV/OIV."
)
OFF_TARGET_PAGE_SIZE = 20
NO_STRATEGIC = "Senza obiettivo strategico"
NO_CENTER = "Senza centro di responsabilità"
# The bar charts: (summaries' ``by``, the chart's id, its title, the first column of its table)
CHARTS = [
    ("strategic", "grafico-strategici", "Raggiungimento per obiettivo strategico", "Obiettivo strategico"),
    ("center", "grafico-centri", "Raggiungimento per centro di responsabilità", "Centro di responsabilità"),
]


def can_read(user, body: Body) -> bool:
    """Who reads the dashboard: whoever reads every objective of the body."""
    return bool(access.roles_in(user, body) & READ_ALL_ROLES)


def default_period(periods: list[MonitoringPeriod], today: dt.date) -> MonitoringPeriod | None:
    """The latest period whose reference date has passed, else the first."""
    passed = [p for p in periods if p.reference_date <= today]
    if passed:
        return passed[-1]
    return periods[0] if periods else None


# -- the page's rows ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """A score as the page prints it: the value ("72,5 %") and how it was computed."""

    value: Decimal | None
    text: str
    how: str

    @classmethod
    def of(cls, score: Score) -> Figure:
        return cls(score.value, percent_text(score.value), score.how)


@dataclass(frozen=True)
class ReportLine:
    report: ProgressReport
    url: str
    score: Figure  # final: with the NIV/OIV's adjustment
    adjusted: bool
    validated: bool
    strategic: str
    center: str


@dataclass(frozen=True)
class SummaryLine:
    label: str
    count: int
    score: Figure


@dataclass(frozen=True)
class Chart:
    """One bar chart and its table alternative."""

    id: str
    title: str
    heading: str  # the first column of the table
    svg: SafeString
    lines: list[SummaryLine]


@dataclass(frozen=True)
class GanttLine:
    """One phase (or, with ``phase`` None, the objective heading its phases) in the table under the Gantt."""

    objective: object
    phase: object | None
    progress: object | None  # the PhaseProgress of a counted report
    counted: bool
    number: int = 0  # the phase's number in its objective, as in the chart

    @property
    def percent_text(self) -> str:
        return percent_text(self.progress.percent) if self.progress is not None else "—"


@dataclass(frozen=True)
class OffTarget:
    report: ProgressReport
    url: str
    indicator: object
    target: str
    actual: str
    score: Figure
    counts_zero: bool  # below the zero threshold (or nothing achieved): counts 0


@dataclass
class PlanDashboard:
    plan: Plan
    periods: list[MonitoringPeriod]
    period: MonitoringPeriod | None
    counts: list[tuple[str, str, int]]  # (state, label, reports)
    total: int
    validated_only: bool
    lines: list[ReportLine]  # the reports that count
    left_out: int  # the period's reports that do not count (no values yet, or not validated)
    charts: list[Chart]
    by_responsible: list[SummaryLine]
    groups: list[tuple[str, str, list[tuple[str, str]]]]  # (optgroup label, kind, [(value, label)])
    group: str
    group_label: str
    gantt_svg: SafeString
    gantt_lines: list[GanttLine]
    off_target: Page
    off_target_unknown: int  # indicators of the counted reports without a computable achievement
    rules: Rules
    rules_text: str
    zero_threshold: str
    can_manage: bool

    def context(self) -> dict:
        return {"nav": "monitoring", **{f.name: getattr(self, f.name) for f in fields(self)}}


# -- building it -------------------------------------------------------------------------------------------
def _strategic_key(objective) -> tuple[str, str]:
    so = objective.strategic_objective
    return (f"os:{so.pk}", f"{so.code} – {so.title}") if so else ("os:", NO_STRATEGIC)


def _center_key(objective) -> tuple[str, str]:
    center = objective.responsibility_center
    return (f"cdr:{center}", center) if center else ("cdr:", NO_CENTER)


def _groups(reports) -> list[tuple[str, str, list[tuple[str, str]]]]:
    strategic: dict[str, tuple[str, str]] = {}
    centers: dict[str, str] = {}
    for report in reports:
        objective = report.objective
        key, label = _strategic_key(objective)
        so = objective.strategic_objective
        strategic[key] = (so.code if so else "\uffff", label)
        key, label = _center_key(objective)
        centers[key] = label
    return [
        (
            "Obiettivi strategici",
            "os",
            [(k, label) for k, (_, label) in sorted(strategic.items(), key=lambda kv: kv[1])],
        ),
        ("Centri di responsabilità", "cdr", sorted(centers.items(), key=lambda kv: kv[1].lower())),
    ]


def _in_group(objective, group: str) -> bool:
    return group in (_strategic_key(objective)[0], _center_key(objective)[0])


def _gantt(reports, counted_ids: set[int], group: str, title: str, reference: dt.date):
    rows: list[PhaseRow] = []
    lines: list[GanttLine] = []
    statuses = dict(PhaseStatus.choices)
    for report in reports:
        objective = report.objective
        if not _in_group(objective, group):
            continue
        counted = report.pk in counted_ids
        progress = {p.phase_id: p for p in report.phase_progress.all()} if counted else {}
        heading = f"{objective.code} – {objective.title}"
        rows.append(PhaseRow(heading, heading=True))
        lines.append(GanttLine(objective, None, None, counted))
        for number, phase in enumerate(objective.phases.all(), start=1):
            row = progress.get(phase.pk)
            note = ""
            if row is not None:
                note = f"{statuses.get(row.status, row.status)}, completamento {percent_text(row.percent)}"
            rows.append(
                PhaseRow(
                    f"{number}. {phase.description}",
                    phase.start,
                    phase.end,
                    row.actual_start if row else None,
                    row.actual_end if row else None,
                    late=bool(row and row.status == PhaseStatus.LATE),
                    note=note,
                )
            )
            lines.append(GanttLine(objective, phase, row, counted, number))
    svg = phases_chart(rows, title=title, chart_id="grafico-fasi", reference=reference)
    return mark_safe(svg), lines  # noqa: S308 - every text in it is escaped by workflow.charts


def _off_target(lines: list[ReportLine], scores: dict[int, ReportScore], rules: Rules):
    found, unmeasured = [], 0
    for line in lines:
        for row in scores[line.report.pk].indicators:
            value = row.score.value
            if value is None:  # not measured, no target yet, or a text indicator
                unmeasured += 1
                continue
            if value >= HUNDRED:
                continue
            unit = f" {row.indicator.unit}" if row.indicator.unit else ""
            found.append(
                OffTarget(
                    report=line.report,
                    url=line.url,
                    indicator=row.indicator,
                    target=f"{num(row.target)}{unit}" if row.target is not None else "—",
                    actual=f"{num(row.measure.value)}{unit}",
                    score=Figure.of(row.score),
                    counts_zero=value <= 0 or value < rules.zero_threshold,
                )
            )
    found.sort(key=lambda o: (o.score.value, o.report.objective.code, o.indicator.position, o.indicator.pk))
    return found, unmeasured


def plan_dashboard(
    user,
    body: Body,
    plan: Plan,
    *,
    period_id: int | None = None,
    validated_only: bool = False,
    group: str | None = None,
    page: str | int | None = None,
    today: dt.date | None = None,
) -> PlanDashboard:
    """The dashboard of ``plan`` for ``user`` (a reader of the body: ``can_read``)."""
    periods = list(selectors.periods_of(plan))
    period = next((p for p in periods if p.pk == period_id), None) or default_period(
        periods, today or timezone.localdate()
    )
    reports: list[ProgressReport] = []
    if period is not None:
        reports = list(
            selectors.reports_visible_to(user, body)
            .filter(period=period)
            .select_related(
                "period", "objective__plan", "objective__strategic_objective", "objective__responsible"
            )
            .order_by("objective__code", "pk")
        )
    rules = rules_of(body)
    scores = period_scores(reports, rules=rules)  # prefetches indicators, phases, measures, progress

    by_state: dict[str, int] = defaultdict(int)
    for report in reports:
        by_state[report.state] += 1
    counts = [(state.value, state.label, by_state[state.value]) for state in ReportState]

    counted = [
        r for r in reports if has_values(r) and (not validated_only or r.state == ReportState.VALIDATED)
    ]
    lines = [
        ReportLine(
            report=r,
            url=reverse("workflow:report_detail", args=[r.pk]),
            score=Figure.of(scores[r.pk].final),
            adjusted=r.adjusted_score is not None,
            validated=r.state == ReportState.VALIDATED,
            strategic=_strategic_key(r.objective)[1],
            center=_center_key(r.objective)[1],
        )
        for r in counted
    ]

    def summary_lines(by: str) -> list[SummaryLine]:
        return [SummaryLine(s.label, s.count, Figure.of(s.score)) for s in summaries(counted, scores, by=by)]

    charts = []
    for by, chart_id, title, heading in CHARTS:
        rows = summary_lines(by)
        full_title = f"{title} – {period.name}" if period else title
        svg = bar_chart(
            [Bar(r.label, r.score.value, note=_objectives(r.count)) for r in rows],
            title=full_title,
            chart_id=chart_id,
        )
        charts.append(Chart(chart_id, full_title, heading, mark_safe(svg), rows))  # noqa: S308 - escaped

    groups = _groups(reports)
    values = {value: label for _, _, options in groups for value, label in options}
    chosen = group if group in values else next(iter(values), "")
    gantt_title = f"Fasi previste ed effettive – {values.get(chosen, '')}"
    gantt_svg, gantt_lines = (
        _gantt(reports, {r.pk for r in counted}, chosen, gantt_title, period.reference_date)
        if period is not None and chosen
        else (mark_safe(""), [])
    )

    off_target, unmeasured = _off_target(lines, scores, rules)
    return PlanDashboard(
        plan=plan,
        periods=periods,
        period=period,
        counts=counts,
        total=len(reports),
        validated_only=validated_only,
        lines=lines,
        left_out=len(reports) - len(counted),
        charts=charts,
        by_responsible=summary_lines("responsible"),
        groups=groups,
        group=chosen,
        group_label=values.get(chosen, ""),
        gantt_svg=gantt_svg,
        gantt_lines=gantt_lines,
        off_target=Paginator(off_target, OFF_TARGET_PAGE_SIZE).get_page(page),
        off_target_unknown=unmeasured,
        rules=rules,
        rules_text=rules.describe(),
        zero_threshold=pct(rules.zero_threshold),
        can_manage=access.is_segreteria(user, body),
    )


def _objectives(n: int) -> str:
    return ngettext("%(n)d obiettivo", "%(n)d obiettivi", n) % {"n": n}
