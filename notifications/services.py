"""Writing notifications. ``notify_transition`` is called by flows/ inside the transaction of the change it
tells about (DESIGN.md, "How a change flows", step 5); delivery waits for the commit (step 6)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from workflow.models import Objective

from . import delivery, rules, selectors
from .emails import send_digest
from .models import EmailMode, EmailPreference, Notification

REMINDER = "reminder"  # the event of every reminder: ``reminder.<kind>.<subject id>``

NOT_YOURS = "Notifica non trovata."
UNKNOWN_MODE = "Scegli una delle frequenze proposte."


def notify_transition(
    *, objective: Objective, transition: str, by, comment: str = "", subject=None, context=None
) -> list[Notification]:
    """Write the notifications of ``transition`` (or another event of rules.RULES) just applied to
    ``objective`` by ``by``; after commit push them, and an event to the objective's open pages.

    ``subject`` is the person the event is about (the delegate of a delegation); ``context`` fills the
    rule's other placeholders (the period of a progress report). Must run inside the
    caller's transaction: the notifications land or vanish with the change."""
    _require_transaction("notify_transition")
    # Checked where they are written: whatever the rules name, nobody outside the objective's body.
    told = rules.addressees(transition, objective, by=by, subject=subject)
    return _write([(objective, transition, comment, told)], by=by, context=context)


def notify_transitions(*, items: list[tuple[Objective, str, str]], by) -> list[Notification]:
    """``notify_transition`` for many objectives moved by one call: ``items`` are (objective, event,
    comment). Who is told is read once per event for all of them (rules.addressees_of_many), and all
    the notifications are written in one statement."""
    _require_transaction("notify_transitions")
    by_event: dict[str, list[Objective]] = {}
    for objective, event, _comment in items:
        by_event.setdefault(event, []).append(objective)
    told = {
        (pk, event): people
        for event, objectives in by_event.items()
        for pk, people in rules.addressees_of_many(event, objectives, by=by).items()
    }
    return _write(
        [(objective, event, comment, told[objective.pk, event]) for objective, event, comment in items], by=by
    )


def _require_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must be called inside the transaction of the change")


def _write(items, *, by, context=None) -> list[Notification]:
    """Write the notifications of ``items`` (objective, event, comment, (people, union representatives))
    in one statement; after commit push them, and an event to each objective's open pages."""
    now = timezone.now()
    pending: list[Notification] = []
    for objective, event, comment, (people, unions) in items:
        if not people:
            continue
        text = rules.message(event, objective, by=by, comment=comment, context=context)
        # The union representatives read no internal comment: their text is the one without it.
        bare = rules.message(event, objective, by=by, context=context) if unions and comment else text
        pending.extend(
            Notification(
                recipient_id=user_id,
                actor=by,
                objective=objective,
                transition=event,
                message=bare if user_id in unions else text,
                created=now,
            )
            for user_id in people
        )
    created = Notification.objects.bulk_create(pending) if pending else []
    body_of = {objective.pk: objective.plan.body_id for objective, *_rest in items}  # plans are loaded
    messages = [
        delivery.notification_message(
            notification_id=n.pk,
            recipient_id=n.recipient_id,
            objective_id=n.objective_id,
            event=n.transition,
            body_id=body_of.get(n.objective_id),
        )
        for n in created
    ]
    actor_id = getattr(by, "pk", None)
    messages.extend(
        delivery.objective_message(objective_id=objective.pk, event=event, actor_id=actor_id)
        for objective, event, _comment, _told in items
    )
    delivery.enqueue(messages=messages, notification_ids=[n.pk for n in created])
    return created


def notify_body(*, body_id: int, event: str, by, roles, message: str) -> list[Notification]:
    """Tell the active people holding one of ``roles`` in the body of an event that concerns no objective
    (a step of the Relazione sulla performance): inside the caller's transaction, pushed after commit and
    e-mailed as each person chose. The actor is never told of their own action."""
    _require_transaction("notify_body")
    people = (
        get_user_model()
        .objects.filter(memberships__body_id=body_id, memberships__role__in=list(roles), is_active=True)
        .exclude(pk=getattr(by, "pk", None))
        .distinct()
        .order_by("pk")
    )
    now = timezone.now()
    created = Notification.objects.bulk_create(
        Notification(recipient=user, actor=by, objective=None, transition=event, message=message, created=now)
        for user in people
    )
    delivery.enqueue(
        messages=[
            delivery.notification_message(
                notification_id=n.pk,
                recipient_id=n.recipient_id,
                objective_id=None,
                event=event,
                body_id=body_id,
            )
            for n in created
        ],
        notification_ids=[n.pk for n in created],
    )
    return created


def notification_mark_read(*, notification_id: int, by) -> Notification:
    """Mark one of ``by``'s own notifications read; another person's is Notification.DoesNotExist."""
    notification = Notification.objects.get(pk=notification_id, recipient=by)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, by) -> int:
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_group_read(*, by, group: selectors.GroupKey, kind: str = "") -> int:
    """Mark read all of ``by``'s unread notifications of one group of the inbox (a day, an objective),
    of one kind when given; the number marked. Nobody else's notifications are touched."""
    unread = Notification.objects.filter(group.q(), recipient=by, read_at__isnull=True)
    if kind:
        unread = unread.filter(selectors.kind_q(kind))
    return unread.update(read_at=timezone.now())


def email_preference_set(*, by, mode: str) -> EmailPreference:
    """``by`` chooses how they receive notifications by e-mail."""
    if mode not in EmailMode.values:
        raise ValueError(UNKNOWN_MODE)
    preference, _ = EmailPreference.objects.update_or_create(user=by, defaults={"mode": mode})
    return preference


def digest_send() -> tuple[int, int]:
    """The daily digest for everyone who chose it: (messages sent, notifications in them)."""
    return send_digest()


def reminder_event(key: str) -> str:
    return f"{REMINDER}.{key}" if not key.startswith(f"{REMINDER}.") else key


def reminder_sent_today(*, recipient, key: str, today) -> bool:
    return Notification.objects.filter(
        recipient=recipient, transition=reminder_event(key), created__date=today
    ).exists()


def reminder_notify(*, recipient, key: str, message: str, objective=None, now=None) -> Notification | None:
    """Remind ``recipient`` of something they must do, at most once a day per subject (``key``, e.g.
    ``adoption.<plan id>``): a second call on the same day writes nothing and returns None. Like every
    notification it lands in the inbox, reaches the open pages and goes by e-mail as the person chose
    (immediately after commit, or in the daily digest). About an objective, only a person who may see it
    in its body is reminded (rules.within_body): for anyone else nothing is written and None returned."""
    if objective is not None and not rules.within_body([recipient], objective):
        return None
    now = now or timezone.now()
    event = reminder_event(key)
    # No savepoint of its own: a run of many reminders in one transaction shares one outbox, so each
    # person receives one e-mail for all of them.
    with transaction.atomic(savepoint=False):
        if reminder_sent_today(recipient=recipient, key=key, today=timezone.localdate(now)):
            return None
        notification = Notification.objects.create(
            recipient=recipient,
            actor=None,
            objective=objective,
            transition=event,
            message=message,
            created=now,
        )
        delivery.enqueue(
            messages=[
                delivery.notification_message(
                    notification_id=notification.pk,
                    recipient_id=recipient.pk,
                    objective_id=objective.pk if objective is not None else None,
                    event=REMINDER,
                )
            ],
            notification_ids=[notification.pk],
        )
    return notification
