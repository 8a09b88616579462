"""The rows of the progress reports that follow an objective's phases and indicators.

A report has a progress row per phase and a measure row per indicator of its objective. The objective's
content changes after publication only through a revision (or a discarded one): then a new phase or
indicator gets its rows in the reports still being filled, and a phase or indicator may be removed only
while no report holds anything declared about it (a value, a date, a status, a file, or a report sent).
"""

from __future__ import annotations

from approvals.models import ReportEvidence
from workflow.models import (
    REPORT_EDITABLE_STATES,
    Indicator,
    IndicatorMeasure,
    Phase,
    PhaseProgress,
    PhaseStatus,
    ProgressReport,
    ReportState,
)

from .. import errors
from .common import delete_with_history, save_with_history

ROW_REPORTED = (
    "«{what}» ha valori già dichiarati nel monitoraggio (in una rendicontazione compilata o inviata): "
    "non si può eliminare senza perderli. Modificane il testo invece di eliminarla."
)


def rows_create(report: ProgressReport, *, by, reason: str = "Rendicontazione aperta") -> int:
    """Give ``report`` the progress and measure rows its objective's phases and indicators lack."""
    have_phases = set(report.phase_progress.values_list("phase_id", flat=True))
    have_indicators = set(report.measures.values_list("indicator_id", flat=True))
    added = 0
    for phase in report.objective.phases.exclude(pk__in=have_phases):
        save_with_history(PhaseProgress(report=report, phase=phase), by=by, reason=reason)
        added += 1
    for indicator in report.objective.indicators.exclude(pk__in=have_indicators):
        save_with_history(IndicatorMeasure(report=report, indicator=indicator), by=by, reason=reason)
        added += 1
    return added


def rows_complete(objective, *, by) -> int:
    """After a revision is published or discarded: the rows of its new phases and indicators in the
    objective's reports still being filled."""
    return sum(
        rows_create(report, by=by, reason="Nuove fasi o nuovi indicatori dell'obiettivo")
        for report in ProgressReport.objects.filter(objective=objective, state__in=REPORT_EDITABLE_STATES)
    )


def _declared_progress(row: PhaseProgress) -> bool:
    return bool(
        row.percent or row.actual_start or row.actual_end or row.note or row.status != PhaseStatus.NOT_STARTED
    )


def _declared_measure(row: IndicatorMeasure) -> bool:
    return bool(row.value is not None or row.text_value or row.source or row.measured_on or row.note)


def release(row, *, by, reason: str) -> None:
    """Before ``row`` (a Phase or an Indicator) is deleted: remove its empty rows in the reports, or refuse
    when a report holds anything declared about it."""
    if isinstance(row, Phase):
        rows = list(PhaseProgress.objects.filter(phase=row).select_related("report"))
        declared = any(_declared_progress(r) for r in rows)
    elif isinstance(row, Indicator):
        rows = list(IndicatorMeasure.objects.filter(indicator=row).select_related("report"))
        declared = (
            any(_declared_measure(r) for r in rows) or ReportEvidence.objects.filter(indicator=row).exists()
        )
    else:  # pragma: no cover - only phases and indicators have report rows
        return
    declared = declared or any(r.report.state != ReportState.OPEN for r in rows)
    if declared:
        raise errors.InvalidInput(ROW_REPORTED.format(what=" ".join(row.description.split())[:60]))
    for r in rows:
        delete_with_history(r, by=by, reason=reason)
