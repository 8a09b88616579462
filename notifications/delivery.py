"""Delivering what a committed change has to tell: pushes to the browser's sockets, immediate e-mails.

Everything here runs after commit (DESIGN.md, "How a change flows", step 6), so a rolled-back change
tells nobody. One transaction gathers all its deliveries in one outbox (a batch of thirty objectives sends
each person one e-mail, not thirty). The push goes at once; the e-mails are one task in the queue
(notifications.tasks), so neither the page nor the step waits for the mail server. Pushes carry ids and
event types only; the page fetches the text and the objective over the normal permission-checked views.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from . import tasks

logger = logging.getLogger(__name__)

_emails_off = contextvars.ContextVar("notifications_emails_off", default=False)


@contextlib.contextmanager
def without_emails():
    """Changes made inside this block notify in the inbox and the browser but send no e-mail (the demo
    data, written all at once, must not mail its people)."""
    token = _emails_off.set(True)
    try:
        yield
    finally:
        _emails_off.reset(token)


# Consumer handlers the messages are dispatched to (type "notification.new" -> notification_new).
NOTIFICATION_NEW = "notification.new"
NOTIFICATION_MANY = "notification.many"
MEMBERSHIPS_CHANGED = "memberships.changed"
# From this many people of one body told by one change, one message to the body's group (each socket of the
# body's people keeps its person's part) instead of one per person.
GROUP_FANOUT_MIN = 10
OBJECTIVE_EVENT = "objective.event"
OPERATION_PROGRESS = "operation.progress"
SEND_CONCURRENCY = 8


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def objective_group(objective_id: int) -> str:
    return f"objective.{objective_id}"


def body_group(body_id: int) -> str:
    """Every socket of the people holding a role in the body (notifications.consumers)."""
    return f"body.{body_id}"


def notification_message(
    *, notification_id: int, recipient_id: int, objective_id, event: str, body_id: int | None = None
) -> tuple:
    """``body_id``: the body the notification is about, when the message may join others of the same body
    in one message to its group (``grouped``)."""
    return (
        user_group(recipient_id),
        {
            "type": NOTIFICATION_NEW,
            "id": notification_id,
            "recipient": recipient_id,
            "objective": objective_id,
            "event": event,
            "body": body_id,
        },
    )


def memberships_message(*, user_id: int) -> tuple:
    """The person's roles changed: their sockets join the groups of their bodies again."""
    return (user_group(user_id), {"type": MEMBERSHIPS_CHANGED})


def grouped(messages: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """The "new notification" messages of ``GROUP_FANOUT_MIN`` people or more of one body as one message
    to the body's group, which names each person's notification (``told``: recipient, id, objective,
    event): one publish reaches them all, and a socket of the body that is not named sends nothing on. The
    other messages are kept as they are, in their order; the group's message goes where its first was."""
    by_body: dict[int, list[int]] = {}
    for i, (_group, payload) in enumerate(messages):
        if payload.get("type") == NOTIFICATION_NEW and payload.get("body") is not None:
            by_body.setdefault(payload["body"], []).append(i)
    merged: dict[int, tuple[str, dict]] = {}  # index of the first message of a group -> the group's message
    dropped: set[int] = set()
    for body_id, indexes in by_body.items():
        if len({messages[i][1]["recipient"] for i in indexes}) < GROUP_FANOUT_MIN:
            continue
        told = [
            [p["recipient"], p["id"], p["objective"], p["event"]] for p in (messages[i][1] for i in indexes)
        ]
        merged[indexes[0]] = (body_group(body_id), {"type": NOTIFICATION_MANY, "told": told})
        dropped.update(indexes[1:])
    return [merged.get(i, m) for i, m in enumerate(messages) if i not in dropped]


def operation_message(*, operation_id, recipient_id: int) -> tuple:
    """An operation of ``recipient_id`` moved on (flows.services.operations): by id only, the page reads
    its state over the permission-checked status view."""
    return (
        user_group(recipient_id),
        {"type": OPERATION_PROGRESS, "operation": str(operation_id), "recipient": recipient_id},
    )


def objective_message(*, objective_id: int, event: str, actor_id) -> tuple:
    return (
        objective_group(objective_id),
        {"type": OBJECTIVE_EVENT, "objective": objective_id, "event": event, "actor": actor_id},
    )


def coalesced(messages: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """One "new notification" message per person, the last, in place of one per notification: the page
    that receives it fetches everything after the last notification it has (live.js ``catchUp``), so a
    batch that tells one person of fifty objectives pushes to them once. The other messages are kept, in
    their order, each person's where their first was."""
    last: dict[str, int] = {}
    for i, (group, payload) in enumerate(messages):
        if payload.get("type") == NOTIFICATION_NEW:
            last[group] = i
    kept: list[tuple[str, dict]] = []
    placed: set[str] = set()
    for group, payload in messages:
        if payload.get("type") != NOTIFICATION_NEW:
            kept.append((group, payload))
        elif group not in placed:
            placed.add(group)
            kept.append(messages[last[group]])
    return kept


def _innermost_savepoint(connection):
    return connection.savepoint_ids[-1] if connection.savepoint_ids else None


class Outbox:
    """What one transaction (or savepoint) delivers once it commits."""

    def __init__(self, connection):
        self.messages: list[tuple[str, dict]] = []
        self.notification_ids: list[int] = []
        self.savepoint = _innermost_savepoint(connection)
        self.send_emails = not _emails_off.get()
        self.done = False

    def open_on(self, connection) -> bool:
        """May this outbox take more? Only while the block it was made in is still open and its callback
        still waits (not run, not discarded by a rollback)."""
        return (
            not self.done
            and self.send_emails == (not _emails_off.get())
            and self.savepoint == _innermost_savepoint(connection)
            and any(
                getattr(func, "__self__", None) is self for _sids, func, _robust in connection.run_on_commit
            )
        )

    def run(self) -> None:
        self.done = True
        try:
            push(grouped(coalesced(self.messages)))
        except Exception:  # the change is committed: a push that fails must not turn it into an error
            logger.exception("Notifications: push to the channel layer failed")
        if self.notification_ids and self.send_emails:
            try:
                tasks.email_notifications.enqueue(self.notification_ids)
            except Exception:  # the change is committed and its notifications are in the inboxes
                logger.exception("Notifications: the e-mails could not be queued")


def enqueue(*, messages: list[tuple[str, dict]], notification_ids: list[int]) -> None:
    """Add deliveries to the current transaction's outbox (created and registered on first use)."""
    connection = transaction.get_connection()
    outbox = getattr(connection, "_notifications_outbox", None)
    if outbox is None or not outbox.open_on(connection):
        outbox = Outbox(connection)
        connection._notifications_outbox = outbox
        transaction.on_commit(outbox.run, robust=True)
    outbox.messages.extend(messages)
    outbox.notification_ids.extend(notification_ids)


async def _send_all(messages) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    # A few at a time: with Redis each send is a few round trips and a step may tell hundreds of people;
    # many more at once would only open more connections.
    lanes = asyncio.Semaphore(SEND_CONCURRENCY)

    async def send(group, payload):
        async with lanes:
            await layer.group_send(group, payload)

    await asyncio.gather(*(send(group, payload) for group, payload in messages))


def push(messages: list[tuple[str, dict]]) -> None:
    """Send to channel groups from synchronous code: a view, a command, a test."""
    if not messages:
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case, including Django's sync views under ASGI
        async_to_sync(_send_all)(messages)
        return
    # This thread runs an event loop of its own (not an ASGI server's): send from a helper thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(async_to_sync(_send_all), messages).result()
