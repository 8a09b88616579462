"""The union consultation through the real services: the information sent by approve, the request window
on a frozen clock, meetings, the observation threads and the closing rules derived from the records."""

import datetime as dt
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals.models import ConfrontoRequest, Meeting, Observation, StepRecord, UnionInformation
from approvals.selectors.consultation import (
    confronto_countdown,
    current_information,
    information_period_end,
    request_deadline,
)
from audit.models import AuditEntry
from flows import errors
from flows.forms import PROTOCOL_DATE_FUTURE, PROTOCOL_DATE_REQUIRED, PROTOCOL_NUMBER_REQUIRED
from flows.services import consultation as svc
from flows.services.transitions import objectives_batch_transition
from notifications import rules
from notifications.models import Notification
from tests.factories import ObjectiveFactory, Role, member
from tests.support import act, fresh, last_step, snapshot, walk_to
from workflow.models import Objective, State

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")
# Monday 2 March 2026, 10:00 in Rome: day 5 is Saturday 7, day 6 is Sunday 8.
SENT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ROME)
UC, SIG = State.UNION_CONSULTATION, State.SIGNATURE


@contextmanager
def frozen(at: dt.datetime):
    with mock.patch("django.utils.timezone.now", return_value=at.astimezone(dt.UTC)):
        yield


def sent_on(objective, at=SENT) -> UnionInformation:
    """Test setup: the objective's information was sent at ``at`` (its deadlines follow)."""
    information = current_information(objective)
    UnionInformation.objects.filter(pk=information.pk).update(
        sent_at=at, request_until=request_deadline(at, information.body)
    )
    return UnionInformation.objects.get(pk=information.pk)


@pytest.fixture
def in_consultation(draft, people):
    return walk_to(draft, UC, people)


@pytest.fixture
def second_union(body):
    return member("sindacato_cisl", body, Role.SINDACATO, first_name="Rita", last_name="Conti")


@pytest.fixture
def other_union(other_body):
    return member("sindacato_crema", other_body, Role.SINDACATO, first_name="Ugo", last_name="Serra")


def request(information, by, text="Chiediamo il confronto sui carichi di lavoro."):
    return svc.confronto_request(information_id=information.pk, text=text, by=by)


# -- the information -------------------------------------------------------------------------------------
def test_approve_sends_one_information_to_the_bodys_union_reps(draft, people, second_union, other_union):
    inactive = member("sindacato_uscito", draft.plan.body, Role.SINDACATO)
    inactive.is_active = False
    inactive.save()
    o = walk_to(draft, UC, people)
    information = UnionInformation.objects.get()
    assert list(information.objectives.all()) == [o]
    assert set(information.recipients.all()) == {people["sindacato"], second_union}
    assert information.recipient_names == ["Rita Conti", "Carlo Galli"]  # by surname
    assert information.sent_by == people["segreteria"]
    local = timezone.localtime(information.request_until)
    assert local.date() == timezone.localtime(information.sent_at).date() + dt.timedelta(days=5)
    assert (local.hour, local.minute, local.second) == (23, 59, 59)
    entry = AuditEntry.objects.get(action="consultation.information")
    assert entry.payload["data"]["objectives"] == [o.code]
    assert entry.body_id == draft.plan.body_id


def test_a_batch_gets_one_information_for_all_its_objectives(plan, people):
    objectives = [ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]) for _ in range(3)]
    for o in objectives:
        walk_to(o, State.SUBMITTED, people)
    batch = objectives_batch_transition(
        objective_ids=[o.pk for o in objectives], name="approve", by=people["segreteria"]
    )
    information = UnionInformation.objects.get()
    assert set(information.objectives.all()) == set(objectives)
    assert information.batch is not None
    assert StepRecord.objects.filter(transition="approve", batch=information.batch).count() == len(batch)


def test_the_letter_is_signed_by_its_sender_and_numbered_per_body_and_year(plan, people, other_body):
    first, second = (ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]) for _ in range(2))
    for o in (first, second):
        walk_to(o, State.SUBMITTED, people)
    act(first, "approve", people["segreteria"])
    act(second, "approve", people["segretario"])
    segretaria_crema = member("segreteria_crema", other_body, Role.SEGRETERIA, first_name="Ada")
    dirigente_crema = member("dirigente_crema", other_body, Role.DIRIGENTE)
    crema = ObjectiveFactory(plan__body=other_body, responsible=dirigente_crema)
    walk_to(crema, State.SUBMITTED, {**people, "segreteria": segretaria_crema})
    act(crema, "approve", segretaria_crema)

    today = timezone.localdate()
    by_first, by_second, by_crema = (current_information(o) for o in (first, second, crema))
    assert (by_first.sender_name, by_first.sender_role) == ("Giulia Verdi", "Segreteria Generale")
    assert (by_second.sender_name, by_second.sender_role) == ("Massimo Placchi", "Segretario Generale")
    assert by_first.protocol_number == f"1/{today.year}" and by_first.protocol_date == today
    assert by_second.protocol_number == f"2/{today.year}"
    assert by_crema.protocol_number == f"1/{today.year}"  # another body, its own numbering
    entries = AuditEntry.objects.filter(action="consultation.information", body_id=plan.body_id)
    entry = entries.order_by("pk").last()
    assert entry.payload["data"]["protocol_number"] == f"2/{today.year}"
    assert entry.payload["data"]["sender"] == "Massimo Placchi"


def test_a_typed_protocol_is_kept_and_leaves_the_numbering_alone(plan, people):
    typed, numbered = (ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]) for _ in range(2))
    for o in (typed, numbered):
        walk_to(o, State.SUBMITTED, people)
    act(typed, "approve", people["segreteria"], protocol_number=" PG 2026/0001234 ",
        protocol_date=dt.date(2026, 3, 2))
    act(numbered, "approve", people["segreteria"])
    information = current_information(typed)
    assert information.protocol_number == "PG 2026/0001234"
    assert information.protocol_date == dt.date(2026, 3, 2)
    assert information.protocol_sequence is None
    assert current_information(numbered).protocol_number == f"1/{timezone.localdate().year}"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"protocol_number": "1234"}, PROTOCOL_DATE_REQUIRED),
        ({"protocol_date": dt.date(2026, 3, 2)}, PROTOCOL_NUMBER_REQUIRED),
        ({"protocol_number": "1234", "protocol_date": dt.date(2099, 1, 1)}, PROTOCOL_DATE_FUTURE),
    ],
)
def test_a_half_or_future_protocol_is_refused_and_nothing_changes(draft, people, extra, message):
    walk_to(draft, State.SUBMITTED, people)
    before = snapshot(draft)
    with pytest.raises(errors.InvalidInput) as exc:
        act(draft, "approve", people["segreteria"], **extra)
    assert message in exc.value.message
    assert snapshot(draft) == before and not UnionInformation.objects.exists()


def test_the_unions_notification_leads_to_the_information(in_consultation, people):
    union_note = Notification.objects.get(recipient=people["sindacato"], transition="approve")
    responsible_note = Notification.objects.get(recipient=people["dirigente_satta"], transition="approve")
    assert rules.leads_to_information(union_note) is True
    assert rules.leads_to_information(responsible_note) is False


# -- the request for confronto: the window on a frozen clock ----------------------------------------------
def test_request_accepted_on_day_5(in_consultation, people):
    information = sent_on(in_consultation)
    assert timezone.localtime(information.request_until) == dt.datetime(
        2026, 3, 7, 23, 59, 59, 999999, tzinfo=ROME
    )
    with frozen(dt.datetime(2026, 3, 7, 23, 59, tzinfo=ROME)):  # Saturday, day 5, a minute to midnight
        made = request(information, people["sindacato"])
    assert made.at == dt.datetime(2026, 3, 7, 23, 59, tzinfo=ROME)
    assert ConfrontoRequest.objects.get().by == people["sindacato"]


def test_request_refused_on_day_6(in_consultation, people):
    information = sent_on(in_consultation)
    with frozen(dt.datetime(2026, 3, 8, 0, 0, 1, tzinfo=ROME)), pytest.raises(errors.ConditionsUnmet) as exc:
        request(information, people["sindacato"])
    assert exc.value.message == svc.REQUEST_TOO_LATE.format(until="07/03/2026 alle 23:59")
    assert not ConfrontoRequest.objects.exists()


def test_the_window_follows_the_bodys_setting(in_consultation, people, body):
    body.union_request_days = 10
    body.save()
    information = sent_on(in_consultation)
    with frozen(dt.datetime(2026, 3, 12, 12, 0, tzinfo=ROME)):  # day 10
        request(information, people["sindacato"])
    assert ConfrontoRequest.objects.count() == 1


def test_one_request_per_person(in_consultation, people, second_union):
    information = current_information(in_consultation)
    first = request(information, people["sindacato"])
    with pytest.raises(errors.ConditionsUnmet) as exc:
        request(information, people["sindacato"], text="Di nuovo")
    assert exc.value.message == svc.REQUEST_ALREADY.format(
        when=f"{timezone.localtime(first.at):%d/%m/%Y alle %H:%M}"
    )
    request(information, second_union)  # another representative may ask too
    assert ConfrontoRequest.objects.count() == 2


@pytest.mark.parametrize("who", ["segreteria", "dirigente_satta", "revisore"])
def test_only_union_reps_request(in_consultation, people, who):
    information = current_information(in_consultation)
    before = snapshot(in_consultation)
    with pytest.raises(errors.Forbidden) as exc:
        request(information, people[who])
    assert exc.value.message == svc.REQUEST_UNION_ONLY
    assert snapshot(in_consultation) == before


def test_another_bodys_union_rep_does_not_find_the_information(in_consultation, other_union):
    with pytest.raises(UnionInformation.DoesNotExist):
        request(current_information(in_consultation), other_union)


def test_request_needs_a_text(in_consultation, people):
    with pytest.raises(errors.InvalidInput) as exc:
        request(current_information(in_consultation), people["sindacato"], text="   ")
    assert exc.value.message == svc.REQUEST_TEXT_REQUIRED


def test_request_is_logged_and_told_to_the_segreteria(in_consultation, people):
    made = request(current_information(in_consultation), people["sindacato"])
    entry = AuditEntry.objects.get(action="consultation.request")
    assert entry.payload["data"]["request"] == made.pk
    assert entry.actor == people["sindacato"]
    told = set(
        Notification.objects.filter(transition="confronto_request").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"segreteria", "segretario"}
    assert (
        "Chiediamo il confronto"
        in Notification.objects.filter(transition="confronto_request").first().message
    )


def test_no_request_once_the_consultation_is_closed(in_consultation, people):
    information = current_information(in_consultation)
    act(in_consultation, "close_consultation", people["segreteria"])  # early, with a reason
    with pytest.raises(errors.ConditionsUnmet) as exc:
        request(information, people["sindacato"])
    assert exc.value.message == svc.CONSULTATION_CLOSED


# -- meetings and the countdown -----------------------------------------------------------------------------
def meeting(information, by, **extra):
    data = {
        "held_on": timezone.now(),  # after the information and the request just made
        "participants": "Giulia Verdi; Carlo Galli (RSU)",
        "minutes": "Discussi gli indicatori.",
    }
    return svc.meeting_record(information_id=information.pk, by=by, **(data | extra))


def test_meeting_needs_a_request(in_consultation, people):
    with pytest.raises(errors.ConditionsUnmet) as exc:
        meeting(current_information(in_consultation), people["segreteria"])
    assert exc.value.message == svc.MEETING_WITHOUT_REQUEST
    assert not Meeting.objects.exists()


def test_meeting_recorded_by_the_segreteria_with_its_attachment(in_consultation, people):
    information = current_information(in_consultation)
    request(information, people["sindacato"])
    upload = SimpleUploadedFile("verbale.pdf", b"%PDF-1.4 verbale", content_type="application/pdf")
    m = meeting(information, people["segreteria"], attachment=upload)
    assert m.attachment.content_type == "application/pdf"
    assert bytes(m.attachment.content) == b"%PDF-1.4 verbale"
    assert AuditEntry.objects.get(action="consultation.meeting").payload["data"]["attachment_sha256"] == (
        m.attachment.sha256
    )


def test_the_same_meeting_sent_twice_is_recorded_once(in_consultation, people):
    information = current_information(in_consultation)
    request(information, people["sindacato"])
    held_on = timezone.now()
    first = meeting(information, people["segreteria"], held_on=held_on)
    entries = AuditEntry.objects.count()
    assert meeting(information, people["segreteria"], held_on=held_on) == first
    assert Meeting.objects.count() == 1 and AuditEntry.objects.count() == entries
    meeting(information, people["segreteria"], held_on=held_on + dt.timedelta(minutes=1))
    assert Meeting.objects.count() == 2


def test_a_meeting_cannot_precede_the_information_or_the_request(in_consultation, people):
    information = sent_on(in_consultation, at=dt.datetime(2026, 3, 2, 17, 0, tzinfo=ROME))
    with frozen(dt.datetime(2026, 3, 3, 11, 0, 40, tzinfo=ROME)):
        request(information, people["sindacato"])
    entries = AuditEntry.objects.count()
    before_information = svc.MEETING_BEFORE_INFORMATION.format(sent="02/03/2026 alle 17:00")
    before_request = svc.MEETING_BEFORE_REQUEST.format(when="03/03/2026 alle 11:00")
    for held_on, message in (
        (dt.datetime(2026, 3, 2, 9, 30, tzinfo=ROME), before_information),  # the same day, in the morning
        (dt.datetime(2026, 3, 3, 10, 59, tzinfo=ROME), before_request),
    ):
        with pytest.raises(errors.InvalidInput) as exc:
            meeting(information, people["segreteria"], held_on=held_on)
        assert exc.value.message == message
    assert not Meeting.objects.exists() and AuditEntry.objects.count() == entries
    # the minute of the request, as the form asks it, is not before it
    meeting(information, people["segreteria"], held_on=dt.datetime(2026, 3, 3, 11, 0, tzinfo=ROME))
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize("who", ["dirigente_satta", "sindacato", "revisore"])
def test_only_the_segreteria_records_meetings(in_consultation, people, who):
    information = current_information(in_consultation)
    request(information, people["sindacato"])
    with pytest.raises(errors.Forbidden):
        meeting(information, people[who])


def test_countdown_from_the_first_request(in_consultation, people):
    information = sent_on(in_consultation)
    with frozen(dt.datetime(2026, 3, 3, 9, 0, tzinfo=ROME)):
        request(information, people["sindacato"])
    countdown = confronto_countdown(information, today=dt.date(2026, 3, 3))
    assert timezone.localtime(countdown.deadline).date() == dt.date(2026, 4, 2)  # 30 days
    assert (countdown.days_left, countdown.overdue) == (30, False)
    late = confronto_countdown(information, today=dt.date(2026, 4, 5))
    assert (late.days_left, late.overdue, late.overdue_days) == (-3, True, 3)


# -- closing ----------------------------------------------------------------------------------------------
def test_closing_refused_before_the_information_period_without_a_reason(in_consultation, people):
    information = sent_on(in_consultation)
    before = snapshot(in_consultation)
    with frozen(dt.datetime(2026, 3, 7, 18, 0, tzinfo=ROME)), pytest.raises(errors.ConditionsUnmet) as exc:
        act(in_consultation, "close_consultation", people["segreteria"], data={})
    assert exc.value.message == errors.CONSULTATION_TOO_EARLY.format(until="07/03/2026 alle 23:59")
    assert information_period_end(information).date() == dt.date(2026, 3, 7)
    assert snapshot(in_consultation) == before


def test_closing_early_with_a_reason_is_recorded_and_highlighted(in_consultation, people):
    sent_on(in_consultation)
    with frozen(dt.datetime(2026, 3, 4, 12, 0, tzinfo=ROME)):
        act(
            in_consultation,
            "close_consultation",
            people["segreteria"],
            data={"early_reason": "Termine di legge"},
        )
    step = last_step(in_consultation)
    assert fresh(in_consultation).state == SIG
    assert step.highlighted is True
    assert (step.data["early_reason"], step.data["outcome"], step.data["confronto"]) == (
        "Termine di legge",
        "no_request",
        False,
    )


def test_closing_after_the_period_needs_no_reason(in_consultation, people):
    sent_on(in_consultation)
    with frozen(dt.datetime(2026, 3, 8, 0, 0, 1, tzinfo=ROME)):
        act(in_consultation, "close_consultation", people["segreteria"], data={})
    step = last_step(in_consultation)
    assert (step.highlighted, step.data["outcome"]) == (False, "no_request")


def test_closing_without_a_request_cannot_claim_a_confronto(in_consultation, people):
    with pytest.raises(errors.ConditionsUnmet) as exc:
        act(
            in_consultation,
            "close_consultation",
            people["segreteria"],
            data={"outcome": "agreement", "summary": "Accordo", "early_reason": "urgente"},
        )
    assert exc.value.message == errors.NO_CONFRONTO_REQUESTED


def test_closing_after_a_confronto_refused_without_a_summary(in_consultation, people):
    request(current_information(in_consultation), people["sindacato"])
    before = snapshot(in_consultation)
    with pytest.raises(errors.ConditionsUnmet) as exc:
        act(in_consultation, "close_consultation", people["segreteria"], data={"outcome": "agreement"})
    assert exc.value.message == errors.SUMMARY_REQUIRED
    with pytest.raises(errors.ConditionsUnmet) as exc:  # a reason for closing early is no summary
        act(in_consultation, "close_consultation", people["segreteria"], data={"early_reason": "urgente"})
    assert exc.value.message == errors.OUTCOME_REQUIRED
    assert snapshot(in_consultation) == before


def test_closing_after_a_confronto_with_the_summary(in_consultation, people):
    request(current_information(in_consultation), people["sindacato"])
    sent_on(in_consultation)
    with frozen(dt.datetime(2026, 3, 20, 9, 0, tzinfo=ROME)):
        act(
            in_consultation,
            "close_consultation",
            people["segreteria"],
            data={"outcome": "divergent", "summary": "La RSU resta contraria all'indicatore 2."},
        )
    step = last_step(in_consultation)
    assert fresh(in_consultation).state == SIG
    assert step.data["outcome"] == "divergent" and step.data["confronto"] is True
    assert step.data["summary"] == "La RSU resta contraria all'indicatore 2."
    assert step.highlighted is False


def test_closing_a_confronto_before_the_information_period_needs_the_reason(in_consultation, people):
    """Other unions may still ask for a confronto until the period ends: a confronto concluded early
    does not close the consultation early without the Segreteria's written reason."""
    request(current_information(in_consultation), people["sindacato"])
    sent_on(in_consultation)
    data = {"outcome": "agreement", "summary": "Accordo sugli indicatori."}
    before = snapshot(in_consultation)
    with frozen(dt.datetime(2026, 3, 5, 9, 0, tzinfo=ROME)):
        with pytest.raises(errors.ConditionsUnmet) as exc:
            act(in_consultation, "close_consultation", people["segreteria"], data=data)
        assert exc.value.message == errors.CONSULTATION_TOO_EARLY.format(until="07/03/2026 alle 23:59")
        assert snapshot(in_consultation) == before
        act(
            in_consultation,
            "close_consultation",
            people["segreteria"],
            data={**data, "early_reason": "Accordo raggiunto con tutte le sigle"},
        )
    step = last_step(in_consultation)
    assert (step.highlighted, step.data["early_reason"], step.data["outcome"]) == (
        True,
        "Accordo raggiunto con tutte le sigle",
        "agreement",
    )


def test_a_reason_given_when_nothing_is_early_is_not_kept(in_consultation, people):
    sent_on(in_consultation)
    with frozen(dt.datetime(2026, 3, 9, 9, 0, tzinfo=ROME)):
        act(
            in_consultation, "close_consultation", people["segreteria"], data={"early_reason": "Per scrupolo"}
        )
    step = last_step(in_consultation)
    assert (step.highlighted, step.data["early_reason"]) == (False, "")


def test_batch_closing_after_a_confronto(plan, people):
    objectives = [ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]) for _ in range(2)]
    for o in objectives:
        walk_to(o, State.SUBMITTED, people)
    ids = [o.pk for o in objectives]
    objectives_batch_transition(objective_ids=ids, name="approve", by=people["segreteria"])
    request(UnionInformation.objects.get(), people["sindacato"])
    with pytest.raises(errors.BatchBlocked):
        objectives_batch_transition(
            objective_ids=ids,
            name="close_consultation",
            by=people["segreteria"],
            data={"early_reason": "urgente"},
        )
    moved = objectives_batch_transition(
        objective_ids=ids,
        name="close_consultation",
        by=people["segreteria"],
        data={
            "outcome": "agreement",
            "summary": "Accordo raggiunto.",
            "early_reason": "Confronto concluso prima del termine",
        },
    )
    assert {o.state for o in moved} == {SIG}
    steps = StepRecord.objects.filter(transition="close_consultation")
    assert {s.data["outcome"] for s in steps} == {"agreement"}


def test_batch_closing_refused_across_two_confronti(plan, people):
    """One outcome and one summary are those of one confronto: not handed to another information's."""
    objectives = [ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]) for _ in range(2)]
    for o in objectives:
        walk_to(o, UC, people)  # approved one at a time: two informations
    assert UnionInformation.objects.count() == 2
    for o in objectives:
        request(current_information(o), people["sindacato"])
    before = [snapshot(o) for o in objectives]
    with pytest.raises(errors.BatchBlocked) as exc:
        objectives_batch_transition(
            objective_ids=[o.pk for o in objectives],
            name="close_consultation",
            by=people["segreteria"],
            data={
                "outcome": "agreement",
                "summary": "Accordo sulla prima informazione.",
                "early_reason": "Confronto concluso prima del termine",
            },
        )
    assert exc.value.cause.message == errors.CLOSING_MIXED_CONFRONTI
    assert [snapshot(o) for o in objectives] == before
    for o in objectives:  # each on its own, with its own summary
        act(
            o,
            "close_consultation",
            people["segreteria"],
            data={
                "outcome": "agreement",
                "summary": o.code,
                "early_reason": "Confronto concluso prima del termine",
            },
        )
    assert {s.data["summary"] for s in StepRecord.objects.filter(transition="close_consultation")} == {
        o.code for o in objectives
    }


def test_a_new_consultation_starts_without_the_old_request(in_consultation, people):
    request(current_information(in_consultation), people["sindacato"])
    act(in_consultation, "return_to_drafting", people["segreteria"])
    walk_to(in_consultation, UC, people)  # approved again: a new information, no request on it yet
    assert UnionInformation.objects.count() == 2
    act(in_consultation, "close_consultation", people["segreteria"], data={"early_reason": "urgente"})
    assert last_step(in_consultation).data["outcome"] == "no_request"


# -- observations ---------------------------------------------------------------------------------------
def post(objective, by, text="Serve un indicatore sui carichi di lavoro.", reply_to=None):
    return svc.observation_post(objective_id=objective.pk, text=text, by=by, reply_to_id=reply_to)


def test_union_rep_posts_and_the_responsible_and_segreteria_answer(in_consultation, people):
    obs = post(in_consultation, people["sindacato"])
    assert (obs.author_role, obs.information, obs.revision) == (
        "sindacato",
        current_information(in_consultation),
        1,
    )
    told = set(
        Notification.objects.filter(transition="observation_posted").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"dirigente_satta", "segreteria", "segretario"}

    answer = post(in_consultation, people["dirigente_satta"], text="Lo aggiungiamo.", reply_to=obs.pk)
    assert (answer.author_role, answer.reply_to) == ("responsabile", obs)
    reply = post(in_consultation, people["segreteria"], text="Confermato.", reply_to=obs.pk)
    assert reply.author_role == "segreteria"
    told = list(
        Notification.objects.filter(transition="observation_answered").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == ["sindacato", "sindacato"]
    actions = list(
        AuditEntry.objects.filter(action__startswith="consultation.")
        .exclude(action="consultation.information")
        .order_by("sequence")
        .values_list("action", "object_id")
    )
    oid = str(in_consultation.pk)
    assert actions == [
        ("consultation.observation", oid),
        ("consultation.answer", oid),
        ("consultation.answer", oid),
    ]


@pytest.mark.parametrize("who", ["revisore", "dirigente_rossi", "funzionario_bianchi"])
def test_others_may_not_post_or_answer(in_consultation, people, who):
    obs = post(in_consultation, people["sindacato"])
    for reply_to in (None, obs.pk):
        with pytest.raises((errors.Forbidden, Objective.DoesNotExist)) as exc:
            post(in_consultation, people[who], reply_to=reply_to)
        if who == "funzionario_bianchi":  # sees no objective outside drafting
            assert exc.type is Objective.DoesNotExist
        else:
            assert exc.value.message == svc.OBSERVATION_FORBIDDEN
    assert Observation.objects.count() == 1


def test_another_bodys_people_do_not_find_the_objective(in_consultation, people, other_union, other_body):
    obs = post(in_consultation, people["sindacato"])
    other_segreteria = member("segreteria_crema", other_body, Role.SEGRETERIA)
    with pytest.raises(Objective.DoesNotExist):
        post(in_consultation, other_union)
    with pytest.raises(Objective.DoesNotExist):
        post(in_consultation, other_segreteria, reply_to=obs.pk)


def test_an_answer_needs_the_observation_it_answers(in_consultation, people):
    with pytest.raises(errors.InvalidInput) as exc:
        post(in_consultation, people["dirigente_satta"])
    assert exc.value.message == svc.ANSWER_NEEDS_OBSERVATION
    other = ObjectiveFactory(plan=in_consultation.plan, responsible=people["dirigente_satta"])
    walk_to(other, UC, people)
    elsewhere = post(other, people["sindacato"])
    with pytest.raises(errors.InvalidInput) as exc:
        post(in_consultation, people["dirigente_satta"], reply_to=elsewhere.pk)
    assert exc.value.message == svc.ANSWER_UNKNOWN


def test_observations_only_during_the_consultation(draft, people):
    o = walk_to(draft, SIG, people)
    with pytest.raises(errors.ConditionsUnmet) as exc:
        post(o, people["sindacato"])
    assert exc.value.message == svc.OBSERVATION_NOT_IN_CONSULTATION
    act(o, "return_to_drafting", people["segreteria"])
    with pytest.raises(Objective.DoesNotExist):  # a draft is not even visible to the unions
        post(o, people["sindacato"])


def test_empty_observation_refused(in_consultation, people):
    with pytest.raises(errors.InvalidInput) as exc:
        post(in_consultation, people["sindacato"], text="  ")
    assert exc.value.message == svc.OBSERVATION_EMPTY


def test_the_same_post_sent_twice_is_posted_once(in_consultation, people):
    first = post(in_consultation, people["sindacato"])
    entries = AuditEntry.objects.count()
    again = post(in_consultation, people["sindacato"])  # a double click, a resent form
    assert again.pk == first.pk
    assert Observation.objects.count() == 1 and AuditEntry.objects.count() == entries
    answer = post(in_consultation, people["segreteria"], text="Lo aggiungiamo.", reply_to=first.pk)
    assert post(in_consultation, people["segreteria"], text="Lo aggiungiamo.", reply_to=first.pk) == answer
    other = post(in_consultation, people["sindacato"], text="Correzione: sui carichi di lavoro 2024.")
    assert other.pk != first.pk and Observation.objects.count() == 3
