"""Appending to the evidence log. Called by flows/ inside the transaction of the change it records."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
import json

from django.db import connection, transaction
from django.utils import timezone

from workflow.models import Plan

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64
COLUMN_CHANGED = "Voce {sequence} alterata: la colonna «{column}» non corrisponde ai dati registrati."


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def canonical(payload: dict) -> str:
    return _CANONICAL.encode(payload)


def entry_hash(prev_hash: str, payload_json: str) -> str:
    return hashlib.sha256((prev_hash + payload_json).encode()).hexdigest()


def _plan_id(obj) -> int | None:
    if isinstance(obj, Plan):
        return obj.pk
    return getattr(obj, "plan_id", None)


# the entries queued by the ``deferred()`` block in progress (None outside one)
_deferred: contextvars.ContextVar[list | None] = contextvars.ContextVar("audit_deferred", default=None)


def record(
    *, action: str, by=None, obj=None, body_id: int | None = None, data: dict | None = None
) -> AuditEntry:
    """Append one entry. Must run inside the caller's transaction: the entry lands or fails with it.

    Inside ``deferred()`` the entry is queued and appended when the block ends, with the others of the
    block: the returned entry gets its sequence, time, hashes and id then."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside a transaction")
    entry = AuditEntry(
        actor=by,
        actor_name=by.get_username() if by is not None else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        body_id=body_id,
        plan_id=_plan_id(obj),
        payload=dict(data or {}),  # the entry's data until it is chained (then the whole hashed payload)
    )
    queued = _deferred.get()
    if queued is not None:
        queued.append(entry)
    else:
        _append([entry])
    return entry


@contextlib.contextmanager
def deferred():
    """Queue the entries recorded inside the block and append them all when it ends without an error, in
    three statements whatever their number (the head read and locked, the entries, the head). Used by a
    step, so that its entries hold the chain's head only for the end of its transaction. Nested blocks
    append with the outermost one; an error leaving the block discards the queue (its transaction is
    rolled back). An error caught inside the block does not: record there only what stands or falls with
    the whole block (a savepoint rolled back while the block goes on would not take its entries along)."""
    if _deferred.get() is not None:
        yield
        return
    queued: list[AuditEntry] = []
    token = _deferred.set(queued)
    try:
        yield
    finally:
        _deferred.reset(token)
    if queued:
        _append(queued)


def _append(entries: list[AuditEntry]) -> None:
    """Chain ``entries`` after the head, in their order, and move the head past them."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    # Never earlier than the entry before (two servers' clocks may differ a little): the times then follow
    # the sequence, and the change log turns a date range into a range of sequence numbers.
    last_at = head.last_at
    if last_at is None and head.count:
        last_at = AuditEntry.objects.filter(sequence=head.count).values_list("at", flat=True).first()
    now = max(timezone.now(), last_at) if last_at else timezone.now()
    sequence, digest = head.count, head.hash
    for entry in entries:
        sequence += 1
        payload = {
            "sequence": sequence,
            "at": now.isoformat(),
            "actor": entry.actor_name,
            "actor_id": entry.actor_id,
            "action": entry.action,
            "object": f"{entry.object_type}:{entry.object_id}" if entry.object_type else "",
            "body": entry.body_id,
            "plan": entry.plan_id,
            "data": entry.payload,
        }
        payload_json = canonical(payload)
        entry.sequence, entry.at, entry.prev_hash = sequence, now, digest
        digest = entry.hash = entry_hash(digest, payload_json)
        entry.payload = json.loads(payload_json)
    AuditEntry.objects.bulk_create(entries)
    head.count, head.hash, head.last_at = sequence, digest, now
    head.save(update_fields=["count", "hash", "last_at"])


_COLUMNS = (
    "sequence",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "body_id",
    "plan_id",
    "payload",
    "prev_hash",
    "hash",
)


def _columns_disagree(row: tuple) -> str | None:
    """The first column that no longer says what the hashed payload says (None when all agree). Keys an
    older entry's payload does not carry (``actor_id``, ``plan``) are checked only where present."""
    sequence, at, actor_id, actor_name, action, object_type, object_id, body_id, plan_id, p = row[:10]
    obj = f"{object_type}:{object_id}" if object_type or object_id else ""
    checks = (
        ("sequenza", p.get("sequence") == sequence),
        ("azione", p.get("action") == action),
        ("utente", p.get("actor") == actor_name),
        ("oggetto", p.get("object") == obj),
        ("ente", p.get("body") == body_id),
        ("piano", p.get("plan") == plan_id),
        ("id utente", "actor_id" not in p or p["actor_id"] == actor_id),
        ("data e ora", _same_moment(p.get("at"), at)),
    )
    return next((name for name, ok in checks if not ok), None)


def _same_moment(text, value) -> bool:
    try:
        return dt.datetime.fromisoformat(text) == value
    except (TypeError, ValueError):
        return False


def _rows_in_order(chunk_size: int = 5000):
    """Every entry as a tuple of ``_COLUMNS``, in sequence order, read in chunks through a plain cursor (a
    third faster than the ORM's iterator over a million rows: no per-row converters)."""
    meta = AuditEntry._meta
    # the time as text, parsed here: the drivers' own parsing of a timestamp costs more than the rest of a row
    columns = ", ".join(
        f"CAST({connection.ops.quote_name(meta.get_field(name).column)} AS TEXT)"
        if name == "at"
        else connection.ops.quote_name(meta.get_field(name).column)
        for name in _COLUMNS
    )
    table = connection.ops.quote_name(meta.db_table)
    sequence = connection.ops.quote_name(meta.get_field("sequence").column)
    loads, fromisoformat, utc = json.loads, dt.datetime.fromisoformat, dt.UTC
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {sequence}")  # noqa: S608 - names from the model
        while rows := cursor.fetchmany(chunk_size):
            for row in rows:
                at, payload = row[1], row[9]
                if isinstance(at, str):
                    at = fromisoformat(at)
                if at is not None and at.tzinfo is None:  # SQLite: naive, in UTC
                    at = at.replace(tzinfo=utc)
                if isinstance(payload, str | bytes):  # the JSON as stored
                    payload = loads(payload)
                yield (*row[:1], at, *row[2:9], payload, *row[10:])


def verify() -> tuple[bool, int, str]:
    """Walk the chain. Returns (ok, entries checked, message naming the first problem).

    One pass in sequence order, a chunk of rows at a time; a million entries take seconds (see
    bench/bench_audit_log.py). Each entry: its number follows the one before, its previous hash is the hash
    before, its hash is SHA-256 over that and its canonical payload, and its columns agree with the payload.
    """
    prev, n = GENESIS, 0
    sha256, encode = hashlib.sha256, _CANONICAL.encode
    for row in _rows_in_order():
        (
            sequence,
            at,
            actor_id,
            actor_name,
            action,
            object_type,
            object_id,
            body_id,
            plan_id,
            p,
            prev_hash,
            digest,
        ) = row
        if sequence != n + 1:
            return False, n, f"Voce mancante: attesa la sequenza {n + 1}, trovata {sequence}."
        if prev_hash != prev or sha256((prev + encode(p)).encode()).hexdigest() != digest:
            return False, n, f"Voce {sequence} alterata: l'impronta non corrisponde."
        # the columns the change log shows and filters by say what the payload says (the common case in
        # one expression; _columns_disagree names the column when one does not)
        if not (
            p.get("sequence") == sequence
            and p.get("action") == action
            and p.get("actor") == actor_name
            and p.get("body") == body_id
            and p.get("plan") == plan_id
            and p.get("object") == (f"{object_type}:{object_id}" if object_type or object_id else "")
            and ("actor_id" not in p or p["actor_id"] == actor_id)
            and _same_moment(p.get("at"), at)
        ):
            return False, n, COLUMN_CHANGED.format(sequence=sequence, column=_columns_disagree(row))
        prev, n = digest, n + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.count != n or head.hash != prev):
        return False, n, f"La testa della catena ({head.count} voci) non corrisponde alle {n} voci presenti."
    return True, n, f"Catena integra: {n} voci."


def anchor() -> tuple[int, str]:
    """The head of the chain, (count, hash): to be written down outside the database (README)."""
    head = AuditHead.objects.filter(pk=1).first()
    return (head.count, head.hash) if head else (0, GENESIS)


def check_anchor(count: int, digest: str) -> tuple[bool, str]:
    """Whether the entry an anchor written down earlier names is still there with the same hash. A chain
    rewritten from that entry on, even consistently, fails here."""
    if count == 0:
        return digest == GENESIS, "Ancora iniziale." if digest == GENESIS else "Ancora non valida."
    found = AuditEntry.objects.filter(sequence=count).values_list("hash", flat=True).first()
    if found is None:
        return False, f"Ancora non verificata: la voce {count} non esiste più."
    if found != digest:
        return False, f"Ancora non verificata: l'impronta della voce {count} è cambiata."
    return True, f"Ancora verificata: la voce {count} ha l'impronta annotata."
