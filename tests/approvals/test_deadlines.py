"""Deadlines: the pure date rules with fixed dates, what each person's dashboard marks, and moving the
plan's adoption deadline."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import consultation_dates as dates
from approvals.models import ConfrontoRequest, UnionInformation
from approvals.selectors import deadlines as d
from audit.models import AuditEntry
from flows import errors
from flows.services.plans import DEADLINE_FORBIDDEN, plan_deadline_set
from tests.factories import ObjectiveFactory, PlanFactory
from tests.support import walk_to
from workflow.models import Objective, State


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


JAN_31 = dt.date(2023, 1, 31)


# -- pure rules ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2023, 1, 15), None),  # 16 days before
        (dt.date(2023, 1, 16), d.DUE),  # 15 days before
        (dt.date(2023, 1, 31), d.DUE),  # the day itself
        (dt.date(2023, 2, 1), d.OVERDUE),
    ],
)
def test_deadline_level(today, expected):
    assert d.deadline_level(JAN_31, today) == expected


def test_information_end_counts_calendar_days_and_waits_for_the_request_window():
    sent = at(dt.date(2023, 4, 3), 10)  # Monday
    body = SimpleNamespace(union_information_days=5)
    assert dates.information_period_end(sent, body, None) == timezone.make_aware(
        dt.datetime.combine(dt.date(2023, 4, 8), dt.time.max)
    )
    later = at(dt.date(2023, 4, 12), 12)
    assert dates.information_period_end(sent, body, later) == later


@pytest.mark.django_db
def test_consultation_without_information_ends_at_the_end_of_the_day_as_in_the_flow():
    """A consultation with no information recorded counts from entering the state, to the end of the
    day, the same date the flow asks a reason until (they used to differ: the dashboard added 24-hour
    days to the time of day)."""
    objective = ObjectiveFactory(state=State.UNION_CONSULTATION)
    objective.state_entered_at = at(dt.date(2023, 4, 3), 10)
    objective.plan.body.union_information_days = 5
    level, end, confronto = d.consultation_level(objective, at(dt.date(2023, 4, 8), 18))
    assert end == timezone.make_aware(dt.datetime.combine(dt.date(2023, 4, 8), dt.time.max))
    assert (level, confronto) == (None, False)


def test_period_level():
    end = at(dt.date(2023, 5, 10), 18)
    assert d.period_level(end, at(dt.date(2023, 5, 10), 17)) is None  # still running: nothing to close
    assert d.period_level(end, at(dt.date(2023, 5, 10), 18)) == d.DUE
    assert d.period_level(end, at(dt.date(2023, 5, 1)), window_days=5) is None
    assert d.period_level(end, at(dt.date(2023, 5, 6)), window_days=5) == d.DUE
    assert d.period_level(end, at(dt.date(2023, 5, 11)), window_days=5) == d.OVERDUE


# -- what each person has due -------------------------------------------------------------------------
def kinds(user, plan, now, *, adoption=True):
    return [(x.kind, x.level) for x in d.deadlines_for(user, plan, now) if adoption or x.kind != d.ADOPTION]


@pytest.mark.django_db
def test_the_adoption_deadline_counts_one_day_and_one_objective(draft, plan, people):
    (item,) = d.deadlines_for(people["segreteria"], plan, at(dt.date(2023, 1, 30)))
    assert item.text.endswith("entro il 31/01/2023 (tra 1 giorno): 1 obiettivo non ancora adottato.")


@pytest.mark.django_db
def test_adoption_and_drafts_as_the_deadline_nears_and_passes(draft, plan, people):
    segreteria, satta, rossi = people["segreteria"], people["dirigente_satta"], people["dirigente_rossi"]
    assert plan.adoption_deadline == JAN_31
    early = at(dt.date(2022, 12, 1))
    assert kinds(segreteria, plan, early) == [] and kinds(satta, plan, early) == []

    near = at(dt.date(2023, 1, 20))
    assert kinds(segreteria, plan, near) == [(d.ADOPTION, d.DUE)]
    (item,) = d.deadlines_for(segreteria, plan, near)
    assert item.objectives == [draft]
    assert "entro il 31/01/2023 (tra 11 giorni)" in item.text
    assert kinds(satta, plan, near) == [(d.DRAFTS, d.DUE)]
    assert kinds(rossi, plan, near) == []  # not his draft

    late = at(dt.date(2023, 2, 2))
    assert kinds(segreteria, plan, late) == [(d.ADOPTION, d.OVERDUE)]
    assert kinds(satta, plan, late) == [(d.DRAFTS, d.OVERDUE)]

    # a plan whose deadline moved with the budget
    plan_deadline_set(by=segreteria, plan_id=plan.pk, deadline=dt.date(2023, 3, 31))
    plan.refresh_from_db()
    assert kinds(segreteria, plan, late) == []


@pytest.mark.django_db
def test_adopted_and_published_objectives_are_not_due(draft, plan, people):
    walk_to(draft, State.TRANSMISSION, people)
    assert kinds(people["segreteria"], plan, at(dt.date(2023, 2, 2))) == []


@pytest.mark.django_db
def test_consultation_to_close_once_the_information_period_ended(draft, plan, people):
    objective = walk_to(draft, State.UNION_CONSULTATION, people)
    started = objective.state_entered_at
    segreteria = people["segreteria"]
    assert (d.CONSULTATION, d.DUE) not in kinds(segreteria, plan, started + dt.timedelta(hours=1))
    assert (d.CONSULTATION, d.DUE) in kinds(segreteria, plan, started + dt.timedelta(days=12))
    # the unions and the dirigente have nothing to close
    assert d.CONSULTATION not in [
        k for k, _ in kinds(people["dirigente_satta"], plan, started + dt.timedelta(days=12))
    ]


@pytest.mark.django_db
def test_confronto_requested_is_due_near_its_maximum_length(draft, plan, people):
    objective = walk_to(draft, State.UNION_CONSULTATION, people)
    sent = objective.state_entered_at
    # the information the approval sent, or one recorded here when the approval records none
    information = UnionInformation.objects.filter(objectives=objective).order_by("-sent_at").first()
    if information is None:
        information = UnionInformation.objects.create(
            body=plan.body,
            sent_at=sent,
            sent_by=people["segreteria"],
            request_until=sent + dt.timedelta(days=5),
        )
        information.objectives.add(objective)
    sent = information.sent_at
    ConfrontoRequest.objects.create(
        information=information, by=people["sindacato"], at=sent, text="Chiediamo il confronto"
    )
    segreteria = people["segreteria"]
    # (the test runs years after the plan's deadline: the adoption is overdue meanwhile)
    assert kinds(segreteria, plan, sent + dt.timedelta(days=10), adoption=False) == []
    assert kinds(segreteria, plan, sent + dt.timedelta(days=27), adoption=False) == [(d.CONFRONTO_END, d.DUE)]
    assert kinds(segreteria, plan, sent + dt.timedelta(days=32), adoption=False) == [
        (d.CONFRONTO_END, d.OVERDUE)
    ]


@pytest.mark.django_db
def test_signatures_awaited_from_each_signer(draft, plan, people):
    walk_to(draft, State.SIGNATURE, people)
    now = at(dt.date(2022, 12, 1))
    assert kinds(people["dirigente_satta"], plan, now) == [(d.SIGNATURE, d.DUE)]
    assert kinds(people["segretario"], plan, now) == [(d.SIGNATURE, d.DUE)]
    assert kinds(people["segreteria"], plan, now) == []  # not a signer
    assert (d.SIGNATURE, d.OVERDUE) in kinds(people["segretario"], plan, at(dt.date(2023, 2, 2)))


@pytest.mark.django_db
def test_union_rep_sees_the_window_to_request_a_confronto(draft, plan, people):
    now = at(dt.date(2023, 4, 4))
    information = UnionInformation.objects.create(
        body=plan.body,
        sent_at=at(dt.date(2023, 4, 3)),
        sent_by=people["segreteria"],
        request_until=at(dt.date(2023, 4, 8), 23),
    )
    information.objectives.add(draft)
    sindacato = people["sindacato"]
    assert kinds(sindacato, plan, now) == []  # nothing of it is in consultation: nothing to ask about
    Objective.objects.filter(pk=draft.pk).update(state=State.UNION_CONSULTATION)
    assert kinds(sindacato, plan, now) == [(d.CONFRONTO_REQUEST, d.DUE)]
    assert "fino al 08/04/2023 alle 23:00" in d.deadlines_for(sindacato, plan, now)[0].text
    assert kinds(sindacato, plan, at(dt.date(2023, 4, 9))) == []  # closed
    ConfrontoRequest.objects.create(
        information=information, by=sindacato, at=now, text="Chiediamo il confronto"
    )
    assert kinds(sindacato, plan, now) == []  # already asked


# -- the dashboard --------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_dashboard_marks_due_and_overdue(client, draft, plan, people, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(dt.date(2023, 1, 25)))
    client.force_login(people["segreteria"])
    text = client.get(reverse("workflow:dashboard")).content.decode()
    assert 'data-livello="due"' in text and "In scadenza" in text
    assert "va adottato entro il 31/01/2023 (tra 6 giorni)" in text
    assert reverse("workflow:objective_detail", args=[draft.pk]) in text

    monkeypatch.setattr(timezone, "now", lambda: at(dt.date(2023, 2, 3)))
    client.force_login(people["dirigente_satta"])
    text = client.get(reverse("workflow:dashboard")).content.decode()
    assert 'data-scadenza="drafts" data-livello="overdue"' in text and "Scaduto" in text

    client.force_login(people["revisore"])
    assert 'data-testid="scadenze"' not in client.get(reverse("workflow:dashboard")).content.decode()


# -- moving the deadline ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_segreteria_moves_the_deadline_with_an_audit_entry(client, plan, people):
    client.force_login(people["segreteria"])
    url = reverse("workflow:plan_deadline", args=[plan.year])
    response = client.post(url, {"deadline": "2023-04-30"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.deadline == dt.date(2023, 4, 30)
    entry = AuditEntry.objects.filter(action="plan.deadline").get()
    assert entry.payload["data"]["from"] == "2023-01-31" and entry.payload["data"]["to"] == "2023-04-30"
    page = client.get(reverse("workflow:plan_detail", args=[plan.year])).content.decode()
    assert "30/04/2023" in page
    log = client.get(reverse("audit:change_log")).content.decode()
    assert "Scadenza di adozione del piano" in log and "da 2023-01-31 a 2023-04-30" in log

    response = client.post(url, {"deadline": "non una data"})
    assert response.status_code == 400
    assert "Inserisci una data valida" in response.content.decode()

    client.post(url, {"deadline": ""})
    plan.refresh_from_db()
    assert plan.deadline is None and plan.adoption_deadline == JAN_31


@pytest.mark.django_db
def test_only_the_segreteria_moves_the_deadline(client, plan, people, other_body):
    client.force_login(people["dirigente_satta"])
    response = client.post(reverse("workflow:plan_deadline", args=[plan.year]), {"deadline": "2023-04-30"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.deadline == JAN_31
    with pytest.raises(errors.Forbidden, match=DEADLINE_FORBIDDEN):
        plan_deadline_set(by=people["revisore"], plan_id=plan.pk, deadline=None)
    assert not AuditEntry.objects.filter(action="plan.deadline").exists()
    client.force_login(people["segreteria"])
    PlanFactory(body=other_body, year=2024, triennium="2024-2026")
    assert client.post(reverse("workflow:plan_deadline", args=[2024]), {"deadline": ""}).status_code == 404
    assert client.get(reverse("workflow:plan_deadline", args=[plan.year])).status_code == 405


@pytest.mark.django_db
def test_revision_of_a_published_objective_is_not_due_for_adoption(draft, plan, people):
    from tests.support import act

    walk_to(draft, State.PUBLISHED, people)
    act(draft, "revise", people["segreteria"])
    other = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    (item,) = d.deadlines_for(people["segreteria"], plan, at(dt.date(2023, 1, 20)))
    assert item.objectives == [other]


@pytest.mark.django_db
def test_consultations_are_read_in_a_fixed_number_of_queries(plan, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            d.consultation_deadlines(plan, timezone.now() + dt.timedelta(days=40))
        return len(captured)

    for _ in range(2):
        walk_to(
            ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]),
            State.UNION_CONSULTATION,
            people,
        )
    two = queries()
    for _ in range(3):
        walk_to(
            ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]),
            State.UNION_CONSULTATION,
            people,
        )
    assert queries() == two


# -- the monitoring's progress reports ------------------------------------------------------------------
def published_reports(plan, people, responsibles):
    """A published objective of each of ``responsibles`` and its open report of the intermediate period
    (due 31/07 of the plan's year)."""
    from flows.services import monitoring

    for username in responsibles:
        walk_to(ObjectiveFactory(plan=plan, responsible=people[username]), State.PUBLISHED, people)
    (intermediate, _final) = monitoring.periods_create_default(plan=plan, by=people["segreteria"])
    return monitoring.reports_open(period=intermediate, by=people["segreteria"])


def report_step(report, name, by, **data):
    from flows.services import monitoring
    from workflow.models import ProgressReport

    report = ProgressReport.objects.get(pk=report.pk)
    if name == "submit":
        monitoring.report_save(
            report_id=report.pk,
            by=by,
            lock_version=report.lock_version,
            phases={p.phase_id: {"percent": 50, "status": "on_track"} for p in report.phase_progress.all()},
            measures={m.indicator_id: {"value": 40} for m in report.measures.all()},
        )
        report = ProgressReport.objects.get(pk=report.pk)
    monitoring.report_transition(
        report_id=report.pk, name=name, by=by, lock_version=report.lock_version, data=data
    )


@pytest.mark.django_db
def test_a_dirigente_sees_each_report_to_send_as_its_due_date_nears_and_passes(plan, people):
    (report,) = published_reports(plan, people, ["dirigente_satta"])
    satta, code = people["dirigente_satta"], report.objective.code
    assert kinds(satta, plan, at(dt.date(2023, 7, 1))) == []  # 30 days before: not yet
    (item,) = d.deadlines_for(satta, plan, at(dt.date(2023, 7, 20)))
    assert (item.kind, item.level, item.reports) == (d.REPORT, d.DUE, [report])
    expected = f"Rendicontazione «Monitoraggio intermedio» di {code} entro il 31/07/2023 (tra 11 giorni)."
    assert item.text == expected
    (item,) = d.deadlines_for(satta, plan, at(dt.date(2023, 8, 2)))
    assert item.level == d.OVERDUE and item.text.endswith("entro il 31/07/2023: la scadenza è passata.")
    assert kinds(people["dirigente_rossi"], plan, at(dt.date(2023, 8, 2))) == []  # not theirs

    report_step(report, "submit", satta)
    assert kinds(satta, plan, at(dt.date(2023, 8, 2))) == []  # sent: nothing left to do
    report_step(report, "send_back", people["segreteria"], comment="Manca la fonte")
    (item,) = d.deadlines_for(satta, plan, at(dt.date(2023, 8, 2)))
    assert (item.kind, item.level) == (d.REPORT, d.OVERDUE) and "ti è stata restituita" in item.text


@pytest.mark.django_db
def test_the_segreteria_counts_the_reports_to_check_and_the_niv_those_to_validate(plan, people):
    first, second = published_reports(plan, people, ["dirigente_satta", "dirigente_rossi"])
    segreteria, revisore = people["segreteria"], people["revisore"]
    now = at(dt.date(2023, 8, 2))
    assert kinds(segreteria, plan, now, adoption=False) == [] and kinds(revisore, plan, now) == []
    report_step(first, "submit", people["dirigente_satta"])
    report_step(second, "submit", people["dirigente_rossi"])
    (item,) = [x for x in d.deadlines_for(segreteria, plan, now) if x.kind != d.ADOPTION]
    assert (item.kind, item.level, item.period_id) == (d.REPORTS_TO_CHECK, d.DUE, first.period_id)
    assert item.text == "«Monitoraggio intermedio» del PIAO 2023: 2 rendicontazioni da verificare."
    assert kinds(revisore, plan, now) == []
    report_step(first, "check", segreteria)
    (item,) = [x for x in d.deadlines_for(segreteria, plan, now) if x.kind != d.ADOPTION]
    assert item.text.endswith("1 rendicontazione da verificare.")
    (item,) = d.deadlines_for(revisore, plan, now)
    assert (item.kind, item.text) == (
        d.REPORTS_TO_VALIDATE,
        "«Monitoraggio intermedio» del PIAO 2023: 1 rendicontazione da validare.",
    )
    assert kinds(people["dirigente_satta"], plan, now) == []  # the dirigenti check nothing


@pytest.mark.django_db
def test_the_dashboard_links_the_report_the_board_and_the_validation_queue(client, plan, people):
    first, second = published_reports(plan, people, ["dirigente_satta", "dirigente_rossi"])
    report_step(second, "submit", people["dirigente_rossi"])
    client.force_login(people["dirigente_satta"])  # today is years after 31/07/2023: overdue
    text = client.get(reverse("workflow:dashboard")).content.decode()
    assert 'data-scadenza="report" data-livello="overdue"' in text
    assert f"Rendicontazione «Monitoraggio intermedio» di {first.objective.code} entro il 31/07/2023" in text
    assert reverse("workflow:report_detail", args=[first.pk]) in text
    client.force_login(people["segreteria"])
    text = client.get(reverse("workflow:dashboard")).content.decode()
    assert 'data-scadenza="reports_check"' in text and "1 rendicontazione da verificare" in text
    assert reverse("workflow:monitoring_board", args=[plan.year, second.period_id]) in text
    report_step(second, "check", people["segreteria"])
    client.force_login(people["revisore"])
    text = client.get(reverse("workflow:dashboard")).content.decode()
    assert 'data-scadenza="reports_validate"' in text and "1 rendicontazione da validare" in text
    assert reverse("workflow:validation_queue") in text
