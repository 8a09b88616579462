"""The engine: runs any step of any state machine (flows.steps) on one object or many, all or nothing.

For a call (DESIGN.md, "How a change flows"):
1. ``step.prepare``: slow work, before the transaction, on the objects as they are now;
2. in one transaction, ``step.begin`` (the ids the call moves), then the rows locked together in ascending
   id order (two calls lock rows in the same order; ``Machine.lock_all``); each object in that order is
   decided (``move``: its visibility, the stale check, the state and permission check, the flow's
   transition with its conditions), nothing of the object written yet (a step may create there what the
   objects share, such as the act); once all are decided they are written together
   (``_write``: the saves with their history rows, the step records, what the step leaves behind, the
   audit entries and the notifications, each kind in a few statements whatever the number of objects
   when the machine can write many at once);
3. ``step.after_all`` once all moved (one act, one information, one PDF for all of them), and for a batch
   its own audit entry; the call's audit entries are appended together at the end of the transaction
   (audit.deferred), so the evidence chain's head is held only for that moment.
The input was validated once, before: by the page's form, or by ``Step.validate`` for other callers.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from viewflow.fsm.base import NoTransition, TransitionConditionsUnmet

import audit.services as audit

from .. import errors
from ..steps import Call, Step
from .common import check_fresh


def run(call: Call) -> list:
    """Apply ``call.step`` to the objects of the call: all of them, or none. The objects moved, in the
    order they moved."""
    step = call.step
    step.prepare(call)
    with transaction.atomic(), audit.deferred():
        ids = sorted({int(i) for i in step.begin(call)})
        locked = step.machine.lock_all(ids, call.by)
        moves = [_decide(call, pk, locked.get(pk)) for pk in ids]
        _write(call, moves)
        step.after_all(call)
        if call.is_batch:
            _record_batch(call)
    return call.moved


@dataclass
class Move:
    """One object's move, decided and not yet written: the object as the transition left it, the state
    it left, and what its step record keeps (its time is the call's, ``Call.at``)."""

    obj: Any
    source: str
    comment: str
    data: dict
    highlighted: bool


def batch_call(step: Step, *, by, input, ids, lock_versions=None) -> Call:
    ids = sorted({int(i) for i in ids})
    if not ids:
        raise errors.InvalidInput(step.machine.batch_messages[0])
    return Call(
        step=step,
        by=by,
        input=input,
        ids=ids,
        lock_versions=lock_versions or {},
        batch=uuid.uuid4(),
        is_batch=True,
    )


def _decide(call: Call, pk: int, obj) -> Move:
    """``move`` for one object of the call; in a batch a refusal names the objective that blocked it."""
    if not call.is_batch:
        return move(call, pk, obj)
    model = call.step.machine.model
    try:
        return move(call, pk, obj)
    except model.DoesNotExist as exc:
        machine = call.step.machine
        raise errors.BatchBlocked(
            machine.batch_messages[1].format(
                code=machine.missing_code.format(pk=pk), reason=machine.not_found
            ),
            objective=None,
            cause=errors.WorkflowError(machine.not_found),
        ) from exc
    except errors.WorkflowError as exc:
        blocking = model.objects.filter(pk=pk).first()
        missing = call.step.machine.missing_code.format(pk=pk)
        code = blocking.code if blocking is not None else missing
        raise errors.BatchBlocked(
            call.step.machine.batch_messages[1].format(code=code, reason=exc.message), objective=pk, cause=exc
        ) from exc


def check_may_apply(step: Step, obj, by, flow=None) -> None:
    """Refuse before any work: the state, then the permission (not the conditions)."""
    flow = flow or step.machine.flow_class(obj, by=by)
    method = getattr(flow, step.name)
    if not method.can_proceed(check_conditions=False):
        raise errors.TransitionNotAvailable(
            errors.NOT_AVAILABLE.format(action=step.label, state=obj.get_state_display())
        )
    if not method.has_perm(by):
        raise errors.Forbidden(step.forbidden_message(obj, by))


def move(call: Call, pk: int, obj) -> Move:
    """Decide one object's move inside the call's transaction, writing nothing of it yet: ``obj`` is the
    row ``pk`` locked for the call, or None when the person may not see it (or it does not exist). The
    stale check, the state and the permission, then the flow's transition with its conditions."""
    step, by = call.step, call.by
    if obj is None:
        raise step.machine.model.DoesNotExist(step.machine.not_found)
    check_fresh(obj, call.lock_versions.get(pk), by=by, messages=step.machine.stale_messages)
    flow = step.machine.flow_class(obj, by=by, data=step.flow_data(call))
    check_may_apply(step, obj, by, flow)
    source = obj.state
    try:
        getattr(flow, step.name)()
    except TransitionConditionsUnmet as exc:
        raise errors.ConditionsUnmet(exc.unmet_message or step.label, problems=flow.problems) from exc
    except NoTransition as exc:  # pragma: no cover - check_may_apply already refused it
        raise errors.TransitionNotAvailable(str(exc)) from exc
    step.checked(call, obj, flow)
    if call.at is None:
        call.at = timezone.now()  # one time for all the objects of a call
    if obj.state != source:  # a signature that is not the last keeps the objective where it was
        obj.state_entered_at = call.at
    return Move(
        obj=obj,
        source=source,
        comment=step.comment(call),
        data=step.record_data(call, obj, flow),
        highlighted=step.highlighted(call, obj, flow),
    )


def _write(call: Call, moves: list[Move]) -> None:
    """Write what the call's moves decided, all objects together: the saves with their history rows, the
    step records, what each step leaves behind, the audit entries (appended at the end of the
    transaction) and the notifications. A machine that writes many objects at once (``save_moved``,
    ``record_steps``, ``notify_moved``) does so in a few statements whatever their number."""
    step, by, machine = call.step, call.by, call.step.machine
    if not moves:
        return
    machine.save_moved(
        [m.obj for m in moves],
        by=by,
        reasons=[step.label + (f": {m.comment}" if m.comment else "") for m in moves],
    )
    records = machine.record_steps(
        [
            (
                m.obj,
                {
                    "transition": step.name,
                    "source": m.source,
                    "target": m.obj.state,
                    "by": by,
                    "at": call.at,
                    "comment": m.comment,
                    "data": m.data,
                    "batch": call.batch,
                    "highlighted": m.highlighted,
                },
            )
            for m in moves
        ]
    )
    for m, record in zip(moves, records, strict=True):
        obj = m.obj
        step.leave_behind(call, obj, record)
        audit.record(
            action=step.audit_action,
            by=by,
            obj=obj,
            body_id=machine.body_id(obj),
            data={
                "code": obj.code,
                "from": m.source,
                "to": obj.state,
                "revision": obj.revision,
                "step": record.pk,
                "comment": m.comment,
                "batch": str(call.batch) if call.batch else None,
            },
        )
        call.moved.append(obj)
        call.records.append(record)
    machine.notify_moved([(m.obj, step.event(m.obj), m.comment) for m in moves], by=by)


def _record_batch(call: Call) -> None:
    bodies = {call.step.machine.body_id(o) for o in call.moved}
    audit.record(
        action="batch_transition",
        by=call.by,
        body_id=bodies.pop() if len(bodies) == 1 else None,  # so that the body's change log shows it
        data={
            "transition": call.step.name,
            "batch": str(call.batch),
            "objectives": call.ids,
            "states": sorted({o.state for o in call.moved}),
        },
    )
