"""Steps every objective use case shares: the permission-filtered locked fetch and the stale check."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from workflow import access
from workflow.models import Objective

from .. import errors


def lock_objectives(*, objective_ids, by) -> dict[int, Objective]:
    """Lock the objectives' rows in one statement, in ascending id order (two calls lock rows in the same
    order), then keep those ``by`` may see, decided from what is loaded (``access.can_view``: the roles in
    the body, read once per user object; guardian is asked only for a funzionario's delegation). The ones
    left out are "not found" to the caller, exactly like those that do not exist; the transaction that
    locked them is rolled back by that refusal."""
    # Read with it, not locked (``of``): its plan and body, which every step reads, its strategic objective
    # and responsible, which a publication's snapshot keeps.
    rows = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("plan__body", "strategic_objective", "responsible")
        .filter(pk__in=list(objective_ids))
        .order_by("pk")
    )
    active = getattr(by, "is_active", False)
    return {objective.pk: objective for objective in rows if active and access.can_view(by, objective)}


def lock_objective(*, objective_id, by) -> Objective:
    """One objective locked as ``lock_objectives`` does: Objective.DoesNotExist if ``by`` may not see it."""
    objective = lock_objectives(objective_ids=[objective_id], by=by).get(int(objective_id))
    if objective is None:
        raise Objective.DoesNotExist(errors.NOT_FOUND)
    return objective


def check_fresh(
    objective: Objective, lock_version: int | None, *, by=None, messages=(errors.STALE, errors.STALE_SELF)
) -> None:
    """Refuse a change made on a page older than the objective (``lock_version`` is the one it showed).
    Any model with ``lock_version``, ``updated_at`` and ``updated_by`` (a progress report) passes its own
    ``messages``: changed by someone else, changed by the same person."""
    if lock_version is None or int(lock_version) == objective.lock_version:
        return
    stale, stale_self = messages
    when = f"{timezone.localtime(objective.updated_at):%H:%M}"
    editor = objective.updated_by
    if editor is not None and by is not None and editor.pk == by.pk:
        raise errors.StaleObjective(stale_self.format(when=when))
    who = (editor.get_full_name() or editor.get_username()) if editor else "un altro utente"
    raise errors.StaleObjective(stale.format(who=who, when=when))


def save_with_history(instance, *, by, reason: str, **kwargs) -> None:
    """Save a tracked model so that its history row names the acting user and the reason."""
    instance._history_user = by
    instance._change_reason = reason
    if hasattr(instance, "updated_by_id"):
        instance.updated_by = by
    instance.save(**kwargs)


def save_many_with_history(objs: list, *, by, reasons: list[str], update_fields) -> None:
    """What ``save_with_history`` does for each of ``objs`` (rows of one model, locked by the caller),
    in two statements whatever their number: one UPDATE of ``update_fields`` for all of them, one INSERT
    of all their history rows (each naming ``by`` and its own reason). The model's save rules are kept:
    its lock version bumped (``bump_lock_version``), its ``auto_now`` fields set."""
    model = type(objs[0])
    fields = [model._meta.get_field(name) for name in update_fields]
    now = timezone.now()
    for obj, reason in zip(objs, reasons, strict=True):
        obj._history_user = by
        obj._change_reason = reason
        if hasattr(obj, "updated_by_id"):
            obj.updated_by = by
        bump = getattr(obj, "bump_lock_version", None)
        if bump is not None:
            bump()
        for field in fields:
            if getattr(field, "auto_now", False):
                setattr(obj, field.attname, now)  # the auto_now fields: the time of the save, one for all
    _update_grouped(model, objs, list(update_fields))
    model.history.bulk_history_create(objs, update=True, default_date=now)


def _update_grouped(model, objs: list, update_fields: list[str]) -> None:
    """One UPDATE per distinct set of values (a batch's objectives usually share them all), rather than
    Django's bulk_update and its CASE per field and row. The lock version, different on every row, is
    bumped in the database (the rows are locked, so the value read is the value there: it gives what
    ``bump_lock_version`` gave in memory)."""
    bumped = hasattr(model, "bump_lock_version") and "lock_version" in update_fields
    names = [name for name in update_fields if not (bumped and name == "lock_version")]
    attnames = [model._meta.get_field(name).attname for name in names]
    groups: dict[tuple, list[int]] = {}
    for obj in objs:
        groups.setdefault(tuple(getattr(obj, a) for a in attnames), []).append(obj.pk)
    for values, pks in groups.items():
        changes = dict(zip(attnames, values, strict=True))
        if bumped:
            changes["lock_version"] = F("lock_version") + 1
        model.objects.filter(pk__in=pks).update(**changes)


def delete_with_history(instance, *, by, reason: str) -> None:
    instance._history_user = by
    instance._change_reason = reason
    instance.delete()
