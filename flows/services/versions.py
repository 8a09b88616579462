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
from workflow.models import Indicator, Objective, Phase, State, StrategicObjective

from .. import errors
from .common import check_fresh, delete_with_history, lock_objective, save_with_history

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
        for name in versions.RESTORABLE_FIELDS:
            attname = Objective._meta.get_field(name).attname
            value = getattr(record, attname)
            if getattr(objective, attname) != value:
                setattr(objective, attname, value)
                changed.append(name)
        rows_changed = _restore_rows(
            objective, Phase, target.phases, versions.PHASE_FIELDS, by, history_reason
        )
        rows_changed += _restore_rows(
            objective, Indicator, target.indicators, versions.INDICATOR_FIELDS, by, history_reason
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


def _restore_rows(objective, model, wanted_rows, field_names, by, reason) -> int:
    current = {row.pk: row for row in model.objects.filter(objective=objective)}
    wanted = {h.id for h in wanted_rows}
    changed = 0
    for pk, row in current.items():
        if pk not in wanted:
            delete_with_history(row, by=by, reason=reason)
            changed += 1
    for h in wanted_rows:
        values = {n: getattr(h, n) for n in (*field_names, "position")}
        row = current.get(h.id)
        if row is None:
            row = model(pk=h.id, objective=objective, **values)
            save_with_history(row, by=by, reason=reason, force_insert=True)
            changed += 1
        elif any(getattr(row, n) != v for n, v in values.items()):
            for n, v in values.items():
                setattr(row, n, v)
            save_with_history(row, by=by, reason=reason)
            changed += 1
    return changed
