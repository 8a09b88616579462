"""The transmission to Funzione Pubblica: the record the ``transmit`` step leaves, the package download,
and the delivery of the HTTP outbox, in the task queue (settings.TASKS), with retries and backoff.

Delivery, one attempt (``transmission_deliver``):
1. claim the due row (compare-and-set, SKIP LOCKED on PostgreSQL): two workers never send it at once;
2. POST the package outside any transaction, with the row's idempotency key;
3. in one transaction: the attempt's log row, the row's new status (delivered / retrying at
   now + backoff / failed), the audit entry, and on a final failure the Segreteria's notifications.

Who runs the attempts: the commit of a ``transmit`` step (or of a new round the Segreteria asks for) queues
the task ``deliver_transmission``, which a worker (``manage.py db_worker``) runs out of any request; an
attempt that leaves the row retrying queues the next one for its time. A task run twice, or run while
another sends the same row, sends nothing twice: the claim lets one attempt through, and the intermediary
deduplicates by the idempotency key. ``send_transmissions`` (cron) sweeps what is due and whose task was
lost (a worker stopped while the queue was unreachable).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django_tasks import task

import audit.services as audit
from approvals.models import Transmission, TransmissionStatus
from approvals.selectors.transmission import PackageError, package_for, transmissions_due
from approvals.services import transmission as records
from approvals.transmission import Delivery, DeliveryResult, transmitter_for
from audit import selectors as audit_selectors
from notifications.services import notify_transition
from workflow import access
from workflow.models import Objective, State, TransmitterMode

from .. import errors

logger = logging.getLogger(__name__)

NOT_AS_DOWNLOADED = (
    "Gli obiettivi di cui registri la trasmissione non sono quelli del pacchetto scaricato il {when}. "
    "{differences}Registra la ricevuta per tutti gli obiettivi del pacchetto caricato sul portale, "
    "oppure scarica di nuovo il pacchetto dei soli obiettivi che hai trasmesso."
)
PACKAGE_ALSO_HELD = "Il pacchetto comprendeva anche: {codes}. "
PACKAGE_DID_NOT_HOLD = "Il pacchetto non comprendeva: {codes}. "

DEFAULTS = {
    "TRANSMISSION_HTTP_TIMEOUT": 20.0,  # seconds for one POST to the intermediary
    "TRANSMISSION_MAX_ATTEMPTS": 6,  # then the row fails and the Segreteria is told
    "TRANSMISSION_RETRY_BASE_SECONDS": 60.0,  # wait after the 1st failure; doubled after each next one
    "TRANSMISSION_RETRY_MAX_SECONDS": 3600.0,
    "TRANSMISSION_SEND_ON_COMMIT": True,  # False: only send_transmissions delivers (cron)
}
FAILED_EVENT = "transmission_failed"
DELIVERED_EVENT = "transmission_delivered"


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


def transmission_record(*, objectives, by, receipt, batch=None) -> Transmission:
    """The record of one ``transmit`` call (all its objectives): the package as stored, and the receipt
    typed in (manual upload: ``receipt`` holds its ``receipt_reference``, ``receipt_date`` and
    ``receipt_file``) or an outbox row to deliver after commit (HTTP). Inside the step's transaction: if
    anything here fails, no objective has moved."""
    if len({o.plan_id for o in objectives}) != 1:
        raise errors.InvalidInput(errors.TRANSMISSION_MIXED)
    try:
        package = package_for(list(objectives))
    except PackageError as exc:
        raise errors.InvalidInput(exc.message, problems=exc.problems) from exc
    body = objectives[0].plan.body
    transmitter = transmitter_for(body)
    if transmitter.kind == TransmitterMode.MANUAL:
        _check_as_downloaded(objectives)
    receipt_file = receipt.receipt_file if transmitter.asks_receipt else None
    now = timezone.now()
    transmission = records.transmission_create(
        body=body,
        objectives=objectives,
        kind=transmitter.kind,
        package=package,
        by=by,
        at=now,
        batch=batch,
        endpoint=body.transmitter_url,
        receipt_reference=(receipt.receipt_reference or "").strip(),
        receipt_date=receipt.receipt_date,
        receipt_file=(
            (receipt_file.name, receipt_file.content, receipt_file.content_type) if receipt_file else None
        ),
    )
    manual = transmitter.kind == TransmitterMode.MANUAL
    audit.record(
        action="transmission.recorded" if manual else "transmission.queued",
        by=by,
        obj=transmission,
        body_id=body.pk,
        data={
            "kind": transmitter.kind,
            "objectives": [[o.code, o.revision] for o in sorted(objectives, key=lambda o: o.code)],
            "package_sha256": package.sha256,
            "package_size": package.size,
            "idempotency_key": str(transmission.idempotency_key),
            "receipt_reference": transmission.receipt_reference,
            "receipt_file_sha256": transmission.receipt_file.sha256 if transmission.receipt_file else None,
            "missing_signed_documents": package.manifest["missing_signed_documents"],
        },
    )
    if transmitter.kind == TransmitterMode.HTTP and setting("TRANSMISSION_SEND_ON_COMMIT"):
        pk = transmission.pk
        transaction.on_commit(lambda: queue_delivery(pk))
    return transmission


def _check_as_downloaded(objectives) -> None:
    """A receipt recorded by hand is for the package uploaded to the portal: the objectives marked
    transmitted must be those of the last package downloaded for them. Called once they moved on: the
    others of that package still in transmission are the ones left out."""
    chosen = {(o.code, o.revision) for o in objectives}
    download = audit_selectors.last_package_download(objectives[0].plan.body_id, including=chosen)
    if download is None:
        return  # no package downloaded here: the one stored with the transmission is the record
    waiting = set(
        Objective.objects.filter(plan_id=objectives[0].plan_id, state=State.TRANSMISSION).values_list(
            "code", "revision"
        )
    )
    left_out = sorted(code for code, revision in download.objectives - chosen if (code, revision) in waiting)
    not_held = sorted(code for code, _ in chosen - download.objectives)
    if not left_out and not not_held:
        return
    differences = ""
    if left_out:
        differences += PACKAGE_ALSO_HELD.format(codes=", ".join(left_out))
    if not_held:
        differences += PACKAGE_DID_NOT_HOLD.format(codes=", ".join(not_held))
    when = formats.date_format(timezone.localtime(download.at), "d/m/Y H:i")
    raise errors.InvalidInput(NOT_AS_DOWNLOADED.format(when=when, differences=differences))


def package_download(*, objectives, by):
    """The package of ``objectives`` for the Segreteria to upload by hand, with its evidence entry.
    ``objectives`` come from a permission-filtered selector; each must be in ``transmission``."""
    bodies = {o.plan.body_id for o in objectives}
    if not objectives or any(not access.is_segreteria(by, b) for b in bodies):
        raise errors.Forbidden(errors.TRANSMISSION_FORBIDDEN)
    try:
        package = package_for(list(objectives))
    except PackageError as exc:
        raise errors.InvalidInput(exc.message, problems=exc.problems) from exc
    with transaction.atomic():
        audit.record(
            action="transmission.package_download",
            by=by,
            body_id=bodies.pop(),
            data={
                "objectives": [[o.code, o.revision] for o in sorted(objectives, key=lambda o: o.code)],
                "package_sha256": package.sha256,
                "package_size": package.size,
                "missing_signed_documents": package.manifest["missing_signed_documents"],
            },
        )
    return package


def stored_package_download(*, transmission, by):
    """The package stored with a transmission (Segreteria and auditors), with its evidence entry."""
    with transaction.atomic():
        audit.record(
            action="transmission.package_download",
            by=by,
            obj=transmission,
            body_id=transmission.body_id,
            data={"transmission": transmission.pk, "package_sha256": transmission.package.sha256},
        )
    return transmission.package


def transmission_deliver(*, pk: int, now: dt.datetime | None = None) -> Transmission | None:
    """One delivery attempt of outbox row ``pk`` if it is due and nobody else is sending it; None
    otherwise. Never raises for what the intermediary does: every outcome is recorded."""
    clock = now
    now = now or timezone.now()
    timeout = float(setting("TRANSMISSION_HTTP_TIMEOUT"))
    lease = dt.timedelta(seconds=timeout + 60)
    row = records.transmission_claim(pk=pk, now=now, lease=lease)
    if row is None:
        return None
    delivery = Delivery(
        endpoint=row.endpoint,
        content=bytes(row.package.content),
        sha256=row.package.sha256,
        idempotency_key=str(row.idempotency_key),
        ipa_code=row.body.ipa_code,
    )
    try:
        # the row's own mode: the body may have switched to manual uploads since it was queued
        result = transmitter_for(kind=row.kind).deliver(delivery, timeout=timeout)
    except Exception:  # whatever went wrong, the claimed row gets its outcome and is tried again later
        logger.exception("Transmission %s: the transmitter failed", pk)
        result = DeliveryResult(False, True, "Errore imprevisto durante l'invio all'intermediario.")
    finished = timezone.now() if clock is None else clock  # a caller's clock (the tests') is kept
    with transaction.atomic():
        row = Transmission.objects.select_for_update().select_related("body").get(pk=pk)
        already_final = row.status in records.FINAL_STATUSES
        attempt = records.transmission_outcome(
            transmission=row,
            result=result,
            at=finished,
            max_attempts=int(setting("TRANSMISSION_MAX_ATTEMPTS")),
            base=float(setting("TRANSMISSION_RETRY_BASE_SECONDS")),
            cap=float(setting("TRANSMISSION_RETRY_MAX_SECONDS")),
        )
        audit.record(
            action=f"transmission.{row.status}",
            obj=row,
            body_id=row.body_id,
            data={
                "attempt": attempt.number,
                "status_code": result.status_code,
                "outcome": result.outcome,
                "idempotency_key": str(row.idempotency_key),
                "receipt_reference": row.receipt_reference,
                "next_attempt_at": row.next_attempt_at.isoformat() if row.next_attempt_at else None,
            },
        )
        if not already_final and row.status in (TransmissionStatus.FAILED, TransmissionStatus.DELIVERED):
            event = FAILED_EVENT if row.status == TransmissionStatus.FAILED else DELIVERED_EVENT
            for objective in row.objectives.select_related("plan").order_by("code"):
                notify_transition(objective=objective, transition=event, by=None, comment=result.outcome)
    return row


@task()
def deliver_transmission(transmission_id: int) -> str:
    """One delivery attempt of outbox row ``transmission_id`` (see the module's docstring), in the task
    queue. When it leaves the row retrying, the next attempt is queued for the row's time. Returns the
    row's status after the attempt, or ``not due`` when there was nothing to send (delivered or failed
    already, being sent by another worker, or not due yet)."""
    row = transmission_deliver(pk=transmission_id)
    if row is None:
        return "not due"
    if row.status == TransmissionStatus.RETRYING and row.next_attempt_at is not None:
        queue_delivery(row.pk, at=row.next_attempt_at)
    return str(row.status)


def queue_delivery(pk: int, *, at: dt.datetime | None = None) -> None:
    """Queue an attempt for row ``pk``, now or at ``at``. Called after a commit: whatever happens, the
    change stands (the row stays due and ``send_transmissions`` sends it). A queue that cannot run work
    later (the immediate backend of the tests) leaves a later attempt to ``send_transmissions``."""
    work = deliver_transmission
    try:
        if at is not None:
            if not work.get_backend().supports_defer:
                return
            work = work.using(run_after=at)
        work.enqueue(pk)
    except Exception:  # the row stays due and send_transmissions sends it
        logger.exception("Transmission %s: the delivery could not be queued", pk)


def transmissions_send_due(*, now: dt.datetime | None = None) -> list[Transmission]:
    """One attempt for every outbox row due at ``now`` (what ``send_transmissions`` runs)."""
    done = []
    for pk in transmissions_due(now):
        row = transmission_deliver(pk=pk, now=now)
        if row is not None:
            done.append(row)
    return done


def transmission_retry(*, pk: int, by) -> Transmission:
    """The Segreteria sends again a delivery that failed (a new round of attempts, the same key)."""
    with transaction.atomic():
        row = Transmission.objects.select_for_update().select_related("body").filter(pk=pk).first()
        if row is None or not (access.is_segreteria(by, row.body_id) or access.is_revisore(by, row.body_id)):
            raise errors.InvalidInput(errors.TRANSMISSION_NOT_FOUND)
        if not access.is_segreteria(by, row.body_id):
            raise errors.Forbidden(errors.TRANSMISSION_FORBIDDEN)
        if row.kind != TransmitterMode.HTTP or row.status != TransmissionStatus.FAILED:
            raise errors.TransitionNotAvailable(errors.TRANSMISSION_NOT_FAILED)
        now = timezone.now()
        records.transmission_requeue(transmission=row, at=now, endpoint=row.body.transmitter_url)
        audit.record(
            action="transmission.requeued",
            by=by,
            obj=row,
            body_id=row.body_id,
            data={"idempotency_key": str(row.idempotency_key), "endpoint": row.endpoint},
        )
        if setting("TRANSMISSION_SEND_ON_COMMIT"):
            transaction.on_commit(lambda: queue_delivery(pk))
    return row


def transmission_receipt_record(*, pk: int, by, cleaned: dict) -> Transmission:
    """After the intermediary failed for good, the Segreteria uploads the stored package by hand and
    records the portal's receipt (``cleaned``: a manual ``TransmitForm``'s data): the objectives may then
    be published."""
    with transaction.atomic():
        row = Transmission.objects.select_for_update().filter(pk=pk).first()
        if row is None or not (access.is_segreteria(by, row.body_id) or access.is_revisore(by, row.body_id)):
            raise errors.InvalidInput(errors.TRANSMISSION_NOT_FOUND)
        if not access.is_segreteria(by, row.body_id):
            raise errors.Forbidden(errors.TRANSMISSION_FORBIDDEN)
        if row.kind != TransmitterMode.HTTP or row.status != TransmissionStatus.FAILED:
            raise errors.TransitionNotAvailable(errors.TRANSMISSION_RECEIPT_NOT_FAILED)
        if not ((cleaned.get("receipt_reference") or "").strip() and cleaned.get("receipt_date")):
            raise errors.InvalidInput(errors.RECEIPT_REQUIRED)
        receipt = cleaned.get("receipt_file")
        records.transmission_receipt_set(
            transmission=row,
            reference=cleaned["receipt_reference"].strip(),
            date=cleaned["receipt_date"],
            receipt_file=(receipt.name, receipt.content, receipt.content_type) if receipt else None,
            by=by,
            at=timezone.now(),
        )
        audit.record(
            action="transmission.receipt_recorded",
            by=by,
            obj=row,
            body_id=row.body_id,
            data={
                "receipt_reference": row.receipt_reference,
                "receipt_date": row.receipt_date.isoformat(),
                "receipt_file_sha256": row.receipt_file.sha256 if row.receipt_file else None,
                "package_sha256": row.package.sha256,
            },
        )
    return row
