"""The Relazione sulla performance's use cases (DESIGN.md, "The year after publication"): starting it,
its texts and deadline while drafting, a new version after publication, and its steps (run by the engine
like the objective's: flows.steps.relazione).

Every write: one transaction, the row locked and checked against the version the page showed, the
acting user's permission in the body, the history row with the reason and the audit entry.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

import audit.services as audit
from workflow import access
from workflow.models import RELAZIONE_FROZEN_STATES, Plan, Relazione, RelazioneState, ValidationOutcome

from .. import errors
from ..steps import Call
from ..steps.relazione import RELAZIONE, lock_relazione
from . import engine
from .common import check_fresh, save_with_history

STALE = (errors.RELAZIONE_STALE, errors.RELAZIONE_STALE_SELF)


def _check_segreteria(by, body_id) -> None:
    if not access.is_segreteria(by, body_id):
        raise errors.Forbidden(errors.RELAZIONE_FORBIDDEN)


def _entry(relazione: Relazione, **data) -> dict:
    """What the audit entry of a change of ``relazione`` records: its object, body and data."""
    return {
        "obj": relazione,
        "body_id": relazione.plan.body_id,
        "data": {"code": relazione.code, "version": relazione.version, **data},
    }


def relazione_start(*, plan: Plan, by) -> Relazione:
    """The plan's first Relazione, in drafting (a plan that has one keeps it: RELAZIONE_EXISTS)."""
    _check_segreteria(by, plan.body_id)
    with transaction.atomic():
        Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.relazioni.exists():
            raise errors.InvalidInput(errors.RELAZIONE_EXISTS.format(year=plan.year))
        relazione = Relazione(plan=plan, version=1, state_entered_at=None)
        save_with_history(relazione, by=by, reason="Relazione sulla performance avviata")
        audit.record(action="relazione.create", by=by, **_entry(relazione))
    return relazione


def relazione_new_version(
    *, relazione_id: int, by, reason: str, lock_version: int | None = None
) -> Relazione:
    """A new version of a published Relazione: drafting again, with the texts of the last one; the
    published version stays public until the new one is published."""
    reason = (reason or "").strip()
    if not reason:
        raise errors.InvalidInput("Indica il motivo della nuova versione.")
    with transaction.atomic():
        current = lock_relazione(relazione_id, by)
        _check_segreteria(by, current.plan.body_id)
        check_fresh(current, lock_version, by=by, messages=STALE)
        latest = current.plan.relazioni.order_by("-version").first()
        if latest.pk != current.pk or current.state != RelazioneState.PUBLISHED:
            state = latest.get_state_display() if latest.pk != current.pk else current.get_state_display()
            raise errors.InvalidInput(errors.RELAZIONE_NEW_VERSION_NOT_ALLOWED.format(state=state))
        relazione = Relazione(
            plan=current.plan,
            version=current.version + 1,
            presentation=current.presentation,
            context=current.context,
            deadline=current.deadline,
            reason=reason,
        )
        try:
            with transaction.atomic():
                save_with_history(relazione, by=by, reason=f"Nuova versione della Relazione: {reason}")
        except IntegrityError as exc:  # two clicks at once: the other one made it
            raise errors.InvalidInput(
                errors.RELAZIONE_NEW_VERSION_NOT_ALLOWED.format(state=RelazioneState.DRAFTING.label)
            ) from exc
        audit.record(
            action="relazione.create", by=by, **_entry(relazione, reason=reason, previous=current.pk)
        )
    return relazione


def relazione_texts_save(
    *, relazione_id: int, by, presentation: str, context: str, lock_version: int | None = None
) -> Relazione:
    """Save the Segreteria's texts of a Relazione in drafting."""
    with transaction.atomic():
        relazione = lock_relazione(relazione_id, by)
        _check_segreteria(by, relazione.plan.body_id)
        check_fresh(relazione, lock_version, by=by, messages=STALE)
        if relazione.state not in (RelazioneState.DRAFTING,):
            raise errors.InvalidInput(
                errors.RELAZIONE_NOT_EDITABLE.format(state=relazione.get_state_display())
            )
        changed = [
            name
            for name, value in (("presentation", presentation), ("context", context))
            if getattr(relazione, name) != value
        ]
        if not changed:
            return relazione
        relazione.presentation, relazione.context = presentation, context
        save_with_history(relazione, by=by, reason="Testi della Relazione salvati")
        audit.record(action="relazione.update", by=by, **_entry(relazione, changed=changed))
    return relazione


def relazione_deadline_set(*, relazione_id: int, by, deadline, lock_version: int | None = None) -> Relazione:
    """Change the adoption deadline (None: 30 June of the next year)."""
    with transaction.atomic():
        relazione = lock_relazione(relazione_id, by)
        _check_segreteria(by, relazione.plan.body_id)
        check_fresh(relazione, lock_version, by=by, messages=STALE)
        if relazione.state in RELAZIONE_FROZEN_STATES:
            raise errors.InvalidInput(
                errors.RELAZIONE_NOT_EDITABLE.format(state=relazione.get_state_display())
            )
        before = relazione.deadline
        if before == deadline:
            return relazione
        relazione.deadline = deadline
        save_with_history(relazione, by=by, reason="Scadenza di adozione della Relazione")
        change = {
            "from": before.isoformat() if before else None,
            "to": deadline.isoformat() if deadline else None,
        }
        audit.record(action="relazione.deadline", by=by, **_entry(relazione, **change))
    return relazione


def relazione_transition(
    *,
    relazione_id: int,
    name: str,
    by,
    lock_version: int | None = None,
    data: dict | None = None,
    files: dict | None = None,
    input=None,
) -> Relazione:
    """Apply step ``name`` of the Relazione: all of it, or nothing."""
    step = RELAZIONE.step(name)
    typed = input if input is not None else step.validate(data, files)
    versions = {int(relazione_id): lock_version} if lock_version is not None else {}
    call = Call(step=step, by=by, input=typed, ids=[int(relazione_id)], lock_versions=versions)
    return engine.run(call)[0]


def validation_step(outcome: str) -> str:
    """The step an outcome of the NIV/OIV's validation takes: "non validata" sends it back to drafting."""
    return "reject" if outcome == ValidationOutcome.NOT_VALIDATED else "validate"
