"""The socket at /ws/notifications/ through the real ASGI application (origin check, session auth, routing),
on both channel layers: in memory, and Redis when REDIS_URL names one (scripts/test.sh starts it).

The tests are synchronous: each runs its scenario with ``async_to_sync``; the transitions run through
``database_sync_to_async`` so that the push after commit reaches the same event loop as the sockets.
``transaction=True``: the pushes wait for a real commit.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import os
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from config.asgi import application
from flows.services.content import objective_update
from notifications.consumers import CLOSE_UNAUTHENTICATED
from notifications.models import Notification
from tests.factories import Role, ensure_role_groups, member
from tests.support import act, fresh, walk_to
from workflow.models import State

pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()
PATH = "/ws/notifications/"
QUIET = 0.3  # seconds a socket must stay silent to count as "received nothing"
WAIT = 3


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    ensure_role_groups()  # a transactional test flushes the groups migration 0002 wrote


@pytest.fixture(params=["memory", "redis"])
def layer(request, settings):
    if request.param == "redis":
        if not os.environ.get("REDIS_URL"):
            pytest.skip("REDIS_URL is not set: the Redis layer runs where scripts/test.sh starts Redis")
        layers = copy.deepcopy(settings.CHANNEL_LAYERS)  # the project's own Redis configuration
        assert layers["default"]["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
        # a prefix of its own: groups left by another test or run never mix with this one
        layers["default"]["CONFIG"]["prefix"] = f"piao-test-{uuid.uuid4().hex[:12]}"
        settings.CHANNEL_LAYERS = layers
    else:
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    return request.param


def socket(user=None, *, origin=b"http://testserver") -> WebsocketCommunicator:
    headers = [(b"host", b"testserver")]
    if origin:
        headers.append((b"origin", origin))
    if user is not None:
        client = Client()
        client.force_login(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return WebsocketCommunicator(application, PATH, headers=headers)


async def connected(communicator) -> WebsocketCommunicator:
    ok, code = await communicator.connect(timeout=WAIT)
    assert ok, f"socket refused ({code})"
    return communicator


async def subscribe(communicator, objective_id) -> dict:
    await communicator.send_json_to({"type": "subscribe", "objective": objective_id})
    return await communicator.receive_json_from(timeout=WAIT)


in_thread = database_sync_to_async


def run(scenario):
    """Run ``scenario`` on a fresh event loop, then end what it left running.

    A consumer whose socket was refused or never disconnected still waits on the channel layer. On the
    Redis layer that wait is a blocking read that a cancellation does not always end, and the loop's own
    shutdown would wait for it forever: cancel what is left, then close the layer's connections, which
    ends any read still pending.
    """

    async def guarded():
        try:
            return await scenario()
        finally:
            current = asyncio.current_task()
            left = [task for task in asyncio.all_tasks() if task is not current]
            for task in left:
                task.cancel()
            if left:
                _done, pending = await asyncio.wait(left, timeout=2)
                if pending:
                    close = getattr(get_channel_layer(), "close_pools", None)
                    if close is not None:
                        await close()
                    await asyncio.wait(pending, timeout=2)

    return async_to_sync(guarded)()


# -- who may connect ------------------------------------------------------------------------------------
def test_anonymous_socket_is_refused(layer):
    async def scenario():
        ok, _code = await socket().connect(timeout=WAIT)
        assert not ok

    run(scenario)


def test_inactive_user_is_refused(layer, people):
    people["segreteria"].is_active = False
    people["segreteria"].save()
    communicator = socket(people["segreteria"])

    async def scenario():
        ok, _code = await communicator.connect(timeout=WAIT)
        assert not ok

    run(scenario)


@pytest.mark.parametrize("origin", [b"http://evil.example", None])
def test_a_page_of_another_site_cannot_open_the_socket(layer, people, origin):
    communicator = socket(people["segreteria"], origin=origin)

    async def scenario():
        ok, _code = await communicator.connect(timeout=WAIT)
        assert not ok

    run(scenario)


# -- delivery to the user's group -------------------------------------------------------------------------
def test_a_notification_reaches_its_recipient_with_ids_only(layer, draft, people):
    satta = people["dirigente_satta"]
    walk_to(draft, State.SUBMITTED, people)
    communicator = socket(satta)

    async def scenario():
        await connected(communicator)
        await in_thread(act)(draft, "approve", people["segreteria"])
        message = await communicator.receive_json_from(timeout=WAIT)
        note = await Notification.objects.aget(recipient=satta, transition="approve")
        assert message == {"type": "notification", "id": note.pk, "objective": draft.pk, "event": "approve"}
        assert await communicator.receive_nothing(timeout=QUIET)
        await communicator.disconnect()

    run(scenario)


def test_no_cross_user_leakage(layer, draft, people):
    satta, rossi, segreteria = people["dirigente_satta"], people["dirigente_rossi"], people["segreteria"]
    sockets = {name: socket(people[name]) for name in ("dirigente_satta", "dirigente_rossi", "segreteria")}

    async def scenario():
        for communicator in sockets.values():
            await connected(communicator)
        await in_thread(act)(draft, "submit", satta)  # tells the Segreteria
        told = await sockets["segreteria"].receive_json_from(timeout=WAIT)
        assert (told["type"], told["event"]) == ("notification", "submit")
        assert await Notification.objects.filter(pk=told["id"], recipient=segreteria).aexists()
        await in_thread(act)(draft, "approve", segreteria)  # tells satta (and the unions)
        told = await sockets["dirigente_satta"].receive_json_from(timeout=WAIT)
        assert (told["type"], told["event"]) == ("notification", "approve")
        assert await Notification.objects.filter(pk=told["id"], recipient=satta).aexists()
        # nobody heard what was meant for someone else, nor anything of their own action
        for name in sockets:
            assert await sockets[name].receive_nothing(timeout=QUIET), name
        for communicator in sockets.values():
            await communicator.disconnect()

    assert rossi.pk not in Notification.objects.values_list("recipient_id", flat=True)
    run(scenario)


def test_two_tabs_of_the_same_person_both_hear(layer, draft, people):
    tabs = [socket(people["segreteria"]), socket(people["segreteria"])]

    async def scenario():
        for tab in tabs:
            await connected(tab)
        await in_thread(act)(draft, "submit", people["dirigente_satta"])
        for tab in tabs:
            assert (await tab.receive_json_from(timeout=WAIT))["event"] == "submit"
            await tab.disconnect()

    run(scenario)


# -- the objective's group ---------------------------------------------------------------------------------
def test_an_open_objective_page_hears_every_change_of_it(layer, draft, people):
    satta, segreteria = people["dirigente_satta"], people["segreteria"]
    page = socket(segreteria)  # the Segreteria looking at the draft

    async def scenario():
        await connected(page)
        assert await subscribe(page, draft.pk) == {"type": "subscribed", "objective": draft.pk}
        current = await in_thread(fresh)(draft)
        await in_thread(objective_update)(
            objective_id=draft.pk,
            by=satta,
            lock_version=current.lock_version,
            fields={"title": "Titolo cambiato"},
        )
        assert await page.receive_json_from(timeout=WAIT) == {
            "type": "objective",
            "objective": draft.pk,
            "event": "update",
            "actor": satta.pk,
        }
        await in_thread(act)(draft, "submit", satta)
        events = [await page.receive_json_from(timeout=WAIT) for _ in range(2)]
        assert sorted(e["type"] for e in events) == ["notification", "objective"]
        assert all(e["event"] == "submit" for e in events)
        await page.disconnect()

    run(scenario)


def test_events_about_objectives_one_may_not_see_are_not_delivered(layer, draft, people, outsiders):
    sindacato, segreteria = people["sindacato"], people["segreteria"]
    union = socket(sindacato)
    crema = socket(outsiders["segreteria_crema"])
    satta = socket(people["dirigente_satta"])

    async def scenario():
        for communicator in (union, crema, satta):
            await connected(communicator)
        # a draft: the union representative may not subscribe, nor the Segreteria of another body
        assert await subscribe(union, draft.pk) == {"type": "refused", "objective": draft.pk}
        assert await subscribe(crema, draft.pk) == {"type": "refused", "objective": draft.pk}
        assert await subscribe(union, 987654) == {"type": "refused", "objective": 987654}
        await in_thread(walk_to)(draft, State.UNION_CONSULTATION, people)
        assert (await union.receive_json_from(timeout=WAIT))["event"] == "approve"  # their notifications
        assert (await satta.receive_json_from(timeout=WAIT))["event"] == "approve"
        # in consultation the union may follow it ...
        assert await subscribe(union, draft.pk) == {"type": "subscribed", "objective": draft.pk}
        assert await subscribe(satta, draft.pk) == {"type": "subscribed", "objective": draft.pk}
        # ... but once it is back in drafting, no event about it reaches the union
        await in_thread(act)(draft, "return_to_drafting", segreteria)
        heard = [await satta.receive_json_from(timeout=WAIT) for _ in range(2)]
        assert {(e["type"], e["event"]) for e in heard} == {
            ("notification", "return_to_drafting"),
            ("objective", "return_to_drafting"),
        }
        assert await union.receive_nothing(timeout=QUIET)
        assert await crema.receive_nothing(timeout=QUIET)
        for communicator in (union, crema, satta):
            await communicator.disconnect()

    run(scenario)


def test_unsubscribe_and_bad_messages(layer, draft, people):
    page = socket(people["segreteria"])

    async def scenario():
        await connected(page)
        await page.send_to(text_data="not json")
        await page.send_json_to(["a", "list"])
        await page.send_json_to({"type": "subscribe", "objective": "abc"})
        await page.send_json_to({"type": "subscribe", "objective": True})
        await page.send_json_to({"type": "dance"})
        await page.send_json_to({"type": "ping"})
        assert await page.receive_json_from(timeout=WAIT) == {"type": "pong"}  # still open, nothing else
        assert await subscribe(page, draft.pk) == {"type": "subscribed", "objective": draft.pk}
        await page.send_json_to({"type": "unsubscribe", "objective": draft.pk})
        await page.send_json_to({"type": "ping"})
        assert await page.receive_json_from(timeout=WAIT) == {"type": "pong"}
        await in_thread(act)(draft, "submit", people["dirigente_satta"])
        message = await page.receive_json_from(timeout=WAIT)
        assert message["type"] == "notification"  # the Segreteria's own, not the objective's event
        assert await page.receive_nothing(timeout=QUIET)
        await page.disconnect()

    run(scenario)


# -- catching up after a dropped connection ----------------------------------------------------------------
def test_what_happened_while_disconnected_is_caught_up_from_the_inbox(layer, draft, people):
    satta, segreteria = people["dirigente_satta"], people["segreteria"]
    walk_to(draft, State.SUBMITTED, people)
    browser = Client()
    browser.force_login(satta)
    first, second = socket(satta), socket(satta)

    async def before():
        await connected(first)
        await in_thread(act)(draft, "approve", segreteria)
        seen = await first.receive_json_from(timeout=WAIT)
        await first.disconnect()  # the connection drops
        # while nobody listens: the consultation closes and satta's signature is requested
        await in_thread(act)(draft, "close_consultation", segreteria)
        await connected(second)  # back: nothing is pushed again ...
        assert await second.receive_nothing(timeout=QUIET)
        await second.disconnect()
        return seen

    seen = run(before)
    # ... the page asks the inbox for what is newer than the last id it saw
    data = browser.get("/notifiche/nuove/", {"dopo": seen["id"]}).json()
    missed = Notification.objects.get(recipient=satta, transition="close_consultation")
    assert [n["id"] for n in data["notifications"]] == [missed.pk]
    assert "è chiusa: serve la tua firma." in data["notifications"][0]["text"]
    assert data["unread"] == 2 and data["last"] == missed.pk


def test_an_idle_socket_stays_open_longer_than_the_layers_blocking_pop(layer, draft, people):
    """The Redis layer waits for messages with a 5 s blocking pop: a client-side socket timeout as short
    as that (redis-py 8's default) would tear every idle socket down."""
    communicator = socket(people["segreteria"])

    async def scenario():
        await connected(communicator)
        assert await communicator.receive_nothing(timeout=6.5, interval=0.5)
        await in_thread(act)(draft, "submit", people["dirigente_satta"])
        assert (await communicator.receive_json_from(timeout=WAIT))["event"] == "submit"
        await communicator.disconnect()

    if layer == "memory":
        pytest.skip("only the Redis layer has a blocking pop")
    run(scenario)


def test_a_step_telling_many_people_reaches_every_socket(layer, draft, people, body):
    """More sockets than redis-py's default pool of 100 connections, all in one server process, and one
    step that tells each of them (one message to the body's group): every socket connects and hears its
    own notification (none is refused, none dropped from the process's shared queue), and a person of the
    body who was not told hears nothing."""
    crowd = [member(f"sindacato_{i}", body, Role.SINDACATO) for i in range(120)]
    sockets = [socket(user) for user in crowd]
    untold = socket(people["dirigente_rossi"])
    walk_to(draft, State.SUBMITTED, people)

    async def scenario():
        results = await asyncio.gather(*(s.connect(timeout=10) for s in [*sockets, untold]))
        assert all(ok for ok, _code in results)
        await in_thread(act)(draft, "approve", people["segreteria"])
        heard = await asyncio.gather(*(s.receive_json_from(timeout=10) for s in sockets))
        assert {(m["type"], m["event"]) for m in heard} == {("notification", "approve")}
        mine = {n.recipient_id: n.pk async for n in Notification.objects.filter(transition="approve")}
        assert [m["id"] for m in heard] == [mine[user.pk] for user in crowd]
        assert await untold.receive_nothing(timeout=QUIET)
        await asyncio.gather(*(s.disconnect() for s in [*sockets, untold]))

    run(scenario)


def test_a_role_granted_while_connected_joins_the_bodys_group(layer, draft, people, body, other_body):
    """Someone given a role in another body while their page is open hears that body's crowded changes
    without reconnecting."""
    from flows.services.memberships import membership_grant
    from tests.factories import superuser

    admin = superuser()
    newcomer = member("sindacato_nuovo", other_body, Role.SINDACATO)
    for i in range(12):  # enough people told for one message to the body's group
        member(f"sindacato_cremona_{i}", body, Role.SINDACATO)
    walk_to(draft, State.SUBMITTED, people)
    communicator = socket(newcomer)

    async def scenario():
        await connected(communicator)
        await in_thread(membership_grant)(by=admin, user=newcomer, body=body, role=Role.SINDACATO)
        await asyncio.sleep(0.5)  # the socket rejoins its groups
        await in_thread(act)(draft, "approve", people["segreteria"])
        message = await communicator.receive_json_from(timeout=WAIT)
        note = await Notification.objects.aget(recipient=newcomer, transition="approve")
        assert message == {"type": "notification", "id": note.pk, "objective": draft.pk, "event": "approve"}
        await communicator.disconnect()

    run(scenario)


# -- the socket ends with its session ---------------------------------------------------------------------
LOGOUT = "/uscita/"


def signed_in(user) -> tuple[Client, WebsocketCommunicator]:
    """A browser signed in as ``user`` (its own session) and a socket opened with its cookie."""
    browser = Client()
    browser.force_login(user)
    cookie = f"sessionid={browser.cookies['sessionid'].value}".encode()
    headers = [(b"host", b"testserver"), (b"origin", b"http://testserver"), (b"cookie", cookie)]
    return browser, WebsocketCommunicator(application, PATH, headers=headers)


async def closed(communicator) -> int:
    """The close code the server sent, failing if it sent anything else first."""
    output = await communicator.receive_output(timeout=WAIT)
    assert output["type"] == "websocket.close", output
    return output["code"]


def test_logging_out_closes_the_sockets_of_that_session_only(layer, draft, people):
    segreteria = people["segreteria"]
    browser, tab = signed_in(segreteria)
    _, other_tab = signed_in(segreteria)  # the same person in another browser: another session
    second_tab = WebsocketCommunicator(application, PATH, headers=tab.scope["headers"])  # same session

    async def scenario():
        for communicator in (tab, second_tab, other_tab):
            await connected(communicator)
        response = await in_thread(browser.post)(LOGOUT)
        assert response.status_code == 302
        assert await closed(tab) == CLOSE_UNAUTHENTICATED
        assert await closed(second_tab) == CLOSE_UNAUTHENTICATED
        # the other session still hears what is meant for its user
        await in_thread(act)(draft, "submit", people["dirigente_satta"])
        assert (await other_tab.receive_json_from(timeout=WAIT))["event"] == "submit"
        assert await other_tab.receive_nothing(timeout=QUIET)
        await other_tab.disconnect()

    run(scenario)


@pytest.mark.parametrize("how", ["deleted", "expired", "password_changed", "deactivated"])
def test_a_socket_whose_session_ended_is_closed_at_its_next_event(layer, draft, people, how):
    segreteria = people["segreteria"]
    browser, tab = signed_in(segreteria)
    session_key = browser.session.session_key

    def end_session():
        sessions = Session.objects.filter(session_key=session_key)
        if how == "deleted":
            sessions.delete()
        elif how == "expired":
            sessions.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
        elif how == "password_changed":
            segreteria.set_password("una-nuova-password-lunga")
            segreteria.save()
        else:
            User.objects.filter(pk=segreteria.pk).update(is_active=False)

    async def scenario():
        await connected(tab)
        assert await subscribe(tab, draft.pk) == {"type": "subscribed", "objective": draft.pk}
        await in_thread(end_session)()
        assert await tab.receive_nothing(timeout=QUIET)  # nothing happened yet: the socket waits
        await in_thread(act)(draft, "submit", people["dirigente_satta"])  # a notification and an event
        assert await closed(tab) == CLOSE_UNAUTHENTICATED  # instead of either
        assert await tab.receive_nothing(timeout=QUIET)

    run(scenario)


def test_a_socket_whose_session_ended_cannot_subscribe(layer, draft, people):
    browser, tab = signed_in(people["segreteria"])
    session_key = browser.session.session_key

    async def scenario():
        await connected(tab)
        await in_thread(Session.objects.filter(session_key=session_key).delete)()
        await tab.send_json_to({"type": "subscribe", "objective": draft.pk})
        assert await closed(tab) == CLOSE_UNAUTHENTICATED

    run(scenario)


def test_an_operations_progress_reaches_only_who_started_it(layer, draft, people):
    """A closing running in the task queue tells its stages to the sockets of the person who started it,
    by id only; the status view gives the rest."""
    from notifications import delivery

    segreteria = people["segreteria"]
    sockets = {name: socket(people[name]) for name in ("segreteria", "segretario")}
    operation_id = str(uuid.uuid4())

    async def scenario():
        for communicator in sockets.values():
            await connected(communicator)
        message = delivery.operation_message(operation_id=operation_id, recipient_id=segreteria.pk)
        await in_thread(delivery.push)([message])
        told = await sockets["segreteria"].receive_json_from(timeout=WAIT)
        assert told == {"type": "operation", "operation": operation_id}
        assert await sockets["segretario"].receive_nothing(timeout=QUIET)
        for communicator in sockets.values():
            await communicator.disconnect()

    run(scenario)
