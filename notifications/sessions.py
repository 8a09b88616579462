"""A socket lives no longer than the session it was opened with.

- Logging out closes the sockets of that session at once: each socket joins the group of its session
  (named after a hash of the session key, which is a secret and must not appear in the channel layer), and
  ``user_logged_out`` sends that group a close message after commit. Other sessions of the same person
  (another browser) keep their sockets.
- A session that ends otherwise (it expired, was deleted, or no longer verifies because the password
  changed or the user was deactivated) is noticed at the socket's next event: before sending anything,
  the consumer asks ``session_is_valid`` (two indexed reads) and closes the socket if not.
"""

from __future__ import annotations

import hashlib
from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.db import transaction
from django.utils.crypto import constant_time_compare

from .delivery import push

# Consumer handler the message is dispatched to (type "session.close" -> session_close).
SESSION_CLOSE = "session.close"


def session_group(session_key: str) -> str:
    return "session." + hashlib.sha256(session_key.encode()).hexdigest()[:40]


def close_session_sockets(session_key: str) -> None:
    """Close, after commit, every socket opened with the session ``session_key``."""
    message = (session_group(session_key), {"type": SESSION_CLOSE})
    transaction.on_commit(lambda: push([message]), robust=True)


def on_logout(sender, request, user, **kwargs) -> None:
    """``user_logged_out`` receiver: runs before the session is flushed, while its key is still known."""
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        close_session_sockets(session_key)


def session_is_valid(session_key: str | None, user_id: int) -> bool:
    """Would a page opened with this session still be signed in as ``user_id``? The session must exist and
    not be expired, name the same user, who is active, with the hash of the password it was opened with
    (as ``django.contrib.auth.get_user`` checks, without its side effects on the session)."""
    if not session_key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    data = store.load()  # empty when the session does not exist or has expired
    if data.get(SESSION_KEY) != str(user_id):
        return False
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    session_hash = data.get(HASH_SESSION_KEY) or ""
    return bool(session_hash) and any(
        constant_time_compare(session_hash, known)
        for known in (user.get_session_auth_hash(), *user.get_session_auth_fallback_hash())
    )
