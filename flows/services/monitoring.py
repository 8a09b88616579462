"""The monitoring's use cases (DESIGN.md, "The year after publication"): the periods of a plan, opening the
reports of a period, saving a report's values and its evidence, the body's measurement rules, and the
report's steps (run by the engine like the objective's: flows.steps.report).

Every write: one transaction, the row locked and checked against the version the page showed, the
acting user's permission in the body, the history row with the reason, the audit entry and, for what
people must learn of, the notifications.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

import audit.services as audit
from approvals import uploads
from approvals.models import PublishedRevision, ReportEvidence
from approvals.services import monitoring as records
from notifications.services import notify_transition
from workflow import access
from workflow.models import (
    REPORT_EDITABLE_STATES,
    MeasurementSystem,
    MonitoringPeriod,
    Objective,
    Plan,
    ProgressReport,
    State,
)

from .. import errors
from ..steps import Call
from ..steps.report import REPORT, lock_report
from . import engine, report_rows
from .common import check_fresh, save_with_history

# -- the periods --------------------------------------------------------------------------------------


def default_periods(year: int) -> list[dict]:
    """The two periods a plan has unless the Segreteria changes them: 30 June (due 31 July) and 31
    December (due 31 January of the next year)."""
    return [
        {
            "name": "Monitoraggio intermedio",
            "reference_date": dt.date(year, 6, 30),
            "due_date": dt.date(year, 7, 31),
            "is_final": False,
        },
        {
            "name": "Consuntivo",
            "reference_date": dt.date(year, 12, 31),
            "due_date": dt.date(year + 1, 1, 31),
            "is_final": True,
        },
    ]


def _check_segreteria(by, body_id, message=errors.PERIOD_FORBIDDEN) -> None:
    if not access.is_segreteria(by, body_id):
        raise errors.Forbidden(message)


def periods_create_default(*, plan: Plan, by) -> list[MonitoringPeriod]:
    """Give a plan without periods the two default ones (a plan that has some keeps them)."""
    _check_segreteria(by, plan.body_id)
    with transaction.atomic():
        Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.monitoring_periods.exists():
            return list(plan.monitoring_periods.all())
        created = []
        for values in default_periods(plan.year):
            period = MonitoringPeriod(plan=plan, **values)
            save_with_history(period, by=by, reason="Periodi di monitoraggio predefiniti")
            created.append(period)
        audit.record(
            action="report.period_save",
            by=by,
            obj=plan,
            body_id=plan.body_id,
            data={"periods": [_period_data(p) for p in created], "default": True},
        )
    return created


def _period_data(period: MonitoringPeriod) -> dict:
    return {
        "id": period.pk,
        "name": period.name,
        "reference_date": period.reference_date.isoformat(),
        "due_date": period.due_date.isoformat(),
        "is_final": period.is_final,
    }


def period_save(
    *,
    plan: Plan,
    by,
    name: str,
    reference_date: dt.date,
    due_date: dt.date,
    is_final: bool = False,
    period_id: int | None = None,
) -> MonitoringPeriod:
    """Create a period of ``plan``, or change one (``period_id``)."""
    _check_segreteria(by, plan.body_id)
    name = (name or "").strip()
    if due_date < reference_date:
        raise errors.InvalidInput(errors.PERIOD_DUE_BEFORE_REFERENCE)
    with transaction.atomic():
        Plan.objects.select_for_update().get(pk=plan.pk)
        others = plan.monitoring_periods.exclude(pk=period_id)
        if others.filter(name__iexact=name).exists():
            raise errors.InvalidInput(errors.PERIOD_NAME_TAKEN)
        if others.filter(reference_date=reference_date).exists():
            raise errors.InvalidInput(errors.PERIOD_DATE_TAKEN)
        if period_id is None:
            period = MonitoringPeriod(plan=plan)
        else:
            try:
                period = plan.monitoring_periods.get(pk=period_id)
            except MonitoringPeriod.DoesNotExist as exc:
                raise errors.InvalidInput(errors.NOT_FOUND) from exc
        before = _period_data(period) if period.pk else None
        if period.pk and (period.reference_date != reference_date or period.is_final != is_final):
            if _has_declared_reports(period):
                raise errors.InvalidInput(errors.PERIOD_FROZEN)
        period.name, period.reference_date, period.due_date, period.is_final = (
            name,
            reference_date,
            due_date,
            is_final,
        )
        try:
            with transaction.atomic():
                save_with_history(period, by=by, reason="Periodo di monitoraggio salvato")
        except IntegrityError as exc:  # pragma: no cover - the checks above come first
            raise errors.InvalidInput(errors.PERIOD_NAME_TAKEN) from exc
        audit.record(
            action="report.period_save",
            by=by,
            obj=plan,
            body_id=plan.body_id,
            data={"before": before, "after": _period_data(period)},
        )
    return period


def period_delete(*, plan: Plan, period_id: int, by) -> None:
    """Remove a period no report of which has been submitted (its untouched reports go with it)."""
    _check_segreteria(by, plan.body_id)
    with transaction.atomic():
        Plan.objects.select_for_update().get(pk=plan.pk)
        try:
            period = plan.monitoring_periods.get(pk=period_id)
        except MonitoringPeriod.DoesNotExist as exc:
            raise errors.InvalidInput(errors.NOT_FOUND) from exc
        reports = ProgressReport.objects.filter(period=period)
        if _has_declared_reports(period):
            raise errors.InvalidInput(errors.PERIOD_HAS_REPORTS)
        data = _period_data(period)
        for report in reports:
            report._history_user = by
            report._change_reason = "Periodo eliminato"
            report.delete()
        period._history_user = by
        period._change_reason = "Periodo eliminato"
        period.delete()
        audit.record(action="report.period_delete", by=by, obj=plan, body_id=plan.body_id, data=data)


def _has_declared_reports(period: MonitoringPeriod) -> bool:
    """Whether a report of the period holds anything a person declared: sent at least once, values saved
    (every save bumps the lock version), or a file."""
    reports = ProgressReport.objects.filter(period=period)
    return (
        reports.exclude(state="open").exists()
        or reports.filter(lock_version__gt=1).exists()
        or reports.filter(steps__isnull=False).exists()
        or ReportEvidence.objects.filter(report__period=period).exists()
    )


# -- opening the reports of a period ------------------------------------------------------------------


def reports_open(*, period: MonitoringPeriod, by) -> list[ProgressReport]:
    """Open a report for every objective of the period's plan that has been published (also one whose
    revision is in progress: its published revision is still in force) and has none yet, with a row for each
    phase and indicator (idempotent: a second call opens only what is missing)."""
    plan = period.plan
    _check_segreteria(by, plan.body_id)
    with transaction.atomic():
        MonitoringPeriod.objects.select_for_update().get(pk=period.pk)
        existing = set(ProgressReport.objects.filter(period=period).values_list("objective_id", flat=True))
        # published, or under revision with its published revision still in force (DESIGN.md)
        objectives = (
            Objective.objects.filter(plan=plan)
            .filter(
                Q(state=State.PUBLISHED) | Exists(PublishedRevision.objects.filter(objective=OuterRef("pk")))
            )
            .exclude(state=State.WITHDRAWN)
            .exclude(pk__in=existing)
            .order_by("code")
            .prefetch_related("phases", "indicators")
        )
        opened = []
        for objective in objectives:
            report = ProgressReport(objective=objective, period=period)
            save_with_history(report, by=by, reason=f"Rendicontazione aperta: {period.name}")
            report_rows.rows_create(report, by=by)
            opened.append(report)
        if opened:
            audit.record(
                action="report.open",
                by=by,
                obj=plan,
                body_id=plan.body_id,
                data={
                    "period": period.pk,
                    "name": period.name,
                    "objectives": [r.objective_id for r in opened],
                },
            )
    return opened


# -- a report's values --------------------------------------------------------------------------------


def _lock_editable(report_id: int, by, lock_version) -> ProgressReport:
    report = lock_report(report_id, by)
    check_fresh(report, lock_version, by=by, messages=REPORT.stale_messages)
    objective = report.objective
    if report.state not in REPORT_EDITABLE_STATES or not (
        access.is_responsible(by, objective) or access.is_delegate(by, objective)
    ):
        raise errors.Forbidden(errors.REPORT_NOT_EDITABLE)
    return report


PHASE_FIELDS = ("percent", "actual_start", "actual_end", "status", "note")
MEASURE_FIELDS = ("value", "text_value", "source", "measured_on", "note")


def report_save(
    *,
    report_id: int,
    by,
    lock_version: int | None,
    explanation: str = "",
    corrective_actions: str = "",
    phases: dict[int, dict] | None = None,
    measures: dict[int, dict] | None = None,
) -> ProgressReport:
    """Save the values of an editable report: its explanation and corrective actions, each phase's
    progress (``phases``: phase id -> PHASE_FIELDS), each indicator's value (``measures``: indicator id ->
    MEASURE_FIELDS). Rows of another objective are refused; only what changed is written."""
    with transaction.atomic():
        report = _lock_editable(report_id, by, lock_version)
        changed: dict[str, list] = {"report": [], "phases": [], "indicators": []}
        rows = {p.phase_id: p for p in report.phase_progress.select_for_update()}
        for phase_id, values in (phases or {}).items():
            row = rows.get(int(phase_id))
            if row is None:
                raise errors.InvalidInput(errors.NOT_FOUND)
            if _assign(row, values, PHASE_FIELDS):
                save_with_history(row, by=by, reason="Avanzamento della fase")
                changed["phases"].append(row.phase_id)
        rows_m = {m.indicator_id: m for m in report.measures.select_for_update()}
        for indicator_id, values in (measures or {}).items():
            row = rows_m.get(int(indicator_id))
            if row is None:
                raise errors.InvalidInput(errors.NOT_FOUND)
            if _assign(row, values, MEASURE_FIELDS):
                save_with_history(row, by=by, reason="Valore rilevato")
                changed["indicators"].append(row.indicator_id)
        if _assign(
            report,
            {"explanation": explanation.strip(), "corrective_actions": corrective_actions.strip()},
            ("explanation", "corrective_actions"),
        ):
            changed["report"] = ["explanation", "corrective_actions"]
        if not any(changed.values()):
            return report
        save_with_history(report, by=by, reason="Valori della rendicontazione salvati")
        audit.record(
            action="report.update",
            by=by,
            obj=report,
            body_id=report.objective.plan.body_id,
            data={"code": report.code, "revision": report.revision, "changed": changed},
        )
        notify_transition(
            objective=report.objective,
            transition="report.update",
            by=by,
            context={"period": report.period.name},
        )
    return report


def _assign(instance, values: dict, fields) -> bool:
    changed = False
    for name in fields:
        if name not in values:
            continue
        value = values[name]
        if isinstance(value, str):
            value = value.strip()
        if name in ("value", "percent") and value is not None:
            value = Decimal(value)
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


# -- evidence -----------------------------------------------------------------------------------------


def evidence_add(
    *,
    report_id: int,
    by,
    lock_version: int | None,
    name: str,
    content: bytes,
    indicator_id: int | None = None,
    description: str = "",
) -> ReportEvidence:
    """Attach a file to an editable report (or to one of its indicators), checked to be what its name
    says; stored with its SHA-256."""
    if len(content) > uploads.max_upload_bytes():
        raise errors.InvalidInput(
            errors.EVIDENCE_TOO_LARGE.format(limit=uploads.megabytes(uploads.max_upload_bytes()))
        )
    try:
        content_type = uploads.check_evidence(content, name)
    except uploads.FileRefused as exc:
        raise errors.InvalidInput(exc.message) from exc
    with transaction.atomic():
        report = _lock_editable(report_id, by, lock_version)
        indicator = None
        if indicator_id:
            indicator = report.objective.indicators.filter(pk=indicator_id).first()
            if indicator is None:
                raise errors.InvalidInput(errors.NOT_FOUND)
        evidence = records.evidence_record(
            report=report,
            indicator=indicator,
            name=name[:255],
            content_type=content_type,
            content=content,
            description=(description or "").strip()[:300],
            by=by,
        )
        save_with_history(report, by=by, reason=f"Documento a supporto: {name}")
        audit.record(
            action="report.evidence_add",
            by=by,
            obj=report,
            body_id=report.objective.plan.body_id,
            data={
                "code": report.code,
                "evidence": evidence.pk,
                "name": evidence.file.name,
                "sha256": evidence.file.sha256,
                "size": evidence.file.size,
                "indicator": indicator_id,
            },
        )
        notify_transition(
            objective=report.objective,
            transition="report.update",
            by=by,
            context={"period": report.period.name},
        )
    return evidence


def evidence_withdraw(*, report_id: int, evidence_id: int, by, lock_version: int | None) -> ReportEvidence:
    """Withdraw a file from an editable report: it stays stored, marked withdrawn."""
    with transaction.atomic():
        report = _lock_editable(report_id, by, lock_version)
        evidence = ReportEvidence.objects.filter(
            report=report, pk=evidence_id, withdrawn_at__isnull=True
        ).first()
        if evidence is None:
            raise errors.InvalidInput(errors.EVIDENCE_NOT_FOUND)
        records.evidence_withdraw(evidence=evidence)
        save_with_history(report, by=by, reason=f"Documento ritirato: {evidence.file.name}")
        audit.record(
            action="report.evidence_withdraw",
            by=by,
            obj=report,
            body_id=report.objective.plan.body_id,
            data={"code": report.code, "evidence": evidence.pk, "sha256": evidence.file.sha256},
        )
    return evidence


# -- the measurement system ---------------------------------------------------------------------------

SMVP_FIELDS = ("allow_over_achievement", "over_achievement_cap", "zero_threshold", "indicators_share")


def measurement_system_save(*, body, by, **values) -> MeasurementSystem:
    _check_segreteria(by, body.pk, errors.SMVP_FORBIDDEN)
    with transaction.atomic():
        system, _ = MeasurementSystem.objects.select_for_update().get_or_create(body=body)
        before = {f: str(getattr(system, f)) for f in SMVP_FIELDS}
        for name in SMVP_FIELDS:
            if name in values:
                setattr(system, name, values[name])
        save_with_history(system, by=by, reason="Sistema di misurazione modificato")
        after = {f: str(getattr(system, f)) for f in SMVP_FIELDS}
        audit.record(
            action="report.measurement_system",
            by=by,
            obj=system,
            body_id=body.pk,
            data={"before": before, "after": after},
        )
    return system


# -- the steps ----------------------------------------------------------------------------------------


def report_transition(
    *,
    report_id: int,
    name: str,
    by,
    lock_version: int | None = None,
    data: dict | None = None,
    input=None,
) -> ProgressReport:
    """Apply step ``name`` of the progress report: all of it, or nothing."""
    step = REPORT.step(name)
    typed = input if input is not None else step.validate(data)
    versions = {int(report_id): lock_version} if lock_version is not None else {}
    call = Call(step=step, by=by, input=typed, ids=[int(report_id)], lock_versions=versions)
    return engine.run(call)[0]


def reports_batch_transition(
    *, report_ids: list[int], name: str, by, data: dict | None = None, lock_versions=None, input=None
) -> list[ProgressReport]:
    """One step on many reports (the Segreteria's "check" on the monitoring board): all or none."""
    step = REPORT.step(name)
    typed = input if input is not None else step.validate(data)
    return engine.run(
        engine.batch_call(step, by=by, input=typed, ids=report_ids, lock_versions=lock_versions)
    )
