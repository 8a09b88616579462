"""Exporting the change log: the export is itself a change auditors care about, so it is logged first."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import transaction

import audit.services as audit
from audit import selectors
from audit.models import AuditEntry
from workflow.models import Body

from .. import errors

EXPORT_FORMATS = ("csv", "json", "xlsx")


def change_log_export(
    *, by, body: Body, filters: selectors.LogFilters, fmt: str
) -> tuple[AuditEntry, Iterator[AuditEntry]]:
    """Record the export, then hand back the entries it covers: every match recorded before it, oldest
    first, to be read lazily (a million entries never sit in memory)."""
    if not selectors.may_read_log(by, body):
        raise errors.Forbidden(selectors.LOG_FORBIDDEN)
    if fmt not in EXPORT_FORMATS:
        raise errors.InvalidInput(f"Formato sconosciuto: «{fmt}».")
    with transaction.atomic():
        entry = audit.record(
            action="audit.export",
            by=by,
            body_id=body.pk,
            data={"format": fmt, "filters": filters.as_data()},
        )
    return entry, selectors.change_log_iter(by, body, filters, up_to=entry.sequence - 1)
