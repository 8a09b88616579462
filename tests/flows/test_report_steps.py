"""The progress report's steps through the real services: allowed, refused by role, body, state and a
stale page, and what each leaves behind (flows.services.monitoring, flows.steps.report)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from approvals.models import ReportStepRecord
from audit.models import AuditEntry
from flows import errors
from flows.services import monitoring
from notifications.models import Notification
from tests.factories import member
from tests.support.walk import walk_to
from workflow.models import ProgressReport, ReportState, Role, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(draft, people):
    objective = walk_to(draft, State.PUBLISHED, people)
    objective.indicators.update(target_1=D(100), polarity="higher")
    periods = monitoring.periods_create_default(plan=objective.plan, by=people["segreteria"])
    monitoring.reports_open(period=periods[0], by=people["segreteria"])
    return ProgressReport.objects.get(objective=objective, period=periods[0])


def fill(report, by, **extra):
    report = ProgressReport.objects.get(pk=report.pk)
    return monitoring.report_save(
        report_id=report.pk,
        by=by,
        lock_version=report.lock_version,
        explanation=extra.get("explanation", ""),
        phases={
            p.phase_id: {"percent": D(50), "status": extra.get("status", "on_track")}
            for p in report.phase_progress.all()
        },
        measures={m.indicator_id: {"value": D(40), "source": "Protocollo"} for m in report.measures.all()},
    )


def step(report, name, by, **data):
    current = ProgressReport.objects.get(pk=report.pk)
    return monitoring.report_transition(
        report_id=report.pk, name=name, by=by, lock_version=current.lock_version, data=data
    )


def test_default_periods_and_opening_is_idempotent(report, people):
    plan = report.objective.plan
    assert [p.name for p in plan.monitoring_periods.all()] == ["Monitoraggio intermedio", "Consuntivo"]
    assert plan.monitoring_periods.last().due_date == dt.date(plan.year + 1, 1, 31)
    assert monitoring.reports_open(period=report.period, by=people["segreteria"]) == []
    assert report.phase_progress.count() == report.objective.phases.count() > 0
    assert report.measures.count() == report.objective.indicators.count() > 0


def test_the_whole_path_with_a_return_and_an_adjustment(report, people):
    satta, segreteria, revisore = people["dirigente_satta"], people["segreteria"], people["revisore"]
    with pytest.raises(errors.ConditionsUnmet) as refused:
        step(report, "submit", satta)
    assert "Manca il valore rilevato" in refused.value.message
    fill(report, satta)
    assert step(report, "submit", satta).state == ReportState.SUBMITTED
    assert Notification.objects.filter(recipient=segreteria, transition="report.submit").exists()
    with pytest.raises(errors.InvalidInput):
        step(report, "send_back", segreteria)  # a reason is required
    assert step(report, "send_back", segreteria, comment="Manca la fonte").state == ReportState.RETURNED
    assert Notification.objects.filter(recipient=satta, transition="report.send_back").exists()
    fill(report, satta)
    step(report, "submit", satta)
    assert step(report, "check", segreteria).state == ReportState.CHECKED
    assert Notification.objects.filter(recipient=revisore, transition="report.check").exists()
    with pytest.raises(errors.InvalidInput):
        step(report, "validate", revisore, adjusted_score="80")  # no reason
    validated = step(report, "validate", revisore, adjusted_score="80", adjustment_reason="Evidenze parziali")
    assert validated.state == ReportState.VALIDATED and validated.adjusted_score == D(80)
    record = ReportStepRecord.objects.filter(report=report, transition="validate").get()
    assert record.highlighted and record.data["adjusted_score"] == "80"
    assert record.data["computed_score"] is not None and "×" in record.data["how"]
    assert AuditEntry.objects.filter(action="report.validate", body_id=report.objective.plan.body_id).exists()


def test_a_validated_report_is_frozen_and_a_correction_is_a_new_version(report, people):
    satta, segreteria, revisore = people["dirigente_satta"], people["segreteria"], people["revisore"]
    fill(report, satta)
    step(report, "submit", satta)
    step(report, "check", segreteria)
    step(report, "validate", revisore)
    with pytest.raises(errors.Forbidden):
        fill(report, satta)
    with pytest.raises(errors.Forbidden):
        step(report, "send_back", segreteria, comment="Correzione")  # only the NIV/OIV reopens it
    reopened = step(report, "send_back", revisore, comment="Valore errato")
    assert reopened.state == ReportState.RETURNED and reopened.revision == 2
    fill(report, satta)  # editable again


@pytest.mark.parametrize(
    "name, who, state",
    [
        ("submit", "segreteria", ReportState.OPEN),
        ("submit", "dirigente_rossi", ReportState.OPEN),
        ("check", "revisore", ReportState.SUBMITTED),
        ("check", "dirigente_satta", ReportState.SUBMITTED),
        ("validate", "segreteria", ReportState.CHECKED),
        ("send_back", "dirigente_satta", ReportState.SUBMITTED),
    ],
)
def test_refused_by_role(report, people, name, who, state):
    ProgressReport.objects.filter(pk=report.pk).update(state=state)
    data = {"comment": "x"}
    with pytest.raises(errors.Forbidden):
        step(report, name, people[who], **data)
    assert ProgressReport.objects.get(pk=report.pk).state == state


def test_refused_in_another_body_and_when_stale(report, people, other_body):
    stranger = member("segreteria_crema", other_body, Role.SEGRETERIA)
    fill(report, people["dirigente_satta"])
    with pytest.raises(ProgressReport.DoesNotExist):
        step(report, "submit", stranger)
    old = ProgressReport.objects.get(pk=report.pk).lock_version
    fill(report, people["dirigente_satta"], explanation="Aggiornato")
    with pytest.raises(errors.StaleObjective) as stale:
        monitoring.report_transition(
            report_id=report.pk, name="submit", by=people["dirigente_satta"], lock_version=old, data={}
        )
    assert "rendicontazione" in stale.value.message
    assert ProgressReport.objects.get(pk=report.pk).state == ReportState.OPEN


def test_a_late_phase_needs_the_explanation(report, people):
    satta = people["dirigente_satta"]
    fill(report, satta, status="late")
    with pytest.raises(errors.ConditionsUnmet) as refused:
        step(report, "submit", satta)
    assert "scostamenti" in refused.value.message
    fill(report, satta, status="late", explanation="Ritardo del fornitore")
    assert step(report, "submit", satta).state == ReportState.SUBMITTED


# Who takes each step, and the states it leaves (DESIGN.md, "The year after publication").
TAKER = {"submit": "dirigente_satta", "send_back": "revisore", "check": "segreteria", "validate": "revisore"}
SOURCES = {
    "submit": {ReportState.OPEN, ReportState.RETURNED},
    "send_back": {ReportState.SUBMITTED, ReportState.CHECKED, ReportState.VALIDATED},
    "check": {ReportState.SUBMITTED},
    "validate": {ReportState.CHECKED},
}


@pytest.mark.parametrize("name", list(TAKER))
def test_each_step_from_each_state(report, people, name):
    """One report walked through every state (set directly: the table is about the flow's sources)."""
    fill(report, people["dirigente_satta"])
    for state in ReportState:
        ProgressReport.objects.filter(pk=report.pk).update(state=state)
        if state in SOURCES[name]:
            assert step(report, name, people[TAKER[name]], comment="Motivazione").state != state, state
        else:
            with pytest.raises(errors.TransitionNotAvailable) as refused:
                step(report, name, people[TAKER[name]], comment="Motivazione")
            assert str(ReportState(state).label) in refused.value.message
            assert ProgressReport.objects.get(pk=report.pk).state == state
