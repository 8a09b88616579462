from pathlib import Path

import pytest

from workflow.interchange import JSON_TOO_DEEP, SCHEMA_PATH, name_key, schema_problems

SHARED_SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "piao-performance.schema.json"


@pytest.mark.skipif(not SHARED_SCHEMA.exists(), reason="../shared is not beside this checkout")
def test_the_kept_schema_is_the_shared_one():
    assert SCHEMA_PATH.read_bytes() == SHARED_SCHEMA.read_bytes()


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
