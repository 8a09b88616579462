"""Scores of progress reports and their summaries, recomputed from the stored values on every read.

workflow.achievement holds the rules (plain data); this module feeds them the rows of a report, of a
period, of a plan. Nothing here writes, and no score is ever read back from the database: the only stored
number is the NIV/OIV's adjustment, applied on top and shown as such.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import prefetch_related_objects

from .achievement import Rules, Score, adjusted, indicator_achievement, objective_score, pct, weighted_average
from .models import MeasurementSystem, PhaseStatus, Polarity, ProgressReport


@dataclass(frozen=True)
class IndicatorRow:
    indicator: object
    measure: object | None
    target: Decimal | None
    score: Score


@dataclass(frozen=True)
class PhaseRow:
    phase: object
    progress: object | None
    score: Score


@dataclass(frozen=True)
class ReportScore:
    indicators: list[IndicatorRow]
    phases: list[PhaseRow]
    indicators_score: Score
    phases_score: Score
    computed: Score  # from the values alone
    final: Score  # with the NIV/OIV's adjustment, when there is one
    rules: Rules


def rules_of(body) -> Rules:
    system = MeasurementSystem.objects.filter(body_id=getattr(body, "pk", body)).first()
    return Rules.of(system)


def target_for(indicator, year_index: int) -> Decimal | None:
    """The indicator's target for the ``year_index``-th year of the triennium (1, 2, 3)."""
    return {1: indicator.target_1, 2: indicator.target_2, 3: indicator.target_3}.get(year_index)


def year_index(report) -> int:
    return max(1, min(3, report.period.reference_date.year - report.objective.plan.year + 1))


def report_score(
    report: ProgressReport,
    *,
    rules: Rules | None = None,
    indicators=None,
    phases=None,
    measures=None,
    progress=None,
) -> ReportScore:
    """The scores of one report; the lists may be passed when already fetched (a page of many reports)."""
    objective = report.objective
    rules = rules or rules_of(objective.plan.body_id)
    indicators = list(objective.indicators.all()) if indicators is None else indicators
    phases = list(objective.phases.all()) if phases is None else phases
    by_indicator = {m.indicator_id: m for m in (report.measures.all() if measures is None else measures)}
    by_phase = {p.phase_id: p for p in (report.phase_progress.all() if progress is None else progress)}
    index = year_index(report)

    indicator_rows = []
    for indicator in indicators:
        measure = by_indicator.get(indicator.pk)
        target = target_for(indicator, index)
        actual = measure.value if measure is not None else None
        if indicator.polarity != Polarity.BINARY and target is None and measure is not None:
            score = Score(None, "Indicatore testuale: non entra nel punteggio.")
        else:
            score = indicator_achievement(
                polarity=indicator.polarity,
                target=target,
                actual=actual,
                baseline=indicator.baseline_value,
                tolerance=indicator.tolerance,
                rules=rules,
            )
        indicator_rows.append(IndicatorRow(indicator, measure, target, score))

    phase_rows = []
    for phase in phases:
        row = by_phase.get(phase.pk)
        if row is None:
            score = Score(None, "Avanzamento non indicato.")
        else:
            score = Score(Decimal(row.percent), f"completamento dichiarato: {pct(row.percent)}")
        phase_rows.append(PhaseRow(phase, row, score))

    indicators_score = weighted_average(
        [(r.indicator.weight, r.score) for r in indicator_rows], what="degli indicatori"
    )
    phases_score = weighted_average([(r.phase.weight, r.score) for r in phase_rows], what="delle fasi")
    computed = objective_score(indicators=indicators_score, phases=phases_score, rules=rules)
    final = adjusted(computed, report.adjusted_score, report.adjustment_reason)
    return ReportScore(indicator_rows, phase_rows, indicators_score, phases_score, computed, final, rules)


def has_values(report: ProgressReport) -> bool:
    """Whether the dirigente has declared anything in the report (the rows are opened empty)."""
    if any(m.value is not None or m.text_value for m in report.measures.all()):
        return True
    return any(
        p.percent or p.actual_start or p.actual_end or p.status != PhaseStatus.NOT_STARTED
        for p in report.phase_progress.all()
    )


def period_scores(reports, *, rules: Rules) -> dict[int, ReportScore]:
    """The scores of many reports of one body, with their rows fetched in a fixed number of queries:
    ``reports`` must come with ``objective`` selected; the rest is prefetched here."""
    reports = list(reports)
    prefetch_related_objects(
        reports, "objective__indicators", "objective__phases", "measures", "phase_progress"
    )
    return {r.pk: report_score(r, rules=rules) for r in reports}


@dataclass(frozen=True)
class Summary:
    key: str
    label: str
    score: Score
    count: int


def summaries(reports, scores: dict[int, ReportScore], *, by: str) -> list[Summary]:
    """Weighted averages of the objectives' final scores, by ``strategic`` objective, ``center`` or
    ``responsible`` dirigente, or ``all`` of them together (the objectives' weights; equal when all are
    zero)."""
    groups: dict[str, list] = defaultdict(list)
    labels: dict[str, str] = {}
    for report in reports:
        objective = report.objective
        if by == "all":
            key, label = "", "Tutti gli obiettivi"
        elif by == "strategic":
            so = objective.strategic_objective
            key, label = (so.code, f"{so.code} – {so.title}") if so else ("", "Senza obiettivo strategico")
        elif by == "center":
            key = label = objective.responsibility_center or "Senza centro di responsabilità"
        else:
            person = objective.responsible
            # a printed name without an account is a person of its own, not one row for all of them
            key = (
                str(objective.responsible_id)
                if objective.responsible_id
                else f"nome:{objective.responsible_name}"
            )
            label = (
                (person.get_full_name() or person.get_username()) if person else objective.responsible_name
            )
        groups[key].append((objective.weight, scores[report.pk].final))
        labels[key] = label or "—"
    return [
        Summary(key, labels[key], weighted_average(items, what="degli obiettivi"), len(items))
        for key, items in sorted(groups.items(), key=lambda kv: labels[kv[0]])
    ]
