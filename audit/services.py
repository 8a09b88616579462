"""Appending to the evidence log. Called by flows/ inside the transaction of the change it records."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead


def canonical(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(prev_hash: str, payload_json: str) -> str:
    return hashlib.sha256((prev_hash + payload_json).encode()).hexdigest()


def record(
    *, action: str, by=None, obj=None, body_id: int | None = None, data: dict | None = None
) -> AuditEntry:
    """Append one entry. Must run inside the caller's transaction: the entry lands or fails with it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside a transaction")
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    now = timezone.now()
    sequence = head.count + 1
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    actor_name = by.get_username() if by is not None else ""
    payload = {
        "sequence": sequence,
        "at": now.isoformat(),
        "actor": actor_name,
        "action": action,
        "object": f"{object_type}:{object_id}" if obj is not None else "",
        "body": body_id,
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
        payload=json.loads(payload_json),
        prev_hash=head.hash,
        hash=digest,
    )
    head.count, head.hash = sequence, digest
    head.save(update_fields=["count", "hash"])
    return entry


def verify() -> tuple[bool, int, str]:
    """Walk the chain. Returns (ok, entries checked, message naming the first problem)."""
    prev, expected_seq, n = "0" * 64, 1, 0
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected_seq:
            return False, n, f"Voce mancante: attesa la sequenza {expected_seq}, trovata {entry.sequence}."
        if entry.prev_hash != prev or entry_hash(prev, canonical(entry.payload)) != entry.hash:
            return False, n, f"Voce {entry.sequence} alterata: l'impronta non corrisponde."
        prev, expected_seq, n = entry.hash, expected_seq + 1, n + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.count != n or head.hash != prev):
        return False, n, f"La testa della catena ({head.count} voci) non corrisponde alle {n} voci presenti."
    return True, n, f"Catena integra: {n} voci."
