"""The browser's socket: ``/ws/notifications/``.

A signed-in user's socket joins ``user.<id>`` and, on ``{"type": "subscribe", "objective": <id>}`` for an
objective they may see, ``objective.<id>``. Visibility is checked on subscribe and again for every event,
because it changes with the state (a union representative sees nothing of a draft). Messages carry ids and
event types only; the page fetches text and content over the normal permission-checked views.

The socket also joins the group of its session: logging out closes it, and a session that ended otherwise
(expired, deleted, no longer verifying) closes it at its next event (``sessions``).
"""

from __future__ import annotations

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from workflow.models import Membership
from workflow.selectors import objectives_visible_to

from .delivery import body_group, objective_group, user_group
from .sessions import session_group, session_is_valid

CLOSE_UNAUTHENTICATED = 4401  # refused at the handshake, or closed when its session has ended
MAX_SUBSCRIPTIONS = 20


@database_sync_to_async
def _may_see(user, objective_id: int) -> bool:
    return objectives_visible_to(user).filter(pk=objective_id).exists()


_session_is_valid = database_sync_to_async(session_is_valid)


@database_sync_to_async
def _bodies_of(user_id: int) -> set[int]:
    return set(Membership.objects.filter(user_id=user_id).values_list("body_id", flat=True))


def _objective_id(content) -> int | None:
    value = content.get("objective")
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        self.user = None
        self.session_key = None
        self.ended = False  # closed because its session ended: nothing more is sent
        self.objectives: set[int] = set()
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=CLOSE_UNAUTHENTICATED)  # before accept: the handshake is refused
            return
        self.user = user
        session = self.scope.get("session")
        self.session_key = session.session_key if session is not None else None
        await self.channel_layer.group_add(user_group(user.pk), self.channel_name)
        if self.session_key:
            await self.channel_layer.group_add(session_group(self.session_key), self.channel_name)
        self.bodies: set[int] = set()
        await self._join_bodies()
        await self.accept()

    async def _join_bodies(self):
        """Join the groups of the bodies the person holds a role in (a change that tells many people of a
        body reaches them with one message to its group), and leave those of bodies they left."""
        bodies = await _bodies_of(self.user.pk)
        for body_id in bodies - self.bodies:
            await self.channel_layer.group_add(body_group(body_id), self.channel_name)
        for body_id in self.bodies - bodies:
            await self.channel_layer.group_discard(body_group(body_id), self.channel_name)
        self.bodies = bodies

    async def disconnect(self, code):
        if self.user is None:
            return
        await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)
        for body_id in getattr(self, "bodies", ()):
            await self.channel_layer.group_discard(body_group(body_id), self.channel_name)
        if self.session_key:
            await self.channel_layer.group_discard(session_group(self.session_key), self.channel_name)
        for objective_id in self.objectives:
            await self.channel_layer.group_discard(objective_group(objective_id), self.channel_name)

    @classmethod
    async def decode_json(cls, text_data):
        try:
            content = json.loads(text_data)
        except ValueError:
            return {}
        return content if isinstance(content, dict) else {}

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        if self.ended:
            return
        if kind == "ping":
            await self.send_json({"type": "pong"})
            return
        if kind not in ("subscribe", "unsubscribe"):
            return
        objective_id = _objective_id(content)
        if objective_id is None:
            return
        if kind == "unsubscribe":
            if objective_id in self.objectives:
                self.objectives.discard(objective_id)
                await self.channel_layer.group_discard(objective_group(objective_id), self.channel_name)
            return
        if not await self._session_alive():
            return
        if len(self.objectives) >= MAX_SUBSCRIPTIONS or not await _may_see(self.user, objective_id):
            # The same answer whether the objective does not exist or may not be seen.
            await self.send_json({"type": "refused", "objective": objective_id})
            return
        self.objectives.add(objective_id)
        await self.channel_layer.group_add(objective_group(objective_id), self.channel_name)
        await self.send_json({"type": "subscribed", "objective": objective_id})

    async def _session_alive(self) -> bool:
        """False, with the socket closed, once the session it was opened with has ended."""
        if not self.ended and await _session_is_valid(self.session_key, self.user.pk):
            return True
        await self._end()
        return False

    async def _end(self):
        if not self.ended:
            self.ended = True
            await self.close(code=CLOSE_UNAUTHENTICATED)

    # -- messages from the channel layer -----------------------------------------------------------
    async def session_close(self, event):
        """The session logged out (``sessions.on_logout``)."""
        await self._end()

    async def notification_new(self, event):
        if self.user is None or event.get("recipient") != self.user.pk:
            return
        await self._tell(event["id"], event.get("objective"), event.get("event"))

    async def notification_many(self, event):
        """One message to a body's group naming the notification of each person told: this socket sends
        on its person's part, if any (the last, as ``notification_new`` would have)."""
        if self.user is None:
            return
        mine = [item for item in event.get("told", ()) if item[0] == self.user.pk]
        if mine:
            _recipient, notification_id, objective_id, kind = mine[-1]
            await self._tell(notification_id, objective_id, kind)

    async def _tell(self, notification_id, objective_id, kind):
        if not await self._session_alive():
            return
        await self.send_json(
            {"type": "notification", "id": notification_id, "objective": objective_id, "event": kind}
        )

    async def memberships_changed(self, event):
        """The person's roles changed (flows.services.memberships): the body groups follow."""
        if self.user is not None and not self.ended:
            await self._join_bodies()

    async def operation_progress(self, event):
        """An operation this person started moved on: the page showing it reads its state again."""
        if self.user is None or event.get("recipient") != self.user.pk:
            return
        if not await self._session_alive():
            return
        await self.send_json({"type": "operation", "operation": event.get("operation")})

    async def objective_event(self, event):
        objective_id = event.get("objective")
        if self.user is None or objective_id not in self.objectives:
            return
        if not await self._session_alive() or not await _may_see(self.user, objective_id):
            return
        await self.send_json(
            {
                "type": "objective",
                "objective": objective_id,
                "event": event.get("event"),
                "actor": event.get("actor"),
            }
        )
