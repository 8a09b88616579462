"""Parallel transitions on different objectives of one body append to one unbroken chain: the body's head
row is locked by every append, so two writers never take the same position or the same previous hash.
Writers of different bodies never wait for each other: each body has its own head.

Real concurrency needs real row locks and separate connections: PostgreSQL only (see
tests/flows/test_concurrency.py for the pattern)."""

import threading
import time

import pytest
from django.db import connection, transaction

from audit.models import AuditEntry, AuditHead
from audit.services import record, verify, verify_chain
from flows.services.transitions import objective_transition
from tests.factories import ObjectiveFactory, ensure_role_groups
from tests.support import VALID_INPUT

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: row locks (SELECT ... FOR UPDATE) and concurrent connections",
    ),
    pytest.mark.django_db(transaction=True),
]

WRITERS = 8


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    ensure_role_groups()


def test_parallel_transitions_on_different_objectives_make_one_chain(plan, people):
    objectives = [ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]) for _ in range(WRITERS)]
    before = AuditEntry.objects.filter(chain=plan.body_id).count()
    barrier = threading.Barrier(WRITERS)
    outcomes = [None] * WRITERS

    def submit(i, objective):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = objective_transition(
                objective_id=objective.pk,
                name="submit",
                by=people["dirigente_satta"],
                data=VALID_INPUT["submit"],
            )
        except Exception as exc:  # noqa: BLE001 - inspected below
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i, o)) for i, o in enumerate(objectives)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes

    entries = list(AuditEntry.objects.filter(chain=plan.body_id).order_by("position"))
    assert len(entries) == before + WRITERS
    assert [e.position for e in entries] == list(range(1, len(entries) + 1))
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == previous.hash
        assert entry.sequence > previous.sequence
    submitted = sorted(int(e.object_id) for e in entries if e.action == "transition.submit")
    assert submitted == sorted(o.pk for o in objectives)
    assert AuditHead.objects.get(chain=plan.body_id).count == len(entries)
    ok, n, message = verify()
    assert ok, message


def test_two_bodies_writing_together_make_two_unbroken_chains(plan, other_body):
    bodies = [plan.body_id, other_body.pk]
    per_body = 20
    barrier = threading.Barrier(2 * len(bodies))
    failures = []

    def write(body_id, i):
        try:
            barrier.wait(timeout=10)
            for n in range(per_body // 2):
                with transaction.atomic():
                    record(action="prova.scrittura", body_id=body_id, data={"writer": i, "n": n})
        except Exception as exc:  # noqa: BLE001 - inspected below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(b, i)) for b in bodies for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    assert not failures, failures

    for body_id in bodies:
        verdict = verify_chain(body_id)
        assert verdict.ok, verdict.message
        assert verdict.checked == AuditEntry.objects.filter(body_id=body_id).count() >= per_body
    sequences = list(AuditEntry.objects.values_list("sequence", flat=True))
    assert len(sequences) == len(set(sequences))


def test_a_body_never_waits_for_another_bodys_open_transaction(plan, other_body):
    """A transaction of one body holds its chain's head until it ends; another body's append goes through
    meanwhile (were it to wait, the lock timeout set on its connection would fail it)."""
    holding, release, outcome = threading.Event(), threading.Event(), {}

    def hold():
        try:
            with transaction.atomic():
                record(action="prova.lunga", body_id=plan.body_id)
                holding.set()
                release.wait(timeout=20)
        finally:
            connection.close()

    def other():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                started = time.perf_counter()
                outcome["entry"] = record(action="prova.breve", body_id=other_body.pk)
                outcome["seconds"] = time.perf_counter() - started
        except Exception as exc:  # noqa: BLE001 - inspected below
            outcome["error"] = exc
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(timeout=10)
        writer = threading.Thread(target=other)
        writer.start()
        writer.join(timeout=30)
        assert "error" not in outcome, outcome.get("error")
        assert outcome["entry"].position == 1 and outcome["seconds"] < 2
    finally:
        release.set()
        holder.join(timeout=30)
    assert verify()[0]
