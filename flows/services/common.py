"""Steps every objective use case shares: the permission-filtered locked fetch and the stale check."""

from __future__ import annotations

from django.utils import timezone

from workflow.models import Objective
from workflow.selectors import objectives_visible_to

from .. import errors


def lock_objective(*, objective_id, by) -> Objective:
    """Fetch through the visibility selector, then lock the row for the rest of the transaction.

    An objective the user may not see is "not found", exactly like one that does not exist.
    """
    # One statement: the visibility selector has no DISTINCT and no outer join, so its rows can be locked
    # directly; ``of`` keeps the lock on the objective (not on its plan and body, which every step reads).
    try:
        return (
            objectives_visible_to(by)
            .select_for_update(of=("self",))
            .select_related("plan__body")
            .get(pk=objective_id)
        )
    except Objective.DoesNotExist:
        raise Objective.DoesNotExist(errors.NOT_FOUND) from None


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


def delete_with_history(instance, *, by, reason: str) -> None:
    instance._history_user = by
    instance._change_reason = reason
    instance.delete()
