"""Reading a printed expected value as a measure, and writing measured numbers (workflow.measures)."""

from collections import Counter
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.utils import translation

from workflow.measures import measure_text, read_expected
from workflow.piao_report import parse_report

REPORT = Path(__file__).resolve().parents[2] / "workflow" / "data" / "piao-2023-sez-2-2-provincia-cremona.txt"


@pytest.mark.parametrize(
    ("text", "polarity", "target", "to_complete"),
    [
        # an Italian number: a target to reach
        ("100,00", "higher", D(100), False),
        ("4,00", "higher", D(4), False),
        ("2,5", "higher", D("2.5"), False),
        ("1.250,75", "higher", D("1250.75"), False),
        ("400", "higher", D(400), False),
        ("90 %", "higher", D(90), False),
        ("  100,00 ", "higher", D(100), False),
        # zero: the target is there, which way is better is not
        ("0,00", None, D(0), True),
        ("0", None, D(0), True),
        # a bound
        ("<30", "lower", D(30), False),
        ("< 1", "lower", D(1), False),
        ("<0", "lower", D(0), False),
        ("<= 15,5", "lower", D("15.5"), False),
        ("≤10", "lower", D(10), False),
        (">7", "higher", D(7), False),
        (">1987", "higher", D(1987), False),
        (">= 120", "higher", D(120), False),
        ("≥ 3,00", "higher", D(3), False),
        # something to be done
        ("SI", "binary", D(1), False),
        ("Sì", "binary", D(1), False),
        ("si", "binary", D(1), False),
        # nothing to read a target from: flagged, never guessed
        ("NO", None, None, True),
        ("31/12/2023", None, None, True),
        ("30/09/2023", None, None, True),
        ("", None, None, True),
        (None, None, None, True),
        ("100.5", None, None, True),  # a dot: thousands or decimals? not guessed
        ("-5,00", None, None, True),
        ("100,00 pratiche", None, None, True),
        ("almeno 10", None, None, True),
        ("SI/NO", None, None, True),
        ("<", None, None, True),
    ],
)
def test_an_expected_value_gives_only_what_it_states(text, polarity, target, to_complete):
    assert read_expected(text) == (polarity, target, to_complete)


def test_the_real_report_s_expected_values():
    """The 220 indicators of the Provincia di Cremona's 2023 report: 200 get a first year's target, 35 are
    flagged "da completare" (the 15 "0,00" keep their target of 0; 5 "NO" and 15 dates get none)."""
    document = parse_report(REPORT.read_text(encoding="utf-8")).document
    read = [read_expected(i["expected"]) for o in document["objectives"] for i in o["indicators"]]
    assert len(read) == 220
    assert Counter((polarity, target is not None, flagged) for polarity, target, flagged in read) == {
        ("higher", True, False): 109,
        ("binary", True, False): 73,
        ("lower", True, False): 3,
        (None, True, True): 15,
        (None, False, True): 20,
    }


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("100.0000"), "100,00"),
        (D("2.5000"), "2,50"),
        (D("0.1250"), "0,125"),
        (D("0.1234"), "0,1234"),
        (D(0), "0,00"),
        (30, "30,00"),
        (27.25, "27,25"),
        (D("-3.5"), "-3,50"),
        (None, ""),
        ("", ""),
    ],
)
def test_a_measured_number_is_written_the_italian_way(value, text):
    with translation.override("it"):
        assert measure_text(value) == text
