"""Parallel transitions on different objectives append to one unbroken chain: the head row is locked by
every append, so two writers never take the same sequence or the same previous hash.

Real concurrency needs real row locks and separate connections: PostgreSQL only (see
tests/flows/test_concurrency.py for the pattern)."""

import threading

import pytest
from django.db import connection

from audit.models import AuditEntry, AuditHead
from audit.services import verify
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
    before = AuditEntry.objects.count()
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

    entries = list(AuditEntry.objects.order_by("sequence"))
    assert len(entries) == before + WRITERS
    assert [e.sequence for e in entries] == list(range(1, len(entries) + 1))
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == previous.hash
    submitted = sorted(int(e.object_id) for e in entries if e.action == "transition.submit")
    assert submitted == sorted(o.pk for o in objectives)
    assert AuditHead.objects.get().count == len(entries)
    ok, n, message = verify()
    assert ok, message
