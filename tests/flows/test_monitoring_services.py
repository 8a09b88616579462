"""The monitoring's services beyond the steps: who sees which report, the periods, the values and the
evidence files (flows.services.monitoring, workflow.selectors.reports_visible_to)."""

import datetime as dt
import io
import zipfile
from decimal import Decimal as D

import pytest
from guardian.shortcuts import assign_perm

from approvals.models import ReportEvidence, StoredFile
from audit.models import AuditEntry
from flows import errors
from flows.services import monitoring
from tests.factories import ObjectiveFactory, member
from tests.support.files import SMALL_PDF, image_bytes
from tests.support.walk import walk_to
from workflow.models import IndicatorMeasure, MonitoringPeriod, PhaseProgress, ProgressReport, Role, State
from workflow.selectors import reports_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(draft, people):
    objective = walk_to(draft, State.PUBLISHED, people)
    periods = monitoring.periods_create_default(plan=objective.plan, by=people["segreteria"])
    monitoring.reports_open(period=periods[0], by=people["segreteria"])
    return ProgressReport.objects.get(objective=objective, period=periods[0])


def lock(report):
    return ProgressReport.objects.get(pk=report.pk).lock_version


# -- who sees a report --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "who, sees",
    [
        ("dirigente_satta", True),
        ("dirigente_rossi", True),  # a dirigente reads every objective of the body, and its reports
        ("segreteria", True),
        ("segretario", True),
        ("revisore", True),
        ("sindacato", False),  # internal until the Relazione is published
        ("funzionario_bianchi", False),  # without a delegation
        ("amministratore", False),
    ],
)
def test_who_sees_a_report_in_its_body(report, people, who, sees):
    assert reports_visible_to(people[who]).filter(pk=report.pk).exists() is sees


def test_a_delegate_sees_and_fills_the_report_of_the_delegated_objective(report, people):
    bianchi = people["funzionario_bianchi"]
    assign_perm("workflow.change_objective", bianchi, report.objective)
    assert reports_visible_to(bianchi).filter(pk=report.pk).exists()
    monitoring.report_save(
        report_id=report.pk, by=bianchi, lock_version=lock(report), explanation="Da delegata"
    )
    assert ProgressReport.objects.get(pk=report.pk).explanation == "Da delegata"


def test_nobody_of_another_body_sees_or_touches_a_report(report, people, other_body):
    for role in (Role.SEGRETERIA, Role.REVISORE, Role.DIRIGENTE):
        stranger = member(f"{role}_crema", other_body, role)
        assert not reports_visible_to(stranger).filter(pk=report.pk).exists()
        with pytest.raises(ProgressReport.DoesNotExist):
            monitoring.report_save(report_id=report.pk, by=stranger, lock_version=None, explanation="x")
        with pytest.raises(errors.Forbidden):
            monitoring.reports_open(period=report.period, by=stranger)
    assert ProgressReport.objects.get(pk=report.pk).explanation == ""


# -- the periods ---------------------------------------------------------------------------------------
def test_periods_are_the_segreteria_s_and_checked(report, people):
    plan, segreteria = report.objective.plan, people["segreteria"]
    with pytest.raises(errors.Forbidden):
        monitoring.period_save(
            plan=plan,
            by=people["dirigente_satta"],
            name="Terzo",
            reference_date=dt.date(plan.year, 9, 30),
            due_date=dt.date(plan.year, 10, 31),
        )
    with pytest.raises(errors.InvalidInput, match="scadenza"):
        monitoring.period_save(
            plan=plan,
            by=segreteria,
            name="Terzo",
            reference_date=dt.date(plan.year, 9, 30),
            due_date=dt.date(plan.year, 9, 1),
        )
    with pytest.raises(errors.InvalidInput) as taken:
        monitoring.period_save(
            plan=plan,
            by=segreteria,
            name="consuntivo",
            reference_date=dt.date(plan.year, 9, 30),
            due_date=dt.date(plan.year, 10, 31),
        )
    assert taken.value.message == errors.PERIOD_NAME_TAKEN
    third = monitoring.period_save(
        plan=plan,
        by=segreteria,
        name="Terzo trimestre",
        reference_date=dt.date(plan.year, 9, 30),
        due_date=dt.date(plan.year, 10, 31),
    )
    assert AuditEntry.objects.filter(action="report.period_save", body_id=plan.body_id).count() == 2
    monitoring.period_delete(plan=plan, period_id=third.pk, by=segreteria)
    assert not MonitoringPeriod.objects.filter(pk=third.pk).exists()


def test_a_period_with_a_submitted_report_cannot_be_deleted(report, people):
    report.objective.indicators.update(target_1=D(100))
    rows = {m.indicator_id: {"value": D(90)} for m in report.measures.all()}
    report = monitoring.report_save(
        report_id=report.pk, by=people["dirigente_satta"], lock_version=lock(report), measures=rows
    )
    monitoring.report_transition(report_id=report.pk, name="submit", by=people["dirigente_satta"], data={})
    with pytest.raises(errors.InvalidInput) as refused:
        monitoring.period_delete(
            plan=report.objective.plan, period_id=report.period_id, by=people["segreteria"]
        )
    assert refused.value.message == errors.PERIOD_HAS_REPORTS
    assert ProgressReport.objects.filter(pk=report.pk).exists()


# -- values --------------------------------------------------------------------------------------------
def test_values_of_another_objective_are_refused_and_nothing_is_saved(report, people, plan):
    other_phase = ObjectiveFactory(
        plan=plan, responsible=people["dirigente_satta"], code="2023_9999"
    ).phases.first()
    with pytest.raises(errors.InvalidInput):
        monitoring.report_save(
            report_id=report.pk,
            by=people["dirigente_satta"],
            lock_version=lock(report),
            explanation="Non deve restare",
            phases={other_phase.pk: {"percent": D(10)}},
        )
    assert ProgressReport.objects.get(pk=report.pk).explanation == ""


def test_saving_nothing_new_writes_nothing(report, people):
    before = (lock(report), AuditEntry.objects.count())
    monitoring.report_save(report_id=report.pk, by=people["dirigente_satta"], lock_version=lock(report))
    assert (lock(report), AuditEntry.objects.count()) == before


# -- evidence ------------------------------------------------------------------------------------------
def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("verbale.pdf", SMALL_PDF, "application/pdf"),
        ("foto.png", image_bytes("PNG"), "image/png"),
        ("foto.jpg", image_bytes("JPEG"), "image/jpeg"),
        ("dati.xlsx", _xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("dati.csv", b"anno;valore\n2023;42,5\n", "text/csv"),
    ],
)
def test_evidence_is_stored_hashed_and_logged(report, people, name, content, content_type):
    evidence = monitoring.evidence_add(
        report_id=report.pk,
        by=people["dirigente_satta"],
        lock_version=lock(report),
        name=name,
        content=content,
    )
    stored = StoredFile.objects.get(pk=evidence.file_id)
    assert (stored.content_type, bytes(stored.content), stored.sha256) == (
        content_type,
        content,
        StoredFile.digest(content),
    )
    entry = AuditEntry.objects.get(action="report.evidence_add")
    assert entry.payload["data"]["sha256"] == stored.sha256


@pytest.mark.parametrize(
    "name, content",
    [
        ("verbale.pdf", b"not a pdf at all"),  # claims to be a PDF
        ("foto.png", image_bytes("JPEG")),  # a JPEG named .png
        ("dati.xlsx", image_bytes("PNG")),  # an image named .xlsx
        ("dati.ods", _xlsx()),  # an XLSX named .ods
        ("dati.csv", b"\x00\x01\x02binary"),
        ("programma.exe", b"MZ\x90\x00"),
    ],
)
def test_evidence_that_is_not_what_it_claims_is_refused(report, people, name, content):
    files = StoredFile.objects.count()
    with pytest.raises(errors.InvalidInput):
        monitoring.evidence_add(
            report_id=report.pk,
            by=people["dirigente_satta"],
            lock_version=lock(report),
            name=name,
            content=content,
        )
    assert not ReportEvidence.objects.exists() and StoredFile.objects.count() == files


def test_evidence_only_while_editable_and_withdrawal_keeps_the_file(report, people):
    satta = people["dirigente_satta"]
    with pytest.raises(errors.Forbidden):
        monitoring.evidence_add(
            report_id=report.pk,
            by=people["segreteria"],
            lock_version=lock(report),
            name="a.pdf",
            content=SMALL_PDF,
        )
    evidence = monitoring.evidence_add(
        report_id=report.pk, by=satta, lock_version=lock(report), name="a.pdf", content=SMALL_PDF
    )
    monitoring.evidence_withdraw(
        report_id=report.pk, evidence_id=evidence.pk, by=satta, lock_version=lock(report)
    )
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is not None and StoredFile.objects.filter(pk=evidence.file_id).exists()
    with pytest.raises(errors.InvalidInput):
        monitoring.evidence_withdraw(
            report_id=report.pk, evidence_id=evidence.pk, by=satta, lock_version=None
        )


def test_measurement_system_is_the_segreteria_s(body, people):
    with pytest.raises(errors.Forbidden):
        monitoring.measurement_system_save(body=body, by=people["revisore"], zero_threshold=D(30))
    system = monitoring.measurement_system_save(body=body, by=people["segreteria"], zero_threshold=D(30))
    assert system.zero_threshold == D(30)
    assert AuditEntry.objects.filter(action="report.measurement_system", body_id=body.pk).exists()


# -- the objective's content changes during the year (a revision) --------------------------------------
def _declared(report, people):
    """The report filled, with a file for its first indicator, sent, checked and validated."""
    satta = people["dirigente_satta"]
    report.objective.indicators.update(target_1=D(100))
    values = {m.indicator_id: {"value": D(70)} for m in report.measures.all()}
    monitoring.report_save(report_id=report.pk, by=satta, lock_version=lock(report), measures=values)
    first = report.objective.indicators.order_by("position", "pk").first()
    monitoring.evidence_add(
        report_id=report.pk,
        by=satta,
        lock_version=lock(report),
        name="a.pdf",
        content=SMALL_PDF,
        indicator_id=first.pk,
    )
    monitoring.report_transition(report_id=report.pk, name="submit", by=satta)
    monitoring.report_transition(report_id=report.pk, name="check", by=people["segreteria"])
    monitoring.report_transition(report_id=report.pk, name="validate", by=people["revisore"])
    return first


def test_a_discarded_revision_keeps_the_values_the_reports_declared(report, people):
    from tests.support.walk import act

    first = _declared(report, people)
    act(report.objective, "revise", people["segreteria"])
    act(report.objective, "discard_revision", people["segreteria"])
    assert report.objective.indicators.filter(pk=first.pk).exists()  # restored in place, same id
    measures = IndicatorMeasure.objects.filter(report=report)
    assert measures.count() == report.objective.indicators.count()
    assert all(m.value == D(70) for m in measures)


def test_a_revision_cannot_delete_an_indicator_with_declared_values(report, people):
    from flows.services.content import objective_update
    from tests.support.walk import act

    first = _declared(report, people)
    objective = act(report.objective, "revise", people["segreteria"])
    with pytest.raises(errors.InvalidInput, match="valori già dichiarati"):
        objective_update(
            objective_id=objective.pk,
            by=people["dirigente_satta"],
            lock_version=objective.lock_version,
            fields={},
            indicators=[{"id": first.pk, "delete": True}],
        )
    assert report.objective.indicators.filter(pk=first.pk).exists()


def test_a_published_revision_adds_its_new_phase_to_the_open_reports(report, people):
    from flows.services.content import objective_update
    from tests.support.walk import walk_to as walk

    objective = walk(report.objective, "revision_in_progress", people)
    # the objective is under revision: its report of the period is opened all the same
    monitoring.reports_open(period=report.period.plan.monitoring_periods.last(), by=people["segreteria"])
    assert ProgressReport.objects.filter(objective=objective).count() == 2
    objective_update(
        objective_id=objective.pk,
        by=people["dirigente_satta"],
        lock_version=objective.lock_version,
        fields={},
        phases=[{"id": None, "description": "Fase aggiunta con la revisione"}],
    )
    walk(objective, State.PUBLISHED, people)
    added = objective.phases.get(description="Fase aggiunta con la revisione")
    assert PhaseProgress.objects.filter(phase=added, report=report).exists()


def test_a_period_with_declared_values_keeps_its_date_and_cannot_be_deleted(report, people):
    monitoring.report_save(
        report_id=report.pk, by=people["dirigente_satta"], lock_version=lock(report), explanation="Bozza"
    )
    period, plan = report.period, report.objective.plan
    with pytest.raises(errors.InvalidInput) as refused:
        monitoring.period_delete(plan=plan, period_id=period.pk, by=people["segreteria"])
    assert refused.value.message == errors.PERIOD_HAS_REPORTS
    with pytest.raises(errors.InvalidInput) as frozen:
        monitoring.period_save(
            plan=plan,
            by=people["segreteria"],
            period_id=period.pk,
            name=period.name,
            reference_date=dt.date(plan.year + 1, 6, 30),
            due_date=dt.date(plan.year + 1, 7, 31),
        )
    assert frozen.value.message == errors.PERIOD_FROZEN
    renamed = monitoring.period_save(
        plan=plan,
        by=people["segreteria"],
        period_id=period.pk,
        name="Semestrale",
        reference_date=period.reference_date,
        due_date=period.due_date,
    )
    assert renamed.name == "Semestrale"


def test_an_adjustment_beyond_the_body_s_ceiling_is_refused(report, people):
    satta = people["dirigente_satta"]
    report.objective.indicators.update(target_1=D(100))
    values = {m.indicator_id: {"value": D(70)} for m in report.measures.all()}
    monitoring.report_save(report_id=report.pk, by=satta, lock_version=lock(report), measures=values)
    monitoring.report_transition(report_id=report.pk, name="submit", by=satta)
    monitoring.report_transition(report_id=report.pk, name="check", by=people["segreteria"])
    with pytest.raises(errors.ConditionsUnmet, match="non può superare 100 %"):
        monitoring.report_transition(
            report_id=report.pk,
            name="validate",
            by=people["revisore"],
            data={"adjusted_score": "150", "adjustment_reason": "Oltre"},
        )
    assert ProgressReport.objects.get(pk=report.pk).state == "checked"


def test_an_ods_with_a_huge_mimetype_member_is_refused_without_inflating_it(report, people):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"\0" * 5_000_000)
    with pytest.raises(errors.InvalidInput):
        monitoring.evidence_add(
            report_id=report.pk,
            by=people["dirigente_satta"],
            lock_version=lock(report),
            name="dati.ods",
            content=buffer.getvalue(),
        )
