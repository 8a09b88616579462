"""Writing the transmission records. Called by flows/ (inside the step's transaction for a new
transmission; around each delivery attempt for the HTTP outbox)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from workflow.models import TransmitterMode

from ..models import Transmission, TransmissionAttempt, TransmissionStatus
from ..selectors.transmission import OUTBOX_DUE
from ..transmission import DeliveryResult, Package
from .files import stored_file_create


def transmission_create(
    *,
    body,
    objectives,
    kind: str,
    package: Package,
    by,
    at: dt.datetime,
    batch=None,
    endpoint: str = "",
    receipt_reference: str = "",
    receipt_date: dt.date | None = None,
    receipt_file: tuple[str, bytes, str] | None = None,
) -> Transmission:
    """The record of one ``transmit`` call: a manual upload already done (its receipt typed in), or an
    outbox row to deliver over HTTP after commit."""
    stored_receipt = None
    if receipt_file is not None:
        name, content, content_type = receipt_file
        stored_receipt = stored_file_create(name=name, content=content, content_type=content_type, by=by)
    http = kind == TransmitterMode.HTTP
    transmission = Transmission.objects.create(
        body=body,
        kind=kind,
        status=TransmissionStatus.PENDING if http else TransmissionStatus.RECORDED,
        package=stored_file_create(
            name=package.name, content=package.content, content_type="application/zip", by=by
        ),
        manifest=package.manifest,
        endpoint=endpoint if http else "",
        next_attempt_at=at if http else None,
        receipt_reference="" if http else receipt_reference,
        receipt_date=None if http else receipt_date,
        receipt_file=stored_receipt,
        batch=batch,
        created_by=by,
        created_at=at,
    )
    links = Transmission.objectives.through  # a new record: no link to check for first
    links.objects.bulk_create(links(transmission=transmission, objective=o) for o in objectives)
    return transmission


def transmission_claim(*, pk: int, now: dt.datetime, lease: dt.timedelta) -> Transmission | None:
    """Take the outbox row ``pk`` for one attempt, if it is due and nobody else holds it.

    The claim is a compare-and-set on ``attempts``: of two workers that read the same due row, only one
    updates it, and the other sees zero rows changed. Until the lease runs out (longer than the HTTP
    timeout) the row is not due for anybody else; a worker that dies mid-attempt leaves it due again
    once the lease is over, to be sent again under the same idempotency key. On PostgreSQL the row is
    also locked with SKIP LOCKED while it is claimed, so a second worker skips it without waiting."""
    with transaction.atomic():
        row = (
            Transmission.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, kind=TransmitterMode.HTTP, status__in=OUTBOX_DUE)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .first()
        )
        if row is None:
            return None
        taken = Transmission.objects.filter(pk=pk, attempts=row.attempts, status__in=OUTBOX_DUE).update(
            attempts=F("attempts") + 1, next_attempt_at=now + lease
        )
        if taken != 1:
            return None
    row.refresh_from_db()
    return row


def backoff(attempt: int, *, base: float, cap: float) -> dt.timedelta:
    """The wait after failed attempt number ``attempt`` (1, 2, ...): base, 2·base, 4·base... up to cap."""
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempt - 1)))


FINAL_STATUSES = (TransmissionStatus.DELIVERED, TransmissionStatus.RECORDED)


def transmission_outcome(
    *,
    transmission: Transmission,
    result: DeliveryResult,
    at: dt.datetime,
    max_attempts: int,
    base: float,
    cap: float,
) -> TransmissionAttempt:
    """Record the attempt just made and move the outbox row on: delivered, retrying later, or failed.
    Must run inside a transaction, with the row claimed by this worker."""
    # attempts counts the tries of this round (a requeue starts a new one); the log numbers them all
    number = TransmissionAttempt.objects.filter(transmission=transmission).count() + 1
    attempt = TransmissionAttempt.objects.create(
        transmission=transmission,
        number=number,
        at=at,
        status_code=result.status_code,
        outcome=result.outcome[:200],
    )
    if transmission.status in FINAL_STATUSES:
        # a late answer to an attempt whose lease ran out while another one finished the row: logged only,
        # so a delivered or recorded transmission is never turned back into a failed one
        return attempt
    if result.delivered:
        transmission.status = TransmissionStatus.DELIVERED
        transmission.delivered_at = at
        transmission.next_attempt_at = None
        transmission.last_error = ""
        transmission.receipt_reference = result.receipt_reference
        transmission.receipt_date = result.receipt_date or timezone.localdate(at)
    elif result.retryable and transmission.attempts < max_attempts:
        transmission.status = TransmissionStatus.RETRYING
        transmission.next_attempt_at = at + backoff(transmission.attempts, base=base, cap=cap)
        transmission.last_error = result.outcome
    else:
        transmission.status = TransmissionStatus.FAILED
        transmission.next_attempt_at = None
        transmission.last_error = result.outcome
    transmission.save(
        update_fields=[
            "status",
            "delivered_at",
            "next_attempt_at",
            "last_error",
            "receipt_reference",
            "receipt_date",
        ]
    )
    return attempt


def transmission_requeue(*, transmission: Transmission, at: dt.datetime, endpoint: str) -> Transmission:
    """A failed delivery tried again: a new round of attempts, the same package under the same idempotency
    key, to ``endpoint`` (the body's address now: it may have been corrected since)."""
    transmission.status = TransmissionStatus.PENDING
    transmission.attempts = 0
    transmission.next_attempt_at = at
    transmission.endpoint = endpoint or transmission.endpoint
    transmission.save(update_fields=["status", "attempts", "next_attempt_at", "endpoint"])
    return transmission


def transmission_receipt_set(
    *,
    transmission: Transmission,
    reference: str,
    date: dt.date,
    receipt_file: tuple[str, bytes, str] | None,
    by,
    at: dt.datetime,
) -> Transmission:
    """The intermediary gave up: the Segreteria uploaded the stored package by hand and types the portal's
    receipt in. The row leaves the outbox for good (recorded, never sent again)."""
    if receipt_file is not None:
        name, content, content_type = receipt_file
        transmission.receipt_file = stored_file_create(
            name=name, content=content, content_type=content_type, by=by
        )
    transmission.status = TransmissionStatus.RECORDED
    transmission.receipt_reference = reference
    transmission.receipt_date = date
    transmission.next_attempt_at = None
    transmission.delivered_at = at
    transmission.save(
        update_fields=[
            "status",
            "receipt_reference",
            "receipt_date",
            "receipt_file",
            "next_attempt_at",
            "delivered_at",
        ]
    )
    return transmission
