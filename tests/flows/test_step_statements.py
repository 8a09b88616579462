"""How many SQL statements each step of the path costs, as a page calls it: a ceiling per step kind, so a
change that adds a query to every step fails here rather than in a benchmark nobody runs
(bench/bench_steps.py measures the same walk, with the e-mails sent after the commit).

The ceilings are today's counts; lower them when a step gets leaner. Transaction control (BEGIN,
SAVEPOINT, RELEASE) is not counted; neither is the work after the commit (the tests' transaction never
commits), which the benchmark counts."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ObjectiveFactory
from tests.support import VALID_INPUT, files_for, fresh
from tests.support.walk import PATH
from workflow.models import Objective, State

CEILINGS = {
    "submit": 12,
    "approve": 16,
    "close_consultation": 29,  # with the document to sign: the content read for its render, its records
    "sign": 12,
    "adopt": 13,
    "transmit": 20,  # with the package: the plan's content as the schema writes it
    # with the published file: the document's objectives, their signatures, the seal, the file; and the
    # same read once more before the transaction, where its attestation page is rendered
    "publish": 28,
}
CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def _statements(captured) -> int:
    return sum(1 for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith(CONTROL))


def test_each_step_kind_stays_within_its_statement_ceiling(draft, people):
    from flows.services.transitions import objective_transition
    from flows.steps.objective import OBJECTIVE

    counts: dict[str, int] = {}
    for name, who in PATH:
        objective = fresh(draft)
        person = objective.responsible if who == "responsible" else people[who]
        by = get_user_model().objects.get(pk=person.pk)  # a fresh user object, as each request has
        step = OBJECTIVE.step(name)
        form = step.bound_form(VALID_INPUT[name], files_for(name), body=objective.plan.body)
        assert form.is_valid(), form.errors
        typed = step.input_from(form.cleaned_data)
        with CaptureQueriesContext(connection) as captured:
            objective_transition(
                objective_id=objective.pk, name=name, by=by, lock_version=objective.lock_version, input=typed
            )
        counts[name] = max(counts.get(name, 0), _statements(captured))
    assert Objective.objects.get(pk=draft.pk).state == "published"
    over = {name: (n, CEILINGS[name]) for name, n in counts.items() if n > CEILINGS[name]}
    assert not over, f"statements over the ceiling (counted, ceiling): {over}"


# What one more objective adds to a batch: nothing for most steps (the rows locked in one statement,
# saved in one, their history rows, step records, audit entries and notifications written together, what
# they share, the information to the unions, the act and its links, the transmission, written once).
# A publication asks, objective by objective, whether its transmission was delivered (its condition).
BATCHES = {
    "approve": (State.SUBMITTED, 0),
    "adopt": (State.DELIBERATION, 0),
    "transmit": (State.TRANSMISSION, 0),
    "publish": (State.PUBLICATION, 1),
}


def _batch_statements(plan, people, name: str, n: int) -> int:
    from flows.services.transitions import objectives_batch_transition

    ids = [
        ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], state=BATCHES[name][0]).pk
        for _ in range(n)
    ]
    by = get_user_model().objects.get(pk=people["segreteria"].pk)
    with CaptureQueriesContext(connection) as captured:
        moved = objectives_batch_transition(
            objective_ids=ids, name=name, by=by, data=VALID_INPUT[name], files=files_for(name)
        )
    assert len(moved) == n and {o.state for o in moved} != {BATCHES[name][0]}
    return _statements(captured)


@pytest.mark.parametrize("name", sorted(BATCHES))
def test_a_batch_is_one_operation_whatever_its_size(plan, people, name):
    few, many = _batch_statements(plan, people, name, 2), _batch_statements(plan, people, name, 8)
    assert (many - few) / 6 <= BATCHES[name][1], (few, many)
