"""``send_reminders``: who is reminded of what, once a day per subject, e-mail as each person chose."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.models import EmailMode, EmailPreference, Notification
from tests.factories import ObjectiveFactory
from tests.support import walk_to
from workflow.models import State

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def reminders():
    return {
        (n.recipient.username, n.transition.split(".")[1])
        for n in Notification.objects.filter(transition__startswith="reminder.").select_related("recipient")
    }


@pytest.fixture
def scene(draft, plan, people, outsiders):
    """A draft of Satta's and another of his objectives awaiting the signatures, in January 2023."""
    signing = walk_to(
        ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]), State.SIGNATURE, people
    )
    Notification.objects.all().delete()  # what the steps above told is not under test
    return {"draft": draft, "signing": signing}


def test_who_is_reminded_of_what(scene, people, django_capture_on_commit_callbacks, mailoutbox):
    EmailPreference.objects.create(user=people["segretario"], mode=EmailMode.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        out = run("--data", "2023-01-25")
    assert reminders() == {
        ("segreteria", "adoption"),
        ("segretario", "adoption"),
        ("segretario", "signature"),
        ("dirigente_satta", "signature"),
        ("dirigente_satta", "drafts"),
    }
    assert "Promemoria inviati: 5 (già inviati oggi: 0)." in out
    satta = Notification.objects.get(recipient=people["dirigente_satta"], transition__contains="drafts")
    assert satta.objective == scene["draft"]
    assert "entro il 31/01/2023" in satta.message and scene["draft"].code in satta.message
    adoption = Notification.objects.get(recipient=people["segreteria"], transition__contains="adoption")
    assert "(tra 6 giorni)" in adoption.message and "2 obiettivi non ancora adottati" in adoption.message
    assert adoption.objective is None
    # e-mail as each person chose: immediately for Satta and the Segreteria, the Segretario in the digest
    mailed = sorted(m.to[0] for m in mailoutbox)
    assert mailed == ["dirigente_satta@example.org", "segreteria@example.org"]
    assert Notification.objects.filter(recipient=people["segretario"], emailed_at__isnull=True).count() == 2


def test_nobody_is_reminded_long_before_the_deadline(scene):
    out = run("--data", "2022-11-01")
    assert reminders() == set()
    assert "Promemoria inviati: 0" in out


def test_signers_reminded_after_some_days_in_signature_even_far_from_the_deadline(scene, people):
    scene["signing"].__class__.objects.filter(pk=scene["signing"].pk).update(
        state_entered_at=timezone.make_aware(dt.datetime.combine(dt.date(2022, 10, 20), dt.time(9)))
    )
    run("--data", "2022-11-01")
    assert reminders() == {("segretario", "signature"), ("dirigente_satta", "signature")}


def test_once_a_day_per_person_and_subject(scene):
    run("--data", "2023-01-25")
    count = Notification.objects.count()
    out = run("--data", "2023-01-25")
    assert Notification.objects.count() == count
    assert "Promemoria inviati: 0 (già inviati oggi: 5)." in out
    run("--data", "2023-01-26")  # the next day: again
    assert Notification.objects.count() == 2 * count


def test_dry_run_writes_nothing(scene, mailoutbox):
    out = run("--dry-run", "--data", "2023-02-10")
    assert Notification.objects.count() == 0 and mailoutbox == []
    assert "Promemoria da inviare: 5" in out and "Prova: nessuna notifica scritta." in out
    assert "- Sabrina Satta:" in out and "è passata" in out
    assert "bozze da inviare (dirigenti responsabili): 1" in out


def test_segreteria_reminded_of_consultations_to_close(draft, people):
    walk_to(draft, State.UNION_CONSULTATION, people)
    day = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    run("--data", day)
    texts = Notification.objects.filter(
        recipient=people["segreteria"], transition__startswith="reminder.consultation"
    ).values_list("message", flat=True)
    assert [t.startswith("Periodo di informazione sindacale concluso") for t in texts] == [True]


def test_bad_date_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Data non valida"):
        run("--data", "31/01/2023")


# -- the monitoring's progress reports ------------------------------------------------------------------
@pytest.fixture
def reports(plan, people):
    """Two published objectives of Satta's and one of Rossi's, each with an open report of the
    intermediate period (due 31/07/2023); the final period's reports (due 31/01/2024) opened too."""
    from flows.services import monitoring

    for username in ("dirigente_satta", "dirigente_satta", "dirigente_rossi"):
        walk_to(ObjectiveFactory(plan=plan, responsible=people[username]), State.PUBLISHED, people)
    intermediate, final = monitoring.periods_create_default(plan=plan, by=people["segreteria"])
    opened = monitoring.reports_open(period=intermediate, by=people["segreteria"])
    monitoring.reports_open(period=final, by=people["segreteria"])
    Notification.objects.all().delete()
    return opened


def report_reminders():
    return Notification.objects.filter(transition__startswith="reminder.report.").select_related("recipient")


def test_dirigenti_are_reminded_of_the_reports_to_send_once_a_day_per_period(reports, people):
    satta_first, satta_second, rossi = reports
    run("--data", "2023-07-01")  # 30 days before the due date: not yet
    assert not report_reminders().exists()

    out = run("--data", "2023-07-20")
    assert reminders() == {("dirigente_satta", "report"), ("dirigente_rossi", "report")}
    assert "rendicontazioni da inviare (dirigenti responsabili): 2" in out
    satta = report_reminders().get(recipient=people["dirigente_satta"])
    assert satta.message == (
        "2 rendicontazioni «Monitoraggio intermedio» del PIAO 2023 da inviare entro il 31/07/2023. "
        f"Obiettivi: {satta_first.objective.code}, {satta_second.objective.code}."
    )
    single = report_reminders().get(recipient=people["dirigente_rossi"])
    assert single.objective == rossi.objective
    assert single.message == (
        f"Rendicontazione «Monitoraggio intermedio» di {rossi.objective.code} entro il 31/07/2023 "
        "(tra 11 giorni)."
    )

    out = run("--data", "2023-07-20")  # the same day again: nothing new
    assert report_reminders().count() == 2 and "già inviati oggi: 2" in out

    from flows.services import monitoring
    from workflow.models import ProgressReport

    report = ProgressReport.objects.get(pk=rossi.pk)
    monitoring.report_save(
        report_id=report.pk,
        by=people["dirigente_rossi"],
        lock_version=report.lock_version,
        phases={p.phase_id: {"percent": 50} for p in report.phase_progress.all()},
        measures={m.indicator_id: {"value": 40} for m in report.measures.all()},
    )
    monitoring.report_transition(report_id=report.pk, name="submit", by=people["dirigente_rossi"])
    run("--data", "2023-08-02")  # overdue now; Rossi's was sent, the final period is not due yet
    late = report_reminders().filter(created__date=dt.date(2023, 8, 2))
    assert [n.recipient.username for n in late] == ["dirigente_satta"]
    assert "entro il 31/07/2023: la scadenza è passata." in late[0].message
