"""Achievement from stored values and the body's rules (workflow.achievement)."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.achievement import (
    NO_TARGET,
    NOT_MEASURED,
    Rules,
    Score,
    adjusted,
    indicator_achievement,
    objective_score,
    weighted_average,
)

DEFAULT = Rules()


def score(polarity, actual, target=D(100), baseline=None, tolerance=None, rules=DEFAULT):
    return indicator_achievement(
        polarity=polarity, actual=actual, target=target, baseline=baseline, tolerance=tolerance, rules=rules
    )


@pytest.mark.parametrize(
    "polarity, actual, target, baseline, tolerance, expected",
    [
        ("higher", D(50), D(100), None, None, D(50)),
        ("higher", D(60), D(100), D(20), None, D(50)),  # (60-20)/(100-20)
        ("higher", D(150), D(100), None, None, D(100)),  # capped at 100 by default
        ("higher", D(10), D(100), D(20), None, D(0)),  # worse than the baseline: 0, never negative
        ("higher", D(0), D(0), None, None, D(100)),  # target 0 reached
        ("lower", D(20), D(10), D(30), None, D(50)),  # (20-30)/(10-30)
        ("lower", D(40), D(30), None, None, D(75)),  # no baseline: target / actual
        ("lower", D(25), D(30), None, None, D(100)),
        ("range", D(105), D(100), None, D(10), D(100)),
        ("range", D(120), D(100), D(80), D(10), D(50)),  # 100 - (20-10)/20*100
        ("binary", D(1), None, None, None, D(100)),
        ("binary", D(0), None, None, None, D(0)),
    ],
)
def test_each_polarity(polarity, actual, target, baseline, tolerance, expected):
    s = score(polarity, actual, target, baseline, tolerance)
    assert s.value == expected
    assert "=" in s.how or ":" in s.how


def test_not_measured_and_no_target_are_unknown_not_zero():
    assert score("higher", None).value is None
    assert score("higher", None).how == NOT_MEASURED
    assert score("higher", D(5), target=None).how == NO_TARGET


def test_threshold_and_over_achievement():
    assert score("higher", D(30), rules=Rules(zero_threshold=D(40))).value == 0
    assert score("higher", D(40), rules=Rules(zero_threshold=D(40))).value == 40
    over = Rules(allow_over_achievement=True, cap=D(120))
    assert score("higher", D(110), rules=over).value == 110
    assert score("higher", D(200), rules=over).value == 120
    assert "limitato" in score("higher", D(200), rules=over).how


def test_the_explanation_carries_the_numbers_the_italian_way():
    s = score("higher", D("42.5"), target=D(100), baseline=D(0))
    assert s.value == D("42.50")
    assert "42,50" in s.how and "100" in s.how


def test_weighted_average_and_objective_score():
    a, b = Score(D(100), ""), Score(D(50), "")
    assert weighted_average([(D(3), a), (D(1), b)]).value == D("87.50")
    assert weighted_average([(None, a), (None, b)]).value == D(75)  # no weights: equal
    assert weighted_average([(D(1), a), (D(1), Score(None, ""))]).value == D(100)  # unknown left out
    assert weighted_average([]).value is None
    o = objective_score(
        indicators=Score(D(80), ""), phases=Score(D(50), ""), rules=Rules(indicators_share=D(70))
    )
    assert o.value == D(71)
    assert objective_score(indicators=Score(None, ""), phases=Score(D(50), "")).value == D(50)
    adj = adjusted(o, D(65), "evidenze insufficienti")
    assert adj.value == D(65) and "71" in adj.how and "evidenze" in adj.how


numbers = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
rules_st = st.builds(
    Rules,
    allow_over_achievement=st.booleans(),
    cap=st.decimals(min_value=100, max_value=200, places=0),
    zero_threshold=st.decimals(min_value=0, max_value=60, places=0),
)


@settings(max_examples=300, deadline=None)
@given(
    polarity=st.sampled_from(["higher", "lower", "range", "binary"]),
    a1=numbers,
    a2=numbers,
    target=numbers,
    baseline=st.none() | numbers,
    tolerance=st.none() | st.decimals(min_value=0, max_value=50, places=2),
    rules=rules_st,
)
def test_scores_stay_within_bounds_and_move_the_right_way(
    polarity, a1, a2, target, baseline, tolerance, rules
):
    if polarity == "lower" and baseline is None:
        a1, a2 = abs(a1) + 1, abs(a2) + 1  # target ÷ actual needs a positive actual
        target = abs(target)
    low, high = sorted([a1, a2])
    s_low = score(polarity, low, target, baseline, tolerance, rules)
    s_high = score(polarity, high, target, baseline, tolerance, rules)
    for s in (s_low, s_high):
        assert s.value is not None
        assert 0 <= s.value <= rules.ceiling
    if polarity == "higher":
        assert s_high.value >= s_low.value
    if polarity == "lower":
        assert s_high.value <= s_low.value
    if polarity == "range" and low >= target:
        assert s_high.value <= s_low.value  # moving away from the target above it never helps


def test_lower_without_baseline_and_a_zero_or_negative_value_never_divides_by_zero():
    assert score("lower", D(0), target=D(-5)).value == 0
    assert score("lower", D(-10), target=D(-5)).value == 100
    assert score("lower", D(0), target=D(5)).value == 100
