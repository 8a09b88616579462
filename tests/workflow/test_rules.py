"""workflow.rules.submission_problems: plain data in, Italian messages out."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from workflow.rules import submission_problems


def objective(**kwargs):
    return SimpleNamespace(**({"title": "Tempi di pagamento", "strategic_objective_id": 1,
                               "weight": Decimal("40")} | kwargs))


def phase(description="Fase", weight=None, start=None, end=None):
    return SimpleNamespace(description=description, weight=None if weight is None else Decimal(weight),
                           start=start, end=end)


INDICATORS = [SimpleNamespace(description="Tempo medio di pagamento")]
JAN, MAR, JUN, DEC = dt.date(2023, 1, 1), dt.date(2023, 3, 31), dt.date(2023, 6, 30), dt.date(2023, 12, 31)


@pytest.mark.parametrize("phases", [
    pytest.param([phase(weight="50", start=JAN, end=MAR), phase(weight="50", start=MAR, end=DEC)],
                 id="complete"),
    pytest.param([phase(start=JAN, end=JAN)], id="start-equals-end"),
    pytest.param([phase(weight="100", start=JAN, end=DEC), phase("Nota: vedi allegato")],
                 id="note-row-no-dates"),
    pytest.param([phase("Solo inizio", start=DEC), phase("Solo fine", end=JAN)], id="half-dated-rows"),
    pytest.param([phase(weight="60"), phase(weight="40"), phase("Senza peso")],
                 id="only-given-weights-count"),
    pytest.param([phase(), phase()], id="no-weights-at-all"),
    pytest.param([phase(weight="33.33"), phase(weight="33.33"), phase(weight="33.34")], id="decimal-weights"),
])
def test_complete_content_has_no_problems(phases):
    assert submission_problems(objective(), phases, INDICATORS) == []


def test_every_missing_field_is_listed():
    empty = objective(title="  ", strategic_objective_id=None, weight=Decimal(0))
    problems = submission_problems(empty, [], [])
    assert problems == ["Mancano: titolo, obiettivo strategico, peso maggiore di zero, almeno una fase, "
                        "almeno un indicatore."]


@pytest.mark.parametrize(("fields", "missing"), [
    ({"title": ""}, "titolo"),
    ({"title": None}, "titolo"),
    ({"strategic_objective_id": None}, "obiettivo strategico"),
    ({"weight": None}, "peso maggiore di zero"),
    ({"weight": Decimal("-5")}, "peso maggiore di zero"),
])
def test_one_missing_field(fields, missing):
    assert submission_problems(objective(**fields), [phase()], INDICATORS) == [f"Mancano: {missing}."]


def test_a_phase_starting_after_its_end_is_named_with_its_dates():
    phases = [phase("Analisi", start=JAN, end=MAR), phase("Attuazione   del\npiano", start=DEC, end=JUN)]
    assert submission_problems(objective(), phases, INDICATORS) == [
        "La fase 2 («Attuazione del piano») inizia il 31/12/2023, dopo la fine prevista del 30/06/2023."]


def test_a_long_phase_description_is_shortened():
    problems = submission_problems(objective(), [phase("x" * 100, start=DEC, end=JAN)], INDICATORS)
    assert "(«" + "x" * 59 + "…»)" in problems[0]


@pytest.mark.parametrize(("weights", "shown"), [
    (["60", "30"], "90,00"),
    (["60", "50"], "110,00"),
    (["33.33", "33.33", "33.33"], "99,99"),
    (["0"], "0,00"),
])
def test_given_phase_weights_must_sum_to_100(weights, shown):
    phases = [phase(weight=w) for w in weights] + [phase("Nota senza peso")]
    assert submission_problems(objective(), phases, INDICATORS) == [
        f"I pesi delle fasi sommano a {shown}% invece di 100%."]


def test_all_problems_together_in_order():
    phases = [phase("Unica", weight="70", start=JUN, end=JAN)]
    assert submission_problems(objective(weight=Decimal(0)), phases, []) == [
        "Mancano: peso maggiore di zero, almeno un indicatore.",
        "La fase 1 («Unica») inizia il 30/06/2023, dopo la fine prevista del 01/01/2023.",
        "I pesi delle fasi sommano a 70,00% invece di 100%.",
    ]
