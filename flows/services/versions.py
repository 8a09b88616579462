"""Restoring an earlier version of a draft: its content, phases and indicators come back as a new version.

History is never rewritten: the restore saves new history records whose reason names the version restored,
and leaves one evidence entry. Rows deleted since that version come back with their own ids, so a diff
shows them as the same rows they were.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import formats, timezone

import audit.services as audit
from audit import versions
from notifications.services import notify_transition
from workflow import access
from workflow.content import OBJECTIVE
from workflow.models import Indicator, Objective, Phase, State, StrategicObjective

from .. import errors
from .common import check_fresh, lock_objective, save_with_history
from .content import ROW_FIELDS, rows_sync

RESTORE_FORBIDDEN = (
    "Solo la Segreteria Generale o il dirigente responsabile possono ripristinare una versione "
    "dell'obiettivo."
)
RESTORE_NOT_DRAFT = "Si può ripristinare una versione solo di un obiettivo in redazione."
VERSION_NOT_FOUND = "La versione scelta non è una versione di questo obiettivo."
STRATEGIC_GONE = "L'obiettivo strategico della versione scelta non è più nel piano: non si può ripristinare."
NOTHING_TO_RESTORE = "La versione scelta coincide con il contenuto attuale: non c'è nulla da ripristinare."
RESTORE_REASON = "Ripristino della versione {number} del {when}: {reason}"
RESTORE_EVENT = "restore"


def may_restore(user, objective: Objective) -> bool:
    """Who may restore, before the state is considered: the Segreteria or the responsible dirigente."""
    return access.is_segreteria(user, objective.plan.body_id) or access.is_responsible(user, objective)


def objective_restore(
    *, objective_id: int, by, history_id: int, lock_version: int | None, reason: str
) -> Objective:
    """Make the content of version ``history_id`` the current content of a draft, as a new version."""
    reason = (reason or "").strip()
    with transaction.atomic():
        objective = lock_objective(objective_id=objective_id, by=by)
        check_fresh(objective, lock_version, by=by)
        if not may_restore(by, objective):
            raise errors.Forbidden(RESTORE_FORBIDDEN)
        if objective.state != State.DRAFTING:
            raise errors.Forbidden(RESTORE_NOT_DRAFT)
        if not reason:
            raise errors.InvalidInput(errors.REASON_REQUIRED)
        try:
            target = versions.snapshot(objective.pk, int(history_id))
        except (LookupError, TypeError, ValueError) as exc:
            raise errors.InvalidInput(VERSION_NOT_FOUND) from exc
        record = target.version.record
        strategic_id = record.strategic_objective_id
        if (
            strategic_id
            and not StrategicObjective.objects.filter(pk=strategic_id, plan=objective.plan).exists()
        ):
            raise errors.InvalidInput(STRATEGIC_GONE)

        when = formats.date_format(timezone.localtime(target.version.date), "d/m/Y H:i:s")
        history_reason = RESTORE_REASON.format(number=target.version.number, when=when, reason=reason)
        changed = []
        for f in OBJECTIVE.content:
            attname = Objective._meta.get_field(f.name).attname
            value = getattr(record, attname)
            if getattr(objective, attname) != value:
                setattr(objective, attname, value)
                changed.append(f.name)
        rows_changed = sum(
            rows_sync(
                objective=objective,
                model=model,
                rows=_rows_as_of(objective, model, wanted),
                by=by,
                reason=history_reason,
                revive=True,
            )
            for model, wanted in ((Phase, target.phases), (Indicator, target.indicators))
        )
        if not changed and not rows_changed:
            raise errors.InvalidInput(NOTHING_TO_RESTORE)
        save_with_history(objective, by=by, reason=history_reason)  # last: it closes the operation
        audit.record(
            action="objective.restore",
            by=by,
            obj=objective,
            body_id=objective.plan.body_id,
            data={
                "code": objective.code,
                "version": target.version.number,
                "history_id": record.history_id,
                "version_date": target.version.date.isoformat(),
                "fields": changed,
                "rows_changed": rows_changed,
                "reason": reason,
            },
        )
        # Like a content edit, the open pages of the objective hear of it; and the people who work on the
        # draft are told, since its content changed under them.
        notify_transition(objective=objective, transition=RESTORE_EVENT, by=by, comment=reason)
    return objective


def _rows_as_of(objective, model, records) -> list[dict]:
    """The rows of a version (history records) as rows_sync takes them: the rows since added deleted, the
    others with the values and position they had, each with its own id."""
    wanted = {r.id for r in records}
    current = model.objects.filter(objective=objective).values_list("pk", flat=True)
    gone = [{"id": pk, "delete": True} for pk in current if pk not in wanted]
    names = (*(f.name for f in ROW_FIELDS[model]), "position")
    return gone + [{"id": r.id, **{n: getattr(r, n) for n in names}} for r in records]
