"""Who holds which role in which body, and what that lets them do with one objective.

Roles are held per body (Membership): a role in a body is what lets its holder act there, and every
function here answers for one body (a role in another body grants nothing). The responsible dirigente of
an objective is the one its ``responsible`` names; guardian object permissions carry what only they know,
the delegations (``workflow.change_objective`` on one draft). Django groups carry each role's model-level
permissions for the admin; the services keep them, the guardian permission ``workflow.manage_objective``
and ``responsible`` in step (flows.services.memberships, flows.services.content).

Each check reads the roles once per user object (``roles_in``) and the objective already loaded: a step
asks the database nothing more to decide who may take it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from .models import UNION_VISIBLE_STATES, Body, Membership, Objective, Role, State

SEGRETERIA_ROLES = frozenset({Role.SEGRETERIA, Role.SEGRETARIO})
READ_ALL_ROLES = frozenset({Role.DIRIGENTE, Role.SEGRETERIA, Role.SEGRETARIO, Role.REVISORE})

# Django groups, one per role. Migration 0002_role_groups creates them with their model-level permissions.
GROUPS = {
    Role.DIRIGENTE: "Dirigenti",
    Role.FUNZIONARIO: "Funzionari",
    Role.SEGRETERIA: "Segreteria Generale",
    Role.SEGRETARIO: "Segretario Generale",
    Role.REVISORE: "Revisori (NIV/OIV)",
    Role.SINDACATO: "Rappresentanze sindacali",
    Role.AMMINISTRATORE: "Amministratori",
}


def roles_in(user, body: Body | int | None) -> frozenset[str]:
    """The roles ``user`` holds in ``body`` (cached on the user object for the request)."""
    if body is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    body_id = body if isinstance(body, int) else body.pk
    cache = getattr(user, "_roles_cache", None)
    if cache is None:
        cache = {}
        for b, r in Membership.objects.filter(user=user).values_list("body_id", "role"):
            cache.setdefault(b, set()).add(r)
        user._roles_cache = cache
    return frozenset(cache.get(body_id, ()))


def forget_roles(user) -> None:
    if hasattr(user, "_roles_cache"):
        del user._roles_cache


def bodies_of(user) -> list[Body]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Body.objects.filter(memberships__user=user).distinct().order_by("name"))


def is_segreteria(user, body) -> bool:
    return user.is_active and bool(roles_in(user, body) & SEGRETERIA_ROLES)


def is_segretario(user, body) -> bool:
    return Role.SEGRETARIO in roles_in(user, body)


def is_revisore(user, body) -> bool:
    return Role.REVISORE in roles_in(user, body)


def is_responsible(user, objective: Objective) -> bool:
    """The responsible dirigente: an active Dirigente of the objective's body whom the objective names (a
    superuser with the role answers for every objective of the body, as their permissions say)."""
    return (
        user.is_active
        and (objective.responsible_id == user.pk or user.is_superuser)
        and Role.DIRIGENTE in roles_in(user, objective.plan.body_id)
    )


def is_delegate(user, objective: Objective) -> bool:
    return (
        Role.FUNZIONARIO in roles_in(user, objective.plan.body_id)
        and not is_responsible(user, objective)
        and user.has_perm("workflow.change_objective", objective)
    )


def can_view(user, objective: Objective) -> bool:
    roles = roles_in(user, objective.plan.body_id)
    if roles & READ_ALL_ROLES:
        return True
    if Role.SINDACATO in roles and objective.state in UNION_VISIBLE_STATES:
        return True
    # A funzionario sees only the drafts delegated to them (DESIGN.md, "People").
    return (
        Role.FUNZIONARIO in roles
        and objective.state == State.DRAFTING
        and user.has_perm("workflow.change_objective", objective)
    )


def can_edit(user, objective: Objective) -> bool:
    """Content edits: drafts only, by the responsible dirigente or a delegate."""
    if objective.state != State.DRAFTING:
        return False
    return is_responsible(user, objective) or is_delegate(user, objective)


def can_create_in(user, body) -> bool:
    roles = roles_in(user, body)
    return bool(roles & (SEGRETERIA_ROLES | {Role.DIRIGENTE})) and user.has_perm("workflow.add_objective")


def can_delegate(user, objective: Objective) -> bool:
    return objective.state == State.DRAFTING and is_responsible(user, objective)


def segretari_of(body_id: int):
    return get_user_model().objects.filter(
        memberships__body_id=body_id, memberships__role=Role.SEGRETARIO, is_active=True
    )


def administered_bodies(user):
    """The bodies whose people and roles ``user`` manages: all for a superuser, else where Amministratore."""
    if user.is_superuser:
        return Body.objects.all()
    return Body.objects.filter(memberships__user=user, memberships__role=Role.AMMINISTRATORE).distinct()
