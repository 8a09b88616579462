"""Two people press the same button at the same moment: one wins, the other is told clearly.

Real concurrency needs real row locks and separate connections: PostgreSQL only (SQLite serialises whole
writes and has no SELECT ... FOR UPDATE). Each thread opens its own connection, so the test runs with
``transaction=True`` and the data it makes is committed.
"""

import threading
import time

import pytest
from django.db import connection

import flows.steps as steps
from approvals.models import StepRecord
from flows import errors
from flows.services.transitions import objective_transition
from tests.factories import ensure_role_groups
from tests.support import VALID_INPUT, fresh, walk_to
from workflow.models import Objective, State

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


@pytest.fixture
def slow_save(monkeypatch):
    """Hold the winner inside its transaction for a moment after it saved, so the other request surely
    arrives while the row is locked (without it the two could simply run one after the other)."""
    original = steps.save_with_history

    def save_then_wait(instance, **kwargs):
        original(instance, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(steps, "save_with_history", save_then_wait)


def race(objective_id, name, users, *, lock_version):
    """Run the same transition for each user in its own thread, all released at once."""
    barrier = threading.Barrier(len(users))
    outcomes = [None] * len(users)

    def press(i, user):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = objective_transition(objective_id=objective_id, name=name, by=user,
                                               lock_version=lock_version, data=VALID_INPUT[name])
        except Exception as exc:  # noqa: BLE001 - the outcome is inspected by the test
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(i, u)) for i, u in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a request hung: lock never released?"
    return outcomes


def _winners_and_losers(outcomes):
    winners = [o for o in outcomes if isinstance(o, Objective)]
    losers = [o for o in outcomes if not isinstance(o, Objective)]
    return winners, losers


def test_same_approve_with_the_same_lock_version_one_wins(draft, people, slow_save):
    o = walk_to(draft, State.SUBMITTED, people)
    history_before = Objective.history.filter(id=o.pk).count()

    users = [people["segreteria"], people["segretario"]]
    outcomes = race(o.pk, "approve", users, lock_version=o.lock_version)

    winners, losers = _winners_and_losers(outcomes)
    assert len(winners) == 1 and len(losers) == 1, outcomes
    # The loser waited on the row lock, then found a newer lock version than the one its page showed.
    assert isinstance(losers[0], errors.StaleObjective), repr(losers[0])
    assert "ricarica la pagina" in losers[0].message.lower()
    o = fresh(o)
    assert o.state == State.UNION_CONSULTATION
    assert o.lock_version == winners[0].lock_version
    assert StepRecord.objects.filter(objective=o, transition="approve").count() == 1
    assert Objective.history.filter(id=o.pk).count() == history_before + 1


def test_same_approve_without_a_lock_version_one_wins(draft, people, slow_save):
    # A caller that sends no lock version (a script, the API) is still protected by the row lock: the
    # loser re-reads the state after the winner committed and finds the step no longer available.
    o = walk_to(draft, State.SUBMITTED, people)
    history_before = Objective.history.filter(id=o.pk).count()

    outcomes = race(o.pk, "approve", [people["segreteria"], people["segretario"]], lock_version=None)

    winners, losers = _winners_and_losers(outcomes)
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert isinstance(losers[0], errors.TransitionNotAvailable), repr(losers[0])
    assert StepRecord.objects.filter(objective=o, transition="approve").count() == 1
    assert Objective.history.filter(id=o.pk).count() == history_before + 1


def test_two_signers_at_once_both_count(draft, people, slow_save):
    # Different steps on the same row serialise: the second signer sees the first signature and moves the
    # objective on to deliberation.
    o = walk_to(draft, State.SIGNATURE, people)

    outcomes = race(o.pk, "sign", [people["dirigente_satta"], people["segretario"]], lock_version=None)

    winners, losers = _winners_and_losers(outcomes)
    assert losers == [], outcomes
    assert fresh(o).state == State.DELIBERATION
    assert list(StepRecord.objects.filter(objective=o, transition="sign").order_by("id").values_list(
        "target", flat=True)) == [State.SIGNATURE, State.DELIBERATION]


def test_same_report_check_at_once_one_wins(draft, people, slow_save):
    """The progress report runs on the same engine: two members of the Segreteria checking the same
    report at once, one wins and the other is told the page is stale."""
    from decimal import Decimal

    from approvals.models import ReportStepRecord
    from flows.services import monitoring
    from workflow.models import ProgressReport, ReportState

    o = walk_to(draft, State.PUBLISHED, people)
    o.indicators.update(target_1=Decimal(100))
    period = monitoring.periods_create_default(plan=o.plan, by=people["segreteria"])[0]
    report = monitoring.reports_open(period=period, by=people["segreteria"])[0]
    values = {m.indicator_id: {"value": Decimal(80)} for m in report.measures.all()}
    report = monitoring.report_save(report_id=report.pk, by=people["dirigente_satta"],
                                    lock_version=report.lock_version, measures=values)
    report = monitoring.report_transition(report_id=report.pk, name="submit", by=people["dirigente_satta"])

    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def press(i, user):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = monitoring.report_transition(report_id=report.pk, name="check", by=user,
                                                       lock_version=report.lock_version, data={})
        except Exception as exc:  # noqa: BLE001 - the outcome is inspected by the test
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(i, u))
               for i, u in enumerate([people["segreteria"], people["segretario"]])]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    winners = [x for x in outcomes if isinstance(x, ProgressReport)]
    losers = [x for x in outcomes if not isinstance(x, ProgressReport)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert isinstance(losers[0], errors.StaleObjective) and "rendicontazione" in losers[0].message
    assert ProgressReport.objects.get(pk=report.pk).state == ReportState.CHECKED
    assert ReportStepRecord.objects.filter(report=report, transition="check").count() == 1
