"""The steps of a progress report (DESIGN.md, "The year after publication").

The flow class (flows.report_flow) declares each step's states, who may take it and its conditions; each
class here declares the rest. The engine that runs them is the objective's (flows.services.engine).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from approvals.services.monitoring import report_step_record
from notifications.services import notify_transition
from workflow.models import ProgressReport, ReportTransition
from workflow.scores import report_score
from workflow.selectors import reports_visible_to

from .. import errors, forms
from ..report_flow import ReportFlow
from . import Call, Machine, Step


@dataclass(frozen=True)
class ValidateInput:
    adjusted_score: Decimal | None = None
    adjustment_reason: str = ""
    comment: str = ""


class Submit(Step):
    """The dirigente (or a delegate) sends the period's values to the Segreteria."""

    name = ReportTransition.SUBMIT
    form = forms.CommentForm

    def record_data(self, call: Call, report, flow) -> dict:
        return {"score": _score_text(report)}


class SendBack(Step):
    """Back to the dirigente with a reason; a validated report sent back becomes its next version."""

    name = ReportTransition.SEND_BACK
    form = forms.ReasonForm

    def checked(self, call: Call, report, flow) -> None:
        # a correction of a validated report starts without the NIV/OIV's adjustment of the last version
        report.adjusted_score = None
        report.adjustment_reason = ""


class Check(Step):
    """The Segreteria has checked the values and the evidence: the NIV/OIV may validate."""

    name = ReportTransition.CHECK
    form = forms.CommentForm
    in_batch = True

    def record_data(self, call: Call, report, flow) -> dict:
        return {"score": _score_text(report)}


class Validate(Step):
    """The NIV/OIV validates, optionally adjusting the computed score with a reason; the report is frozen."""

    name = ReportTransition.VALIDATE
    form = forms.ValidateReportForm
    Input = ValidateInput

    def checked(self, call: Call, report, flow) -> None:
        report.adjusted_score = call.input.adjusted_score
        report.adjustment_reason = (
            (call.input.adjustment_reason or "").strip() if report.adjusted_score is not None else ""
        )

    def record_data(self, call: Call, report, flow) -> dict:
        computed = report_score(report).computed
        return {
            "computed_score": None if computed.value is None else str(computed.value),
            "how": computed.how,
            "adjusted_score": None if report.adjusted_score is None else str(report.adjusted_score),
            "adjustment_reason": report.adjustment_reason,
        }

    def highlighted(self, call: Call, report, flow) -> bool:
        return report.adjusted_score is not None


def _score_text(report) -> str | None:
    value = report_score(report).computed.value
    return None if value is None else str(value)


def lock_report(pk, by) -> ProgressReport:
    """Fetch through the visibility selector, then lock the row (a report the user may not see is "not
    found", as one that does not exist)."""
    try:
        return (
            reports_visible_to(by)
            .select_for_update(of=("self",))
            .select_related("objective__plan__body", "period", "updated_by")
            .get(pk=pk)
        )
    except ProgressReport.DoesNotExist:
        raise ProgressReport.DoesNotExist(errors.REPORT_NOT_FOUND) from None


def _notify(report, *, event, by, comment):
    notify_transition(
        objective=report.objective,
        transition=f"report.{event}",
        by=by,
        comment=comment,
        context={"period": report.period.name},
    )


REPORT = Machine(
    name="report",
    flow_class=ReportFlow,
    model=ProgressReport,
    transitions=ReportTransition,
    steps=[Submit, SendBack, Check, Validate],
    lock=lock_report,
    body_id=lambda report: report.objective.plan.body_id,
    record_step=lambda report, **kwargs: report_step_record(report=report, **kwargs),
    notify=_notify,
    audit_prefix="report",
    stale_messages=(errors.REPORT_STALE, errors.REPORT_STALE_SELF),
    not_found=errors.REPORT_NOT_FOUND,
    missing_code="La rendicontazione n. {pk}",
    batch_messages=(errors.REPORT_BATCH_EMPTY, errors.REPORT_BATCH_BLOCKED),
)
