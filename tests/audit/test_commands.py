"""`manage.py verify_audit` and `manage.py audit_anchor`: the commands an auditor runs on the evidence log."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import AuditEntry, AuditHead
from tests.support import walk_to
from workflow.models import State

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _tamper(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # as the table's owner could (tests/audit/test_chain.py)
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(sql, params)


@pytest.fixture
def chain(draft, people):
    walk_to(draft, State.SIGNATURE, people)
    return list(AuditEntry.objects.order_by("sequence"))


def test_verify_audit_passes_on_an_intact_chain(chain):
    out = _run("verify_audit")
    assert f"Catena integra: {len(chain)} voci." in out


def test_verify_audit_fails_at_an_edited_entry(chain):
    target = next(e for e in chain if e.action == "transition.approve")
    _tamper("UPDATE audit_auditentry SET payload = %s WHERE id = %s", ['{"forged": true}', target.pk])

    with pytest.raises(CommandError) as failure:
        _run("verify_audit")

    assert failure.value.returncode == 1
    assert str(failure.value) == f"Voce {target.sequence} alterata: l'impronta non corrisponde."


def test_verify_audit_fails_at_a_deleted_entry(chain):
    target = next(e for e in chain if e.action == "transition.submit")
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [target.pk])

    with pytest.raises(CommandError) as failure:
        _run("verify_audit")

    assert failure.value.returncode == 1
    assert str(failure.value) == (
        f"Voce mancante: attesa la sequenza {target.sequence}, trovata {target.sequence + 1}."
    )


def test_audit_anchor_prints_the_count_and_the_head_hash(chain):
    head = AuditHead.objects.get()
    assert _run("audit_anchor").strip() == f"{len(chain)}:{chain[-1].hash}"
    assert (head.count, head.hash) == (len(chain), chain[-1].hash)


def test_an_anchor_kept_outside_catches_a_chain_rewritten_consistently(chain, draft, people):
    anchor = _run("audit_anchor").strip()
    assert "Ancora verificata" in _run("verify_audit", "--anchor", anchor)

    # Someone with write access rebuilds the whole chain after removing one entry: every hash is recomputed,
    # so the walk finds nothing wrong, but the entry the anchor names now has another hash.
    from audit.services import canonical, entry_hash

    victim = next(e for e in chain if e.action == "transition.approve")
    survivors = [e for e in chain if e.pk != victim.pk]
    _tamper("DELETE FROM audit_auditentry", [])
    prev = "0" * 64
    for n, e in enumerate(survivors, start=1):
        payload = dict(e.payload, sequence=n)
        digest = entry_hash(prev, canonical(payload))
        AuditEntry.objects.create(
            sequence=n,
            at=e.at,
            actor_id=e.actor_id,
            actor_name=e.actor_name,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            body_id=e.body_id,
            plan_id=e.plan_id,
            payload=payload,
            prev_hash=prev,
            hash=digest,
        )
        prev = digest
    AuditHead.objects.filter(pk=1).update(count=len(survivors), hash=prev)
    assert "Catena integra" in _run("verify_audit")

    with pytest.raises(CommandError) as failure:
        _run("verify_audit", "--anchor", anchor)
    assert failure.value.returncode == 1
    assert str(failure.value) == f"Ancora non verificata: la voce {len(chain)} non esiste più."


def test_a_malformed_anchor_is_refused(chain):
    with pytest.raises(CommandError, match="Ancora non valida"):
        _run("verify_audit", "--anchor", "dodici")
