"""The migration that split the single evidence chain into a chain per body: the entries written before it
join their body's chain (or the installation's), the single chain stays verifiable up to the split with
the anchors written down before it, and new entries go on after both."""

import datetime as dt
import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from audit.models import INSTALLATION_CHAIN, LEGACY_CHAIN, AuditEntry
from audit.services import record, verify, verify_all, verify_chain
from tests.factories import BodyFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0005_head_last_at")]
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _write_single_chain(apps, bodies):
    """Entries as the single chain wrote them: one sequence, one hash chain, one head row."""
    Entry, Head = apps.get_model("audit", "AuditEntry"), apps.get_model("audit", "AuditHead")
    at = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
    prev, rows = "0" * 64, []
    owners = [bodies[0], bodies[1], None, bodies[0], bodies[0], None, bodies[1]]
    for seq, body_id in enumerate(owners, start=1):
        payload = {
            "sequence": seq,
            "at": (at + dt.timedelta(minutes=seq)).isoformat(),
            "actor": "segreteria",
            "actor_id": None,
            "action": "prova.prima" if body_id else "auth.login",
            "object": "",
            "body": body_id,
            "plan": None,
            "data": {"n": seq},
        }
        digest = hashlib.sha256((prev + _CANONICAL.encode(payload)).encode()).hexdigest()
        rows.append(Entry(
            sequence=seq, at=at + dt.timedelta(minutes=seq), actor_name="segreteria",
            action=payload["action"], body_id=body_id, payload=payload, prev_hash=prev, hash=digest))
        prev = digest
    Entry.objects.bulk_create(rows)
    Head.objects.create(pk=1, count=len(rows), hash=prev, last_at=rows[-1].at)
    return owners, prev


def test_existing_entries_join_their_chains_and_the_single_chain_still_verifies():
    bodies = [BodyFactory(ipa_code="p_cr").pk, BodyFactory(ipa_code="c_d142", name="Comune di Crema").pk]
    old_apps = _migrate(BEFORE)
    try:
        owners, single_head = _write_single_chain(old_apps, bodies)
    finally:
        _migrate(_migrate_leaf())

    verdicts = {v.chain: v for v in verify_all()}
    assert all(v.ok for v in verdicts.values()), [v.message for v in verdicts.values()]
    assert verdicts[LEGACY_CHAIN].checked == len(owners)
    for chain in (bodies[0], bodies[1], INSTALLATION_CHAIN):
        expected = [seq for seq, owner in enumerate(owners, start=1) if (owner or 0) == chain]
        rows = list(AuditEntry.objects.filter(chain=chain).order_by("position"))
        assert [(e.position, e.sequence) for e in rows] == list(enumerate(expected, start=1))
        assert verdicts[chain].checked == len(expected)
    # an anchor of the single chain written down before the split still checks
    out = _run("verify_audit", "--anchor", f"{len(owners)}:{single_head}")
    assert f"la voce {len(owners)} ha l'impronta annotata" in out
    with pytest.raises(CommandError, match="l'impronta della voce 3 è cambiata"):
        _run("verify_audit", "--anchor", "3:" + "f" * 64)

    # new entries go on after the old ones, in their body's chain, with higher sequence numbers
    with transaction.atomic():
        entry = record(action="prova.dopo", body_id=bodies[1])
    assert entry.position == owners.count(bodies[1]) + 1 and entry.sequence > len(owners)
    assert verify()[0]

    # a change to an old entry is reported by its body's chain and by the single chain
    old = AuditEntry.objects.get(sequence=2)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute("UPDATE audit_auditentry SET payload = %s WHERE id = %s",
                       [json.dumps(dict(old.payload, data={"n": 99})), old.pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")
    broken = {v.chain for v in verify_all() if not v.ok}
    assert broken == {bodies[1], LEGACY_CHAIN}
    assert verify_chain(bodies[0]).ok


def _migrate_leaf():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "audit"]


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
