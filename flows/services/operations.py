"""Steps on many objectives that run in the task queue, with their progress shown to whoever started them.

The batch page starts one (``operation_start``) for a step that takes seconds for a whole plan
(``Step.in_background``: the closing of the consultation, which renders the PDF to sign): the request only
writes the ``Operation`` and queues ``run_operation``, then shows the operation's page. The task runs the
same service the page would have run (``objectives_batch_transition``: all or nothing, the stale check on
the versions the page showed), and tells each stage as it goes (``workflow.progress``): the row keeps it
and the person's open pages get an ``operation.progress`` message, so the page's progress bar moves. A
refusal (an objective moved meanwhile, a condition no longer met) ends the operation with the step's own
message; an unexpected error also tells the body's Segreteria.

A task run twice (a retry, two workers) runs the step once: only the run that moves the operation out of
``queued`` works. And the step itself cannot run twice on the same objectives: they have left the state.
"""

from __future__ import annotations

import dataclasses
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext
from django_tasks import task

from notifications import delivery
from notifications.models import Operation, OperationStatus
from notifications.services import notify_body
from workflow import progress
from workflow.models import Role

from .. import errors
from ..steps.objective import OBJECTIVE
from . import engine
from .transitions import objectives_batch_transition

logger = logging.getLogger(__name__)

QUEUED_STAGE = "In coda: l'operazione parte appena un esecutore è libero"
NOT_QUEUED = (
    "L'operazione non è partita: la coda dei lavori non è raggiungibile. Nessun obiettivo è stato "
    "modificato: riprova tra qualche minuto."
)
UNEXPECTED = (
    "L'operazione si è interrotta per un errore imprevisto: nessun obiettivo è stato modificato. La "
    "Segreteria Generale ne è stata avvisata; riprova, e se si ripete segnala l'errore all'assistenza."
)
FAILED_EVENT = "operation_failed"
TOLD_OF_FAILURES = (Role.SEGRETERIA, Role.SEGRETARIO)


def operation_start(
    *, by, body, step, ids: list[int], input, lock_versions: dict[int, int], return_url: str
) -> Operation | None:
    """Queue ``step`` on the objectives ``ids`` as ``by``, with ``input`` (the step's Input) and the
    versions the page showed; ``return_url`` is the page to go back to when it is over. Nothing of the
    objectives changes here: the task does it. None when the step does not expect to go through
    (``Step.ready``): the caller runs it at once, and its refusal shows at once."""
    if not step.ready(engine.batch_call(step, by=by, input=input, ids=ids, lock_versions=lock_versions)):
        return None
    work = {
        "step": step.name,
        "ids": sorted(ids),
        "input": dataclasses.asdict(input),
        "lock_versions": {str(pk): version for pk, version in lock_versions.items()},
    }
    with transaction.atomic():
        operation = Operation.objects.create(
            started_by=by, body=body, label=step.label, work=work, stage=QUEUED_STAGE, result_url=return_url
        )
        pk = operation.pk
        transaction.on_commit(lambda: _queue(pk))
    return operation


def _queue(pk) -> None:
    try:
        run_operation.enqueue(str(pk))
    except Exception:  # noqa: BLE001 - the queue is down: the operation says so, nothing moved
        logger.exception("Operation %s: could not be queued", pk)
        Operation.objects.filter(pk=pk, status=OperationStatus.QUEUED).update(
            status=OperationStatus.FAILED, message=NOT_QUEUED, stage="", finished=timezone.now()
        )


@task()
def run_operation(operation_id: str) -> str:
    """Run the queued operation ``operation_id`` (see the module's docstring). Returns how it ended."""
    claimed = Operation.objects.filter(pk=operation_id, status=OperationStatus.QUEUED).update(
        status=OperationStatus.RUNNING, progress=1, stage="Avvio"
    )
    if not claimed:
        return "already run"
    operation = Operation.objects.select_related("started_by").get(pk=operation_id)
    work = operation.work
    step = OBJECTIVE.step(work["step"])
    try:
        with progress.reporting_to(lambda percent, stage: _tell(operation, percent, stage)):
            progress.report(5, "Controllo degli obiettivi")
            moved = objectives_batch_transition(
                objective_ids=work["ids"],
                name=step.name,
                by=operation.started_by,
                input=step.Input(**work["input"]),
                lock_versions={int(pk): v for pk, v in work["lock_versions"].items()},
            )
    except errors.WorkflowError as exc:
        _finish(operation, OperationStatus.FAILED, exc.message)
        return "refused"
    except Exception:
        logger.exception("Operation %s: unexpected error", operation_id)
        _finish(operation, OperationStatus.FAILED, UNEXPECTED, tell_segreteria=True)
        raise  # the task's result keeps the traceback
    count = ngettext("%(n)d obiettivo", "%(n)d obiettivi", len(moved)) % {"n": len(moved)}
    codes = ", ".join(o.code for o in moved)
    _finish(operation, OperationStatus.DONE, f"{step.label}: fatto per {count} ({codes}).")
    return "done"


def _tell(operation: Operation, percent: int, stage: str) -> None:
    """Keep the stage on the row (outside the step's transaction: visible at once) and tell the pages."""
    Operation.objects.filter(pk=operation.pk).update(progress=percent, stage=stage)
    _push(operation)


def _push(operation: Operation) -> None:
    try:
        message = delivery.operation_message(operation_id=operation.pk, recipient_id=operation.started_by_id)
        delivery.push([message])
    except Exception:  # noqa: BLE001 - the page also reads the row when it reconnects or reloads
        logger.exception("Operation %s: push failed", operation.pk)


def _finish(operation, status, message: str, *, tell_segreteria: bool = False) -> None:
    with transaction.atomic():
        done = {"progress": 100} if status == OperationStatus.DONE else {}  # a failure keeps how far it got
        Operation.objects.filter(pk=operation.pk).update(
            status=status, stage="", message=message, finished=timezone.now(), **done
        )
        if tell_segreteria:
            who = operation.started_by.get_full_name() or operation.started_by.get_username()
            notify_body(
                body_id=operation.body_id,
                event=FAILED_EVENT,
                by=None,
                roles=TOLD_OF_FAILURES,
                message=f"«{operation.label}» avviata da {who} non è riuscita: {message}",
            )
    _push(operation)
