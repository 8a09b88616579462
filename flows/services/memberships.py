"""Roles held in a body: granting one adds the person to the role's group (model-level permissions)."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

import audit.services as audit
from notifications import delivery
from workflow import access
from workflow.models import Membership

from .. import errors


def _may_manage(by, body) -> bool:
    return by.is_superuser or access.Role.AMMINISTRATORE in access.roles_in(by, body)


def _tell_sockets(user) -> None:
    """After commit, the person's open sockets join the groups of their bodies again (live notifications
    told to many people of a body go to its group)."""
    delivery.enqueue(messages=[delivery.memberships_message(user_id=user.pk)], notification_ids=[])


def membership_grant(*, by, user, body, role: str, responsibility_center: str = "") -> Membership:
    if not _may_manage(by, body):
        raise errors.Forbidden("Solo un amministratore dell'ente può assegnare i ruoli.")
    if role not in access.GROUPS:
        raise errors.InvalidInput(f"Ruolo sconosciuto: «{role}».")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, body=body, role=role, defaults={"responsibility_center": responsibility_center}
        )
        if not created and membership.responsibility_center != responsibility_center:
            membership.responsibility_center = responsibility_center
            membership.save(update_fields=["responsibility_center"])
        user.groups.add(Group.objects.get(name=access.GROUPS[role]))
        access.forget_roles(user)
        _tell_sockets(user)
        audit.record(
            action="permission.role_grant",
            by=by,
            obj=membership,
            body_id=body.pk,
            data={"user": user.get_username(), "role": role, "responsibility_center": responsibility_center},
        )
    return membership


def membership_revoke(*, by, membership: Membership) -> None:
    body, user, role = membership.body, membership.user, membership.role
    if not _may_manage(by, body):
        raise errors.Forbidden("Solo un amministratore dell'ente può revocare i ruoli.")
    with transaction.atomic():
        audit.record(
            action="permission.role_revoke",
            by=by,
            obj=membership,
            body_id=body.pk,
            data={"user": user.get_username(), "role": role},
        )
        membership.delete()
        if not Membership.objects.filter(user=user, role=role).exists():
            user.groups.remove(Group.objects.get(name=access.GROUPS[role]))
        access.forget_roles(user)
        _tell_sockets(user)
