import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from guardian.shortcuts import get_users_with_perms

from approvals.models import PublishedRevision, ReportEvidence, ReportStepRecord, Signature, StepRecord
from audit.models import AuditEntry
from audit.services import verify
from notifications.models import Notification
from workflow.management import demo_data
from workflow.management.commands.seed_demo import REFUSED
from workflow.models import (
    Body,
    Indicator,
    IndicatorMeasure,
    Membership,
    MonitoringPeriod,
    Objective,
    Phase,
    PhaseProgress,
    Plan,
    ProgressReport,
    Relazione,
    RelazioneState,
    ReportState,
    State,
)
from workflow.relazione import relazione_data

User = get_user_model()


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts():
    models = [
        User,
        Body,
        Plan,
        Membership,
        Objective,
        Phase,
        StepRecord,
        Signature,
        PublishedRevision,
        AuditEntry,
        MonitoringPeriod,
        ProgressReport,
        PhaseProgress,
        IndicatorMeasure,
        ReportStepRecord,
        ReportEvidence,
    ]
    return {m.__name__: m.objects.count() for m in models}


CHOSEN_PASSWORD = "una-password-scelta"  # noqa: S105 - a test user's


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo seeded once for the tests of this module (it takes seconds), under DEBUG and without the
    flag, over an existing "segreteria" with a password of its own; rolled back when the module ends.
    Gives what the command printed and how many e-mails it sent."""
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(DEBUG=True):
        User.objects.create_user(username="segreteria", password=CHOSEN_PASSWORD)
        sent = len(mail.outbox)
        out = seed()
        yield {"out": out, "mails": len(mail.outbox) - sent}
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_refuses_demo_passwords_without_debug_or_flag(settings):
    settings.DEBUG = False
    before = counts()
    with pytest.raises(CommandError) as exc:
        seed()
    assert str(exc.value) == REFUSED
    assert counts() == before


@pytest.mark.django_db
def test_imports_the_real_report_with_its_measures(seeded):
    assert Objective.objects.filter(plan__body__ipa_code="p_cr").count() == 51  # the real report
    # its indicators got the first year's target their expected values give (workflow.measures)
    indicators = Indicator.objects.filter(objective__plan__body__ipa_code="p_cr")
    assert indicators.filter(target_1__isnull=False).count() == 200
    assert indicators.filter(to_complete=True).count() == 35


@pytest.mark.django_db
def test_creates_people_and_an_objective_in_every_state(seeded):
    out = seeded["out"]
    plan = Plan.objects.get(body__ipa_code="p_cr", year=2023)
    assert plan.triennium == "2023-2025" and plan.body.name == "Provincia di Cremona"
    assert plan.strategic_objectives.count() == 8 and plan.objectives.count() == 51
    assert set(plan.objectives.values_list("state", flat=True)) == set(State.values)
    # the report's responsible dirigenti got demo accounts, and the import linked them all
    assert not plan.objectives.filter(responsible__isnull=True).exists()
    assert plan.objectives.get(code="2023_5701").responsible.username == "dirigente_biroli"

    for person in demo_data.PEOPLE:
        user = User.objects.get(username=person["username"])
        if person["username"] != "segreteria":  # existed before: see the next test
            assert user.check_password(demo_data.DEMO_PASSWORD)
        assert Membership.objects.filter(user=user, body=plan.body, role=person["role"]).exists()
        assert person["username"] in out
    assert User.objects.get(username="amministratore").is_staff
    assert User.objects.get(username="admin").is_superuser
    satta = Membership.objects.get(user__username="dirigente_satta")
    assert satta.responsibility_center == "SETTORE RISORSE ECONOMICHE E FINANZIARIE"

    in_signature = plan.objectives.get(state=State.SIGNATURE)
    signers = [s.signer.username for s in Signature.objects.filter(objective=in_signature)]
    assert (in_signature.code, signers) == ("2023_3102T", ["dirigente_satta"])
    delegated = plan.objectives.get(code="2023_3103")
    assert delegated.state == State.DRAFTING
    assert "funzionario_bianchi" in {u.username for u in get_users_with_perms(delegated)}
    revised = plan.objectives.get(code="2023_6003")
    assert (revised.state, revised.revision) == (State.DRAFTING, 2)
    assert PublishedRevision.objects.filter(objective=revised, revision=1).exists()
    assert verify()[0]


@pytest.mark.django_db
def test_keeps_the_password_of_an_existing_user(seeded):
    assert User.objects.get(username="segreteria").check_password(CHOSEN_PASSWORD)


@pytest.mark.django_db
def test_notifies_in_the_application_and_mails_nobody(seeded):
    assert Notification.objects.exists()
    assert seeded["mails"] == 0


@pytest.mark.django_db
def test_second_run_changes_nothing(seeded):
    before = counts()
    out = seed(allow_demo_passwords=True)
    assert counts() == before
    assert "già degli obiettivi" in out and "già i periodi di monitoraggio" in out


@pytest.mark.django_db
def test_monitors_the_published_objectives_through_the_intermediate_period(seeded):
    out = seeded["out"]
    plan = Plan.objects.get(body__ipa_code="p_cr", year=2023)
    intermediate, final = plan.monitoring_periods.order_by("reference_date")
    assert intermediate.name == "Monitoraggio intermedio"
    assert intermediate.reference_date == dt.date(2023, 6, 30)
    assert (final.name, final.is_final) == ("Consuntivo", True)
    published = set(plan.objectives.filter(state=State.PUBLISHED).values_list("code", flat=True))
    assert published == set(demo_data.MONITORING) and len(published) == 15

    reports = ProgressReport.objects.filter(period=intermediate).select_related("objective__responsible")
    by_state = {state: reports.filter(state=state).count() for state in ReportState.values}
    # open: the two overdue, and the objective whose revision is in progress (its published revision is
    # still in force, so it is reported on too)
    assert by_state == {"validated": 8, "checked": 2, "submitted": 2, "returned": 1, "open": 3}
    revising = plan.objectives.exclude(state=State.PUBLISHED).filter(published_revisions__isnull=False)
    assert reports.filter(objective__in=revising, state=ReportState.OPEN).count() == 1
    assert "rendicontazioni validate 8, verificate 2" in out

    returned = reports.get(state=ReportState.RETURNED)
    send_back = ReportStepRecord.objects.get(report=returned, transition="send_back")
    assert send_back.by.username == "segreteria" and send_back.comment == demo_data.REPORT_RETURN_REASON
    overdue = reports.filter(state=ReportState.OPEN)
    assert overdue.exists() and intermediate.due_date < timezone.localdate()
    assert not overdue.filter(steps__isnull=False).exists()  # never submitted, nothing filled in
    assert not IndicatorMeasure.objects.filter(report__in=overdue, value__isnull=False).exists()

    # every step by the person who takes it
    for report in reports.exclude(state=ReportState.OPEN):
        submit = ReportStepRecord.objects.filter(report=report, transition="submit").get()
        assert submit.by == report.objective.responsible
        evidence = ReportEvidence.objects.get(report=report)
        assert evidence.uploaded_by == report.objective.responsible
        assert bytes(evidence.file.content).startswith(b"%PDF") and len(evidence.file.sha256) == 64
    checks = ReportStepRecord.objects.filter(report__period=intermediate, transition="check")
    assert {r.by.username for r in checks} == {"segreteria"} and checks.count() == 10
    validations = ReportStepRecord.objects.filter(report__period=intermediate, transition="validate")
    assert {r.by.username for r in validations} == {"revisore"} and validations.count() == 8

    adjusted = reports.filter(adjusted_score__isnull=False)
    assert set(adjusted.values_list("objective__code", flat=True)) == set(demo_data.ADJUSTMENTS)
    assert all(r.adjustment_reason and r.state == ReportState.VALIDATED for r in adjusted)
    assert all(r.highlighted for r in validations.filter(report__in=adjusted))

    # the values follow the targets and the planned dates at 30 June
    filled = reports.exclude(state=ReportState.OPEN)
    rows = PhaseProgress.objects.filter(report__in=filled).select_related("phase")
    for row in rows.filter(phase__start__gt=intermediate.reference_date):
        assert (row.status, row.percent) == ("not_started", 0)
    for row in rows.filter(phase__end__lte=intermediate.reference_date):
        assert row.status in ("done", "late") and (row.percent == 100) == (row.status == "done")
    measures = IndicatorMeasure.objects.filter(report__in=filled).select_related("indicator")
    for measure in measures:
        indicator = measure.indicator
        if indicator.polarity == "binary":
            assert measure.value in (0, 1)
        elif indicator.target_1 is None:
            assert measure.value is None and measure.text_value  # a text indicator gets a text
        elif indicator.polarity == "higher" and indicator.target_1 > 0:
            assert 0 < measure.value <= indicator.target_1

    # the final period, for every published objective (and the one under revision): validated but for three
    finals = ProgressReport.objects.filter(period=final)
    by_state = {state: finals.filter(state=state).count() for state in ReportState.values}
    assert by_state == {"validated": 13, "checked": 1, "submitted": 1, "returned": 0, "open": 1}
    left = {code: state for code, state in demo_data.FINAL_MONITORING.items()}
    assert {r.objective.code: r.state for r in finals.exclude(state=ReportState.VALIDATED)} == left
    adjusted = finals.filter(adjusted_score__isnull=False)
    assert set(adjusted.values_list("objective__code", flat=True)) == set(demo_data.FINAL_ADJUSTMENTS)
    assert "consuntivo (16): validate 13, verificate 1, inviate 1" in out

    # the Relazione sulla performance, started by the Segreteria with its texts, its figures from the final
    # period (the same every run: the values are derived, not random)
    relazione = Relazione.objects.get(plan=plan)
    assert (relazione.state, relazione.version) == (RelazioneState.DRAFTING, 1)
    assert relazione.presentation == demo_data.RELAZIONE_PRESENTATION
    data = relazione_data(plan, generated_at=timezone.now())
    assert {k: v for k, v in data["totals"].items() if k != "overall_score"} == {
        "objectives": 16,
        "validated": 13,
        "not_validated": 2,
        "not_reported": 1,
    }
    assert data["totals"]["overall_score"]["value"] == 80.93
    assert verify()[0]
