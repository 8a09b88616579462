"""Writing and delivering notifications: in the transaction of the change, pushed and e-mailed only after
it commits, one outbox per transaction; marking read; the e-mail preference."""


import pytest
from django.core import mail
from django.db import transaction

from flows import errors
from flows.services.memberships import membership_revoke
from flows.services.transitions import objectives_batch_transition
from notifications import delivery, services
from notifications.models import EmailMode, EmailPreference, Notification
from tests.factories import ObjectiveFactory, PlanFactory, superuser
from tests.support import VALID_INPUT, act, fresh, walk_to
from workflow.models import Membership, Role, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def pushed(monkeypatch):
    """What reaches the channel layer: (group, message) pairs, in order."""
    sent = []
    monkeypatch.setattr(delivery, "push", lambda messages: sent.extend(messages))
    return sent


def test_notifications_are_written_with_the_transition_and_pushed_after_commit(
    draft, people, pushed, django_capture_on_commit_callbacks
):
    satta = people["dirigente_satta"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        act(draft, "submit", satta)
        written = list(Notification.objects.filter(objective=draft).order_by("id"))
        assert {n.recipient.username for n in written} == {"segreteria", "segretario"}
        assert pushed == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert pushed == [
        *[
            (
                f"user.{n.recipient_id}",
                {
                    "type": "notification.new",
                    "id": n.pk,
                    "recipient": n.recipient_id,
                    "objective": draft.pk,
                    "event": "submit",
                    "body": draft.plan.body_id,
                },
            )
            for n in written
        ],
        (
            f"objective.{draft.pk}",
            {"type": "objective.event", "objective": draft.pk, "event": "submit", "actor": satta.pk},
        ),
    ]


def test_an_event_without_recipients_still_reaches_the_objectives_pages(
    draft, people, pushed, django_capture_on_commit_callbacks
):
    walk_to(draft, State.SIGNATURE, people)
    with django_capture_on_commit_callbacks(execute=True):
        act(draft, "sign", people["dirigente_satta"])
    assert pushed == [
        (
            f"objective.{draft.pk}",
            {
                "type": "objective.event",
                "objective": draft.pk,
                "event": "sign",
                "actor": people["dirigente_satta"].pk,
            },
        )
    ]


def test_a_refused_transition_writes_and_pushes_nothing(
    draft, people, pushed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(errors.Forbidden):
        act(draft, "submit", people["dirigente_rossi"])  # not the responsible
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(errors.WorkflowError):
        act(draft, "submit", people["dirigente_satta"], lock_version=0)  # stale
    assert callbacks == []
    assert not Notification.objects.exists()
    assert pushed == []


def test_a_blocked_batch_tells_nobody(plan, people, pushed, django_capture_on_commit_callbacks):
    satta = people["dirigente_satta"]
    ready = ObjectiveFactory(plan=plan, responsible=satta)
    blocked = ObjectiveFactory(plan=plan, responsible=satta)
    act(ready, "submit", satta)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(errors.BatchBlocked):
        objectives_batch_transition(
            objective_ids=[ready.pk, blocked.pk],
            name="approve",
            by=people["segreteria"],
            data=VALID_INPUT["approve"],
        )
    assert (callbacks, pushed) == ([], [])
    assert not Notification.objects.exists()
    assert fresh(ready).state == State.SUBMITTED


def test_a_batch_delivers_once_after_commit_and_mails_each_person_once(
    plan, people, pushed, django_capture_on_commit_callbacks
):
    satta = people["dirigente_satta"]
    objectives = [ObjectiveFactory(plan=plan, responsible=satta) for _ in range(3)]
    for o in objectives:
        act(o, "submit", satta)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        objectives_batch_transition(
            objective_ids=[o.pk for o in objectives],
            name="approve",
            by=people["segreteria"],
            data=VALID_INPUT["approve"],
        )
    assert len(callbacks) == 1  # one outbox for the whole batch
    assert len([g for g, _ in pushed if g == f"user.{satta.pk}"]) == 1  # her page fetches all three
    assert sorted(g for g, _ in pushed if g.startswith("objective.")) == sorted(
        f"objective.{o.pk}" for o in objectives
    )
    # satta and the union representative: one e-mail each, listing the three objectives
    assert sorted(m.to[0] for m in mail.outbox) == ["dirigente_satta@example.org", "sindacato@example.org"]
    to_satta = next(m for m in mail.outbox if m.to == ["dirigente_satta@example.org"])
    assert to_satta.subject == "PIAO: 3 novità sui tuoi obiettivi"
    for o in objectives:
        assert o.code in to_satta.body and f"/obiettivi/{o.pk}/" in to_satta.body
    assert not Notification.objects.filter(transition="approve", emailed_at__isnull=True).exists()


def test_two_transactions_in_one_test_get_two_outboxes(
    draft, people, pushed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        act(draft, "submit", people["dirigente_satta"])
    with django_capture_on_commit_callbacks(execute=True):
        act(draft, "approve", people["segreteria"])
    assert [m["event"] for _, m in pushed if m["type"] == "objective.event"] == ["submit", "approve"]


def test_notify_transition_refuses_to_run_outside_a_transaction(draft, people, monkeypatch):
    monkeypatch.setattr(transaction, "get_connection", lambda: type("C", (), {"in_atomic_block": False})())
    with pytest.raises(RuntimeError, match="inside the transaction"):
        services.notify_transition(objective=draft, transition="submit", by=people["dirigente_satta"])


def test_a_failing_push_does_not_undo_the_change_or_stop_the_mail(
    draft, people, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(messages):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(delivery, "push", broken)
    with django_capture_on_commit_callbacks(execute=True):
        act(draft, "submit", people["dirigente_satta"])
    assert fresh(draft).state == State.SUBMITTED
    assert sorted(m.to[0] for m in mail.outbox) == ["segretario@example.org", "segreteria@example.org"]


# -- e-mail preferences ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("mode", "mailed"),
    [
        (None, True),  # never chosen: immediately
        (EmailMode.IMMEDIATE, True),
        (EmailMode.DAILY, False),
        (EmailMode.NEVER, False),
    ],
)
def test_immediate_mail_follows_the_preference(
    draft, people, pushed, django_capture_on_commit_callbacks, mode, mailed
):
    segreteria = people["segreteria"]
    if mode:
        services.email_preference_set(by=segreteria, mode=mode)
    with django_capture_on_commit_callbacks(execute=True):
        act(draft, "submit", people["dirigente_satta"])
    to = [m.to[0] for m in mail.outbox]
    assert ("segreteria@example.org" in to) is mailed
    assert "segretario@example.org" in to
    note = Notification.objects.get(recipient=segreteria)
    assert (note.emailed_at is not None) is mailed
    if mailed:
        message = next(m for m in mail.outbox if m.to == ["segreteria@example.org"])
        assert message.subject.startswith(
            f"PIAO: Sabrina Satta ha inviato alla Segreteria l'obiettivo {draft.code}"
        )
        assert f"http://127.0.0.1:8000/obiettivi/{draft.pk}/" in message.body
        assert "http://127.0.0.1:8000/profilo/" in message.body


def test_no_mail_without_an_address(draft, people, pushed, django_capture_on_commit_callbacks):
    people["segreteria"].email = ""
    people["segreteria"].save()
    with django_capture_on_commit_callbacks(execute=True):
        act(draft, "submit", people["dirigente_satta"])
    assert [m.to[0] for m in mail.outbox] == ["segretario@example.org"]


def test_email_preference_set_refuses_an_unknown_mode(people):
    with pytest.raises(ValueError, match=services.UNKNOWN_MODE):
        services.email_preference_set(by=people["segreteria"], mode="hourly")
    services.email_preference_set(by=people["segreteria"], mode=EmailMode.DAILY)
    services.email_preference_set(by=people["segreteria"], mode=EmailMode.NEVER)
    assert EmailPreference.objects.get(user=people["segreteria"]).mode == EmailMode.NEVER


# -- reading ------------------------------------------------------------------------------------------
def test_mark_read_only_ones_own(draft, people):
    act(draft, "submit", people["dirigente_satta"])
    mine = Notification.objects.get(recipient=people["segreteria"])
    with pytest.raises(Notification.DoesNotExist):
        services.notification_mark_read(notification_id=mine.pk, by=people["segretario"])
    first = services.notification_mark_read(notification_id=mine.pk, by=people["segreteria"]).read_at
    assert first is not None
    assert services.notification_mark_read(notification_id=mine.pk, by=people["segreteria"]).read_at == first
    assert Notification.objects.get(recipient=people["segretario"]).read_at is None


def test_mark_all_read_touches_only_ones_own(draft, people):
    act(draft, "submit", people["dirigente_satta"])
    act(draft, "approve", people["segreteria"])
    assert services.notifications_mark_all_read(by=people["segreteria"]) == 1
    assert services.notifications_mark_all_read(by=people["segreteria"]) == 0
    assert Notification.objects.filter(read_at__isnull=True).count() == 3  # segretario, satta, sindacato


def test_without_emails_notifies_but_mails_nobody(draft, people, pushed, django_capture_on_commit_callbacks):
    with delivery.without_emails(), django_capture_on_commit_callbacks(execute=True):
        act(draft, "submit", people["dirigente_satta"])
    assert mail.outbox == []
    assert Notification.objects.filter(objective=draft, emailed_at__isnull=True).count() == 2
    assert [m["type"] for _, m in pushed] == ["notification.new", "notification.new", "objective.event"]
    with django_capture_on_commit_callbacks(execute=True):
        act(draft, "approve", people["segreteria"])
    assert sorted(m.to[0] for m in mail.outbox) == ["dirigente_satta@example.org", "sindacato@example.org"]



# --- nobody is told of an objective outside its body ---------------------------------------------------


def _told(user, pushed) -> tuple[int, int, int]:
    """(inbox rows, e-mails, pushes) that reached ``user``."""
    return (
        Notification.objects.filter(recipient=user).count(),
        len([m for m in mail.outbox if user.email in m.to]),
        len([g for g, _ in pushed if g == f"user.{user.pk}"]),
    )


def test_a_withdrawal_in_another_body_tells_nobody_outside_it(
    other_body, people, outsiders, pushed, django_capture_on_commit_callbacks
):
    """Sabrina Satta, of the Provincia only, was made responsible of an objective of Crema (as a name
    matched across bodies once did): its withdrawal in Crema, with the reason, does not reach her."""
    satta, crema = people["dirigente_satta"], outsiders["dirigente_crema"]
    plan = PlanFactory(body=other_body)
    stray = ObjectiveFactory(plan=plan, responsible=satta)
    own = ObjectiveFactory(plan=plan, responsible=crema)
    with django_capture_on_commit_callbacks(execute=True):
        act(stray, "withdraw", outsiders["segreteria_crema"])
        act(own, "withdraw", outsiders["segreteria_crema"])
    assert _told(satta, pushed) == (0, 0, 0)
    assert _told(crema, pushed) == (1, 1, 1)  # the body's own dirigente is told as before
    assert "Motivazione" in Notification.objects.get(recipient=crema).message


def test_a_dirigente_removed_from_the_body_is_not_told_the_withdrawal_reason(
    draft, people, pushed, django_capture_on_commit_callbacks
):
    satta = people["dirigente_satta"]
    membership_revoke(by=superuser(), membership=Membership.objects.get(user=satta, role=Role.DIRIGENTE))
    with django_capture_on_commit_callbacks(execute=True):
        act(draft, "withdraw", people["segreteria"])
    assert fresh(draft).state == State.WITHDRAWN
    assert _told(satta, pushed) == (0, 0, 0)


def test_a_reminder_about_an_objective_skips_a_person_outside_its_body(draft, outsiders):
    assert (
        services.reminder_notify(
            recipient=outsiders["dirigente_crema"],
            key=f"drafts.{draft.pk}",
            message="Promemoria",
            objective=draft,
        )
        is None
    )
    assert not Notification.objects.filter(recipient=outsiders["dirigente_crema"]).exists()


def test_a_batch_pushes_one_new_notification_message_per_person(
    plan, people, pushed, django_capture_on_commit_callbacks
):
    """Objectives approved together tell each person of each one in the inbox, but push to each person
    once (the last notification: the page fetches all those after the last it has), and still
    tell each objective's open pages."""
    from flows.services.transitions import objectives_batch_transition
    from tests.factories import ObjectiveFactory

    objectives = [
        ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], state=State.SUBMITTED)
        for _ in range(5)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        objectives_batch_transition(
            objective_ids=[o.pk for o in objectives], name="approve", by=people["segreteria"], data={}
        )
    written = Notification.objects.filter(transition="approve").order_by("id")
    recipients = {n.recipient_id for n in written}
    assert len(written) == 5 * len(recipients) and len(recipients) >= 2
    to_people = [(g, m) for g, m in pushed if m["type"] == "notification.new"]
    assert sorted(g for g, _ in to_people) == sorted(f"user.{pk}" for pk in recipients)
    for group, message in to_people:  # the last of each person's notifications
        assert message["id"] == max(n.pk for n in written if f"user.{n.recipient_id}" == group)
    assert sorted(m["objective"] for _, m in pushed if m["type"] == "objective.event") == sorted(
        o.pk for o in objectives
    )


def test_a_change_telling_many_people_of_a_body_pushes_one_message_to_its_group(
    draft, people, body, pushed, django_capture_on_commit_callbacks
):
    """From GROUP_FANOUT_MIN people of one body on, the "new notification" messages become one message to
    the body's group that names each person's notification; fewer stay one per person."""
    from tests.factories import Role, member

    crowd = [member(f"sindacato_{i}", body, Role.SINDACATO) for i in range(delivery.GROUP_FANOUT_MIN)]
    walk_to(draft, State.SUBMITTED, people)
    pushed.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(draft, "approve", people["segreteria"])
    written = {n.recipient_id: n for n in Notification.objects.filter(transition="approve")}
    assert {u.pk for u in crowd} <= set(written)
    to_body = [m for g, m in pushed if g == f"body.{body.pk}"]
    assert [m["type"] for m in to_body] == ["notification.many"]
    assert sorted(to_body[0]["told"]) == sorted(
        [n.recipient_id, n.pk, draft.pk, "approve"] for n in written.values()
    )
    assert not [g for g, m in pushed if m["type"] == "notification.new"]  # none also one by one
    assert [m["type"] for g, m in pushed if g == f"objective.{draft.pk}"] == ["objective.event"]


def test_grouping_keeps_small_bodies_one_by_one_and_the_order_of_the_rest():
    def new(recipient, body_id, n):
        return delivery.notification_message(
            notification_id=n, recipient_id=recipient, objective_id=7, event="approve", body_id=body_id
        )

    many = [new(100 + i, 1, 1000 + i) for i in range(delivery.GROUP_FANOUT_MIN)]
    few = [new(200, 2, 2000), new(201, 2, 2001)]
    other = delivery.objective_message(objective_id=7, event="approve", actor_id=5)
    out = delivery.grouped([few[0], *many, other, few[1]])
    assert out[0] == few[0] and out[2] == other and out[3] == few[1]
    assert out[1] == ("body.1", {"type": "notification.many",
                                 "told": [[100 + i, 1000 + i, 7, "approve"] for i in range(len(many))]})
    assert delivery.grouped(many[:-1]) == many[:-1]  # one person short: one message each
