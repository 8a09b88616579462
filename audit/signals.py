"""Logins, logouts, failed logins, lock-outs and unlocks go into the evidence log (connected in
AuditConfig.ready, after django-axes's own receivers, so that a failure is seen as axes counted it).

They concern a person, not one body: ``body_id`` stays empty and the entry points at the user, so that each
body's change log shows the entries of its own people (audit.selectors). A failed login records the username
that was tried, and never the password.

Failed logins do not each append to the chain (each append takes the chain's one lock): a series of
failures of one username from one address (django-axes's count, kept until the pair logs in, is unlocked,
or stays quiet for the cool-off period) records its first failure, then one lock-out entry with the number
of failures when the series reaches the limit. Attempts refused while the pair is locked record nothing
(axes does not count them either). So a pair leaves at most two entries per cool-off period, however many
passwords are tried.
"""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.contrib.auth import get_user_model
from django.db import transaction

from . import services
from .logins import client_ip

LOGIN, LOGOUT, LOGIN_FAILED = "auth.login", "auth.logout", "auth.login_failed"
LOCKOUT, UNLOCK = "auth.lockout", "auth.unlock"


def _client(request) -> dict:
    if request is None:
        return {}
    return {"ip": client_ip(request) or ""}


def logged_in(sender, request, user, **kwargs):
    with transaction.atomic():
        services.record(action=LOGIN, by=user, obj=user, data=_client(request))


def logged_out(sender, request, user, **kwargs):
    if user is None:  # a logout without a session: nobody to name
        return
    with transaction.atomic():
        services.record(action=LOGOUT, by=user, obj=user, data=_client(request))


def login_failed(sender, credentials, request=None, **kwargs):
    # What django-axes made of this failure (its receiver ran first): the failures of the series so far,
    # None when it did not count this one (axes disabled, or the pair was already locked).
    failures = getattr(request, "axes_failures_since_start", None)
    locked = bool(getattr(request, "axes_locked_out", False))
    if locked and failures is None:
        return  # refused because the pair is locked: its lock-out entry is already in the chain
    if failures is not None and failures > 1 and not locked:
        return  # a later failure of a series: the first is recorded, the lock-out entry gives the count
    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD, "") or "")[:150]
    target = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    data = {"username": username, **_client(request)}
    action = LOGIN_FAILED
    if locked:
        action = LOCKOUT
        data["failures"] = failures
        period = get_cool_off(request)
        data["minutes"] = round(period.total_seconds() / 60) if period else None
    with transaction.atomic():
        services.record(action=action, obj=target, data=data)
