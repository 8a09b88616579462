"""Appending to the evidence log. Called by flows/ inside the transaction of the change it records."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import transaction
from django.utils import timezone

from workflow.models import Plan

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64
COLUMN_CHANGED = "Voce {sequence} alterata: la colonna «{column}» non corrisponde ai dati registrati."


def canonical(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(prev_hash: str, payload_json: str) -> str:
    return hashlib.sha256((prev_hash + payload_json).encode()).hexdigest()


def _plan_id(obj) -> int | None:
    if isinstance(obj, Plan):
        return obj.pk
    return getattr(obj, "plan_id", None)


def record(
    *, action: str, by=None, obj=None, body_id: int | None = None, data: dict | None = None
) -> AuditEntry:
    """Append one entry. Must run inside the caller's transaction: the entry lands or fails with it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside a transaction")
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    # Never earlier than the entry before (two servers' clocks may differ a little): the times then follow
    # the sequence, and the change log turns a date range into a range of sequence numbers.
    last_at = AuditEntry.objects.filter(sequence=head.count).values_list("at", flat=True).first()
    now = max(timezone.now(), last_at) if last_at else timezone.now()
    sequence = head.count + 1
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    actor_name = by.get_username() if by is not None else ""
    plan_id = _plan_id(obj)
    payload = {
        "sequence": sequence,
        "at": now.isoformat(),
        "actor": actor_name,
        "actor_id": by.pk if by is not None else None,
        "action": action,
        "object": f"{object_type}:{object_id}" if obj is not None else "",
        "body": body_id,
        "plan": plan_id,
        "data": data or {},
    }
    payload_json = canonical(payload)
    digest = entry_hash(head.hash, payload_json)
    entry = AuditEntry.objects.create(
        sequence=sequence,
        at=now,
        actor=by,
        actor_name=actor_name,
        action=action,
        object_type=object_type,
        object_id=object_id,
        body_id=body_id,
        plan_id=plan_id,
        payload=json.loads(payload_json),
        prev_hash=head.hash,
        hash=digest,
    )
    head.count, head.hash = sequence, digest
    head.save(update_fields=["count", "hash"])
    return entry


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


def _columns_disagree(row: dict) -> str | None:
    """The first column that no longer says what the hashed payload says (None when all agree). Keys an
    older entry's payload does not carry (``actor_id``, ``plan``) are checked only where present."""
    p = row["payload"]
    obj = f"{row['object_type']}:{row['object_id']}" if row["object_type"] or row["object_id"] else ""
    checks = [
        ("sequenza", p.get("sequence") == row["sequence"]),
        ("azione", p.get("action") == row["action"]),
        ("utente", p.get("actor") == row["actor_name"]),
        ("oggetto", p.get("object") == obj),
        ("ente", p.get("body") == row["body_id"]),
        ("piano", p.get("plan") == row["plan_id"]),
        ("id utente", "actor_id" not in p or p["actor_id"] == row["actor_id"]),
        ("data e ora", _same_moment(p.get("at"), row["at"])),
    ]
    return next((name for name, ok in checks if not ok), None)


def _same_moment(text, value) -> bool:
    try:
        return dt.datetime.fromisoformat(text) == value
    except (TypeError, ValueError):
        return False


def verify() -> tuple[bool, int, str]:
    """Walk the chain. Returns (ok, entries checked, message naming the first problem)."""
    prev, expected_seq, n = GENESIS, 1, 0
    rows = AuditEntry.objects.order_by("sequence").values_list(*_COLUMNS).iterator(chunk_size=5000)
    for values in rows:
        row = dict(zip(_COLUMNS, values, strict=True))
        sequence = row["sequence"]
        if sequence != expected_seq:
            return False, n, f"Voce mancante: attesa la sequenza {expected_seq}, trovata {sequence}."
        if row["prev_hash"] != prev or entry_hash(prev, canonical(row["payload"])) != row["hash"]:
            return False, n, f"Voce {sequence} alterata: l'impronta non corrisponde."
        column = _columns_disagree(row)
        if column is not None:
            return False, n, COLUMN_CHANGED.format(sequence=sequence, column=column)
        prev, expected_seq, n = row["hash"], expected_seq + 1, n + 1
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
