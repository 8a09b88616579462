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
    return list(AuditEntry.objects.filter(chain=draft.plan.body_id).order_by("position"))


def test_verify_audit_passes_on_intact_chains(chain):
    out = _run("verify_audit")
    assert f"Catena dell'ente Provincia di Cremona (p_cr): catena integra, {len(chain)} voci." in out
    assert f"Registro integro: {AuditEntry.objects.count()} voci in " in out


def test_verify_audit_fails_at_an_edited_entry(chain):
    target = next(e for e in chain if e.action == "transition.approve")
    _tamper("UPDATE audit_auditentry SET payload = %s WHERE id = %s", ['{"forged": true}', target.pk])

    with pytest.raises(CommandError) as failure:
        _run("verify_audit")

    assert failure.value.returncode == 1
    assert str(failure.value) == (
        f"Catena dell'ente Provincia di Cremona (p_cr): voce {target.position} (n. {target.sequence} del "
        "registro) alterata: l'impronta non corrisponde."
    )


def test_verify_audit_fails_at_a_deleted_entry(chain):
    target = next(e for e in chain if e.action == "transition.submit")
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [target.pk])

    with pytest.raises(CommandError) as failure:
        _run("verify_audit")

    assert failure.value.returncode == 1
    assert str(failure.value) == (
        "Catena dell'ente Provincia di Cremona (p_cr): voce mancante, attesa la posizione "
        f"{target.position}, trovata la {target.position + 1}."
    )


def test_verify_audit_body_checks_only_that_body(chain, other_body):
    from django.db import transaction

    from audit.services import record

    with transaction.atomic():
        record(action="prova.altro", body_id=other_body.pk)
    target = next(e for e in chain if e.action == "transition.approve")
    _tamper("UPDATE audit_auditentry SET payload = %s WHERE id = %s", ['{"forged": true}', target.pk])

    out = _run("verify_audit", "--body", "c_d142")
    assert "Catena dell'ente Comune di Crema (c_d142): catena integra, 1 voci." in out
    assert "Registro integro: 1 voci in 1 catene" in out
    with pytest.raises(CommandError, match=r"\(p_cr\): voce \d+ .* alterata"):
        _run("verify_audit", "--body", "p_cr")
    with pytest.raises(CommandError, match="Nessun ente ha il codice IPA «c_zzz»"):
        _run("verify_audit", "--body", "c_zzz")


def test_audit_anchor_prints_each_chain_head(chain, other_body):
    head = AuditHead.objects.get(chain=chain[0].chain)
    assert (head.count, head.hash) == (len(chain), chain[-1].hash)
    lines = _run("audit_anchor").split()
    assert f"p_cr:{len(chain)}:{chain[-1].hash}" in lines
    assert _run("audit_anchor", "--body", "p_cr").strip() == f"p_cr:{len(chain)}:{chain[-1].hash}"
    assert _run("audit_anchor", "--body", "c_d142").strip() == "c_d142:0:" + "0" * 64


def test_an_anchor_kept_outside_catches_a_chain_rewritten_consistently(chain, draft, people):
    anchor = _run("audit_anchor", "--body", "p_cr").strip()
    assert "ancora verificata" in _run("verify_audit", "--anchor", anchor)

    # Someone with write access rebuilds the body's chain after removing one entry: every hash is
    # recomputed, so the walk finds nothing wrong, but the entry the anchor names now has another hash.
    from audit.services import canonical, entry_hash

    victim = next(e for e in chain if e.action == "transition.approve")
    survivors = [e for e in chain if e.pk != victim.pk]
    _tamper("DELETE FROM audit_auditentry WHERE chain = %s", [chain[0].chain])
    prev = "0" * 64
    for n, e in enumerate(survivors, start=1):
        payload = dict(e.payload, position=n)
        digest = entry_hash(prev, canonical(payload))
        AuditEntry.objects.create(
            sequence=e.sequence,
            chain=e.chain,
            position=n,
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
    AuditHead.objects.filter(chain=chain[0].chain).update(count=len(survivors), hash=prev)
    assert "Registro integro" in _run("verify_audit")

    with pytest.raises(CommandError) as failure:
        _run("verify_audit", "--anchor", anchor)
    assert failure.value.returncode == 1
    assert str(failure.value) == (
        f"Catena dell'ente Provincia di Cremona (p_cr): ancora non verificata, la voce {len(chain)} non "
        "esiste più."
    )


def test_a_malformed_anchor_is_refused(chain):
    with pytest.raises(CommandError, match="Ancora non valida"):
        _run("verify_audit", "--anchor", "dodici")
    with pytest.raises(CommandError, match="nessun ente ha il codice IPA «c_zzz»"):
        _run("verify_audit", "--anchor", "c_zzz:1:" + "0" * 64)
