"""Logins, logouts and failed logins go into the evidence log (connected in AuditConfig.ready).

They concern a person, not one body: ``body_id`` stays empty and the entry points at the user, so that each
body's change log shows the entries of its own people (audit.selectors). A failed login records the username
that was tried, and never the password.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from . import services

LOGIN, LOGOUT, LOGIN_FAILED = "auth.login", "auth.logout", "auth.login_failed"


def _client(request) -> dict:
    if request is None:
        return {}
    return {"ip": request.META.get("REMOTE_ADDR", "")}


def logged_in(sender, request, user, **kwargs):
    with transaction.atomic():
        services.record(action=LOGIN, by=user, obj=user, data=_client(request))


def logged_out(sender, request, user, **kwargs):
    if user is None:  # a logout without a session: nobody to name
        return
    with transaction.atomic():
        services.record(action=LOGOUT, by=user, obj=user, data=_client(request))


def login_failed(sender, credentials, request=None, **kwargs):
    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD, "") or "")[:150]
    target = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    with transaction.atomic():
        services.record(action=LOGIN_FAILED, obj=target, data={"username": username, **_client(request)})
