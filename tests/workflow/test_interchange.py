import copy
import json
from pathlib import Path

import pytest

from workflow.content import FORMAT_VERSION, INDICATOR_MEASURES
from workflow.interchange import (
    JSON_TOO_DEEP,
    SCHEMA_PATH,
    TOO_NEW,
    format_version,
    indicator_upgraded,
    name_key,
    schema_problems,
    upgraded,
)

SHARED_SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "piao-performance.schema.json"


def _without_version_2(schema: dict) -> dict:
    schema = copy.deepcopy(schema)
    del schema["properties"]["format_version"]
    indicator = schema["properties"]["objectives"]["items"]["properties"]["indicators"]["items"]
    for name in INDICATOR_MEASURES:
        del indicator["properties"][name]
    return schema


@pytest.mark.skipif(not SHARED_SCHEMA.exists(), reason="../shared is not beside this checkout")
def test_the_kept_schema_is_the_shared_one_with_the_version_2_keys():
    kept = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert _without_version_2(kept) == json.loads(SHARED_SCHEMA.read_text(encoding="utf-8"))
    assert kept["properties"]["format_version"]["enum"] == [1, FORMAT_VERSION]


def _document(*indicators, **top):
    objective = {
        "code": "2023_5501",
        "title": "Tempi di pagamento",
        "strategic_objective": "2023_OS01",
        "weight": 40,
        "responsible": "SATTA SABRINA",
        "kind": "performance",
        "transversal": False,
        "phases": [],
        "indicators": list(indicators),
    }
    return {**top, "year": 2023, "strategic_objectives": [], "objectives": [objective]}


OLD_ROW = {"description": "Tempo medio di pagamento", "kind": "RISULTATO", "expected": "<30", "notes": ""}


def test_a_document_without_a_version_is_version_1_and_both_versions_are_valid():
    assert format_version(_document(OLD_ROW)) == 1
    assert schema_problems(_document(OLD_ROW)) == []
    assert schema_problems(_document(OLD_ROW, format_version=1)) == []
    assert (
        schema_problems(_document({**OLD_ROW, "polarity": "lower", "target_1": 30}, format_version=2)) == []
    )


@pytest.mark.parametrize(
    ("row", "where"),
    [
        ({"polarity": "maggiore"}, "polarity"),
        ({"target_1": "trenta"}, "target_1"),
        ({"target_2": 1e15}, "target_2"),
        ({"baseline_year": 23}, "baseline_year"),
        ({"weight": 120}, "weight"),
        ({"tolerance": -1}, "tolerance"),
        ({"frequency": "daily"}, "frequency"),
        ({"to_complete": "sì"}, "to_complete"),
    ],
)
def test_a_measure_that_breaks_the_format_is_named(row, where):
    problems = schema_problems(_document({**OLD_ROW, **row}, format_version=2))
    assert any(p.startswith(f"objectives/0/indicators/0/{where}:") for p in problems), problems


def test_a_newer_version_is_refused_in_italian():
    assert schema_problems(_document(OLD_ROW, format_version=3)) == [
        TOO_NEW.format(found=3, current=FORMAT_VERSION)
    ]


def test_an_old_document_is_read_in_the_current_version_without_changing_it():
    old = _document(OLD_ROW, dict(OLD_ROW, expected="NO"), dict(OLD_ROW, expected="SI"))
    before = copy.deepcopy(old)
    new = upgraded(old)
    assert old == before
    assert new["format_version"] == FORMAT_VERSION
    assert [(i["polarity"], i["target_1"], i["to_complete"]) for i in new["objectives"][0]["indicators"]] == [
        ("lower", 30, False),
        ("higher", None, True),
        ("binary", 1, False),
    ]


def test_an_indicator_that_carries_its_measure_is_taken_as_it_is():
    row = {**OLD_ROW, "target_1": 25}  # the rest of the measure left to the model's defaults
    assert indicator_upgraded(row) == row


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("SATTA SABRINA", "Sabrina Satta"),
        ("D'ANGELO ROSA", "Rosa d'Angelo"),
        ("NICOLÒ BARBÈRA", "barbera nicolo"),
    ],
)
def test_printed_names_match_in_either_order_without_accents_or_case(a, b):
    assert name_key(a) == name_key(b)


def test_different_people_do_not_match():
    assert name_key("SATTA SABRINA") != name_key("SATTA SARA")
    assert name_key("") == ()


def test_schema_problems_name_the_place():
    problems = schema_problems({"year": "2023", "strategic_objectives": [], "objectives": [{"code": "x"}]})
    assert any(p.startswith("year:") for p in problems)
    assert any(p.startswith("objectives/0:") for p in problems)
    assert schema_problems({"year": 2023, "strategic_objectives": [], "objectives": []}) == []


def test_schema_problems_refuse_a_document_nested_too_deep_without_recursing():
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert schema_problems({"year": 2023, "strategic_objectives": [], "objectives": deep}) == [JSON_TOO_DEEP]
