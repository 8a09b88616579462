"""The evidence log split by body, step 2 of 3: every existing entry joins its body's chain.

Each entry, in the order of the single chain, gets its body's chain (the installation's when it has none),
its position there and the links of that chain, computed over the same hashed payload; the links of the
single chain move to ``legacy_prev_hash`` and ``legacy_hash``, and its head row becomes the closed legacy
chain's head (chain -1), so that ``verify_audit`` still walks the single chain up to the split and anchors
written down before it still check. On PostgreSQL the append-only trigger is suspended for this migration
only (the schema's owner runs it), and the sequence that numbers entries across chains starts after the
last entry.

The hash is the one of ``audit.services`` at the time of the split, repeated here so that a later change
there cannot change what this migration computed.
"""

import hashlib
import json

from django.core.management.color import no_style
from django.db import migrations

GENESIS = "0" * 64
LEGACY_CHAIN = -1
CHUNK = 2000
FIELDS = ["chain", "position", "prev_hash", "hash", "legacy_prev_hash", "legacy_hash"]
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _suspend_trigger(schema_editor, suspend: bool):
    if schema_editor.connection.vendor == "postgresql":
        verb = "DISABLE" if suspend else "ENABLE"
        schema_editor.execute(f"ALTER TABLE audit_auditentry {verb} TRIGGER audit_entry_append_only")


def split(apps, schema_editor):
    Entry = apps.get_model("audit", "AuditEntry")
    Head = apps.get_model("audit", "AuditHead")
    _suspend_trigger(schema_editor, True)
    heads: dict[int, tuple[int, str, object]] = {}
    last_sequence = 0
    pending = []
    for entry in Entry.objects.order_by("sequence").iterator(chunk_size=CHUNK):
        chain = entry.body_id or 0
        count, prev, _ = heads.get(chain, (0, GENESIS, None))
        entry.legacy_prev_hash, entry.legacy_hash = entry.prev_hash, entry.hash
        entry.chain, entry.position, entry.prev_hash = chain, count + 1, prev
        entry.hash = hashlib.sha256((prev + _CANONICAL.encode(entry.payload)).encode()).hexdigest()
        heads[chain] = (count + 1, entry.hash, entry.at)
        last_sequence = entry.sequence
        pending.append(entry)
        if len(pending) >= CHUNK:
            Entry.objects.bulk_update(pending, FIELDS)
            pending = []
    if pending:
        Entry.objects.bulk_update(pending, FIELDS)
    # the single chain's head, closed: kept when it has entries to anchor
    Head.objects.filter(chain__isnull=True, count=0).delete()
    Head.objects.filter(chain__isnull=True).update(chain=LEGACY_CHAIN)
    # the single head was written with an explicit id (1), which PostgreSQL's id sequence never saw
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Head]):
        schema_editor.execute(sql, params=None)
    Head.objects.bulk_create(
        Head(chain=chain, count=count, hash=digest, last_at=at)
        for chain, (count, digest, at) in heads.items()
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS audit_entry_sequence")
        if last_sequence:
            schema_editor.execute("SELECT setval('audit_entry_sequence', %s)", [last_sequence])
    _suspend_trigger(schema_editor, False)


def unsplit(apps, schema_editor):
    Entry = apps.get_model("audit", "AuditEntry")
    Head = apps.get_model("audit", "AuditHead")
    if Entry.objects.filter(legacy_hash="").exists():
        raise RuntimeError(
            "Il registro di audit ha voci registrate dopo la divisione in catene per ente: la migrazione non "
            "si può annullare senza perderle."
        )
    _suspend_trigger(schema_editor, True)
    pending = []
    for entry in Entry.objects.order_by("sequence").iterator(chunk_size=CHUNK):
        entry.prev_hash, entry.hash = entry.legacy_prev_hash, entry.legacy_hash
        pending.append(entry)
        if len(pending) >= CHUNK:
            Entry.objects.bulk_update(pending, ["prev_hash", "hash"])
            pending = []
    if pending:
        Entry.objects.bulk_update(pending, ["prev_hash", "hash"])
    Head.objects.exclude(chain=LEGACY_CHAIN).delete()
    Head.objects.update(chain=None)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS audit_entry_sequence")
    _suspend_trigger(schema_editor, False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_chain_columns")]

    operations = [migrations.RunPython(split, unsplit)]
