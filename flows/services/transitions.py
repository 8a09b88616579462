"""Applying a step of the objective's approval path: the services every caller uses (the pages, the batch
page, commands, imports, tests). What each step does is its class in flows.steps.objective; the engine
(flows.services.engine) runs it.

A page validates its form and passes the typed input (``input``); every other caller passes plain
``data`` (and ``files``), validated here by the same step's form.
"""

from __future__ import annotations

from workflow.models import Objective

from ..steps import Call
from ..steps.objective import OBJECTIVE, SignInput
from . import engine, signatures


def _input(name: str, *, input, data, files):
    step = OBJECTIVE.step(name)
    return step, (input if input is not None else step.validate(data, files))


def objective_transition(
    *,
    objective_id: int,
    name: str,
    by,
    lock_version: int | None = None,
    data: dict | None = None,
    files: dict | None = None,
    input=None,
) -> Objective:
    """Apply step ``name`` to one objective: all of it, or nothing. For a signature by upload, the
    objective named (the others its document signs with it are moved too)."""
    step, typed = _input(name, input=input, data=data, files=files)
    versions = {int(objective_id): lock_version} if lock_version is not None else {}
    call = Call(step=step, by=by, input=typed, ids=[int(objective_id)], lock_versions=versions)
    moved = engine.run(call)
    return next(o for o in moved if o.pk == int(objective_id))


def objectives_batch_transition(
    *,
    objective_ids: list[int],
    name: str,
    by,
    data: dict | None = None,
    files: dict | None = None,
    lock_versions: dict[int, int] | None = None,
    input=None,
) -> list[Objective]:
    """Apply one step with one comment or act to many objectives: all succeed or none changes."""
    step, typed = _input(name, input=input, data=data, files=files)
    return engine.run(
        engine.batch_call(step, by=by, input=typed, ids=objective_ids, lock_versions=lock_versions)
    )


def signature_upload(
    *, objective_id: int, by, upload, lock_version: int | None = None, comment: str = ""
) -> list[Objective]:
    """Accept ``upload`` (bytes or an UploadedFile) as ``by``'s PAdES signature of the current document of
    the objective, and sign with it every objective of that document waiting for ``by``. All or nothing.
    Returns the objectives signed, the one named first."""
    if not upload:
        raise signatures.UploadRefused(signatures.UPLOAD_MISSING)
    versions = {int(objective_id): lock_version} if lock_version is not None else {}
    call = Call(
        step=OBJECTIVE.step("sign"),
        by=by,
        input=SignInput(signed_pdf=upload, comment=(comment or "").strip()),
        ids=[int(objective_id)],
        lock_versions=versions,
    )
    moved = engine.run(call)
    return sorted(moved, key=lambda o: o.pk != int(objective_id))
