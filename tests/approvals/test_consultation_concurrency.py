"""A request for confronto and the closing of the consultation at the same moment: the closing never
records "no request" while a request lands beside it. Both lock the information's row, so one waits for
the other and then sees what it did. PostgreSQL only (row locks, concurrent connections)."""

import threading
import time

import pytest
from django.db import connection

import flows.steps as steps
from approvals.models import ConfrontoRequest, StepRecord
from approvals.selectors.consultation import current_information
from approvals.services import consultation as records
from flows import errors
from flows.services import consultation as svc
from flows.services.transitions import objective_transition
from tests.factories import ensure_role_groups
from tests.support import fresh, walk_to
from workflow.models import State

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: row locks (SELECT ... FOR UPDATE) and concurrent connections",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    ensure_role_groups()


def run_both(first, second, holding: threading.Event):
    """Start ``first``, then ``second`` once ``first`` says it holds its locks (``holding``; a closing
    renders its PDF before its transaction, so a fixed delay would not do); their outcomes."""
    outcomes = [None, None]

    def call(i, fn):
        try:
            outcomes[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the outcome is inspected by the test
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=call, args=(0, first)),
        threading.Thread(target=call, args=(1, second)),
    ]
    threads[0].start()
    assert holding.wait(timeout=30), "the first call never took its locks"
    threads[1].start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a call hung: lock never released?"
    return outcomes


def test_a_request_first_makes_the_closing_ask_for_the_outcome(draft, people, monkeypatch):
    o = walk_to(draft, State.UNION_CONSULTATION, people)
    information = current_information(o)
    original = records.request_create
    holding = threading.Event()

    def create_then_wait(**kwargs):
        made = original(**kwargs)
        holding.set()
        time.sleep(0.5)  # still inside the request's transaction, the information's row locked
        return made

    monkeypatch.setattr(records, "request_create", create_then_wait)
    request, close = run_both(
        lambda: svc.confronto_request(
            information_id=information.pk, text="Confronto", by=people["sindacato"]
        ),
        lambda: objective_transition(
            objective_id=o.pk,
            name="close_consultation",
            by=people["segreteria"],
            data={"early_reason": "urgente"},
        ),
        holding,
    )
    assert isinstance(request, ConfrontoRequest), repr(request)
    assert isinstance(close, errors.ConditionsUnmet) and close.message == errors.OUTCOME_REQUIRED, repr(close)
    assert fresh(o).state == State.UNION_CONSULTATION


def test_a_closing_first_makes_the_request_too_late(draft, people, monkeypatch):
    o = walk_to(draft, State.UNION_CONSULTATION, people)
    information = current_information(o)
    original = steps.save_with_history
    holding = threading.Event()

    def save_then_wait(instance, **kwargs):
        original(instance, **kwargs)
        holding.set()
        time.sleep(0.5)  # still inside the closing's transaction, the information's row locked

    monkeypatch.setattr(steps, "save_with_history", save_then_wait)
    close, request = run_both(
        lambda: objective_transition(
            objective_id=o.pk,
            name="close_consultation",
            by=people["segreteria"],
            data={"early_reason": "urgente"},
        ),
        lambda: svc.confronto_request(
            information_id=information.pk, text="Confronto", by=people["sindacato"]
        ),
        holding,
    )
    assert fresh(o).state == State.SIGNATURE, repr(close)
    assert isinstance(request, errors.ConditionsUnmet) and request.message == svc.CONSULTATION_CLOSED, repr(
        request
    )
    assert not ConfrontoRequest.objects.exists()
    assert (
        StepRecord.objects.get(objective=o, transition="close_consultation").data["outcome"] == "no_request"
    )
