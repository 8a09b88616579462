"""Lifting a login lock (django-axes) before its cool-off ends: a body's Amministratore for the people who
hold a role in one of the bodies they administer, a superuser for anyone. Recorded in the evidence log; a
password reset by e-mail lifts the locks of its own account the same way (``by`` is then the account)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db import transaction

import audit.services as audit
from audit.logins import may_unlock
from audit.signals import UNLOCK

from .. import errors

UNLOCK_FORBIDDEN = "Puoi sbloccare solo l'accesso delle persone degli enti che amministri."
NOT_LOCKED = "L'accesso di «{username}» non è bloccato."


def login_unlock(*, by, username: str) -> int:
    """Remove every counted failure of ``username`` (from any address). Returns how many attempt rows went."""
    if not may_unlock(by, username):
        raise errors.Forbidden(UNLOCK_FORBIDDEN)
    if not username or "\x00" in username:  # no login was ever counted under such a name
        raise errors.InvalidInput(NOT_LOCKED.format(username=username.replace("\x00", "")))
    count = _unlock(by=by, username=username, reason="amministratore")
    if not count:
        raise errors.InvalidInput(NOT_LOCKED.format(username=username))
    return count


def login_unlock_after_reset(*, user) -> int:
    """A password just reset through the e-mailed link: whoever set it controls the profile's e-mail, so the
    account's own failures no longer count (nothing is recorded when there were none)."""
    return _unlock(by=user, username=user.get_username(), reason="password reimpostata")


def _unlock(*, by, username: str, reason: str) -> int:
    User = get_user_model()
    with transaction.atomic():
        attempts = AccessAttempt.objects.select_for_update().filter(username=username)
        rows = list(attempts.values_list("ip_address", "failures_since_start"))
        if not rows:
            return 0
        attempts.delete()
        audit.record(
            action=UNLOCK,
            by=by,
            obj=User._default_manager.filter(**{User.USERNAME_FIELD: username}).first(),
            data={
                "username": username,
                "addresses": sorted({ip or "" for ip, _ in rows}),
                "failures": sum(n for _, n in rows),
                "reason": reason,
            },
        )
    return len(rows)
