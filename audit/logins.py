"""The login lock (django-axes, configured in the settings' "Login" block): the client's address, the
message a locked pair reads, and which locks an Amministratore may see and lift.

The client's address: behind reverse proxies REMOTE_ADDR is the nearest proxy. With TRUSTED_PROXY_COUNT
proxies in front of the server, each appending the address it was reached from to X-Forwarded-For, the
client is the entry that many places from the right; the entries further left were written by the client
and are never trusted. An address that does not parse falls back to REMOTE_ADDR, so a forged header can
neither break the login nor choose the address that gets locked.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Sum
from django.utils import timezone

from workflow import access
from workflow.models import Membership

LOCKED_OUT = (
    "Troppi tentativi di accesso non riusciti: per sicurezza l'accesso con questo nome utente da questo "
    "indirizzo è bloccato per {minutes} minuti. Riprova più tardi, reimposta la password con «Password "
    "dimenticata?» oppure chiedi all'amministratore del tuo ente di sbloccare l'accesso."
)
LOCKED_OUT_UNTIL_UNLOCKED = (
    "Troppi tentativi di accesso non riusciti: per sicurezza l'accesso con questo nome utente da questo "
    "indirizzo è bloccato. Reimposta la password con «Password dimenticata?» oppure chiedi "
    "all'amministratore del tuo ente di sbloccare l'accesso."
)


def _address(text: str) -> str | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [IPv6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # IPv4:port
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address the request came from (AXES_CLIENT_IP_CALLABLE, and the evidence log's ``ip``)."""
    meta = getattr(request, "META", {}) if request is not None else {}
    remote = _address(meta.get("REMOTE_ADDR") or "")
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [part for part in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if part.strip()]
    if len(forwarded) < count:  # the request did not come through every proxy
        return remote
    return _address(forwarded[-count]) or remote


def lockout_message() -> str:
    period = get_cool_off()
    if period is None:
        return LOCKED_OUT_UNTIL_UNLOCKED
    return LOCKED_OUT.format(minutes=max(1, round(period.total_seconds() / 60)))


@dataclass(frozen=True)
class Lock:
    username: str
    ip_address: str | None
    failures: int
    last_attempt: datetime
    user: object | None  # the account of that username, when there is one

    @property
    def until(self) -> datetime | None:
        period = get_cool_off()
        return self.last_attempt + period if period else None


def _unlockable_usernames(user) -> set[str] | None:
    """The usernames whose locks ``user`` may lift: None for all (a superuser), else the people who hold a
    role in a body ``user`` administers."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    bodies = access.administered_bodies(user)
    return set(Membership.objects.filter(body__in=bodies).values_list("user__username", flat=True))


def may_unlock(user, username: str) -> bool:
    allowed = _unlockable_usernames(user)
    return allowed is None or username in allowed


def locks_visible_to(user) -> list[Lock]:
    """The pairs (username, address) locked now, among those ``user`` may unlock, newest first."""
    allowed = _unlockable_usernames(user)
    if allowed is not None and not allowed:
        return []
    attempts = AccessAttempt.objects.all()
    period = get_cool_off()
    if period:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - period)
    if allowed is not None:
        attempts = attempts.filter(username__in=allowed)
    rows = (
        attempts.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last", "username")
    )
    users = {
        u.get_username(): u
        for u in get_user_model()._default_manager.filter(username__in={r["username"] for r in rows})
    }
    return [
        Lock(r["username"] or "", r["ip_address"], r["failures"], r["last"], users.get(r["username"]))
        for r in rows
    ]
