"""The one declaration of the content fields (workflow.content) against the models and the schema."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import models
from django.utils.text import capfirst

from workflow import content
from workflow.content import INDICATOR, OBJECTIVE, PHASE
from workflow.interchange import SCHEMA_PATH
from workflow.models import Indicator, Objective, Phase

DECLARED = [(Objective, OBJECTIVE), (Phase, PHASE), (Indicator, INDICATOR)]
# Model fields that are neither content nor shown by a version: keys, bookkeeping and row order.
UNDECLARED = {
    Objective: {"id", "plan", "lock_version", "created_at", "updated_at", "updated_by", "state_entered_at"},
    Phase: {"id", "objective", "position"},
    Indicator: {"id", "objective", "position"},
}
ROW_KIND = {
    models.DecimalField: content.NUMBER,
    models.DateField: content.DATE,
    models.BooleanField: content.BOOL,
    models.ForeignKey: content.REFERENCE,
    models.PositiveIntegerField: content.INTEGER,
    models.PositiveSmallIntegerField: content.INTEGER,
}


def _schema_properties(*path):
    node = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["properties"]["objectives"]["items"]
    for key in path:
        node = node["properties"][key]["items"]
    return list(node["properties"])


@pytest.mark.parametrize(("model", "fields"), DECLARED)
def test_every_model_field_is_declared_with_the_models_label_and_nullability(model, fields):
    concrete = {f.name for f in model._meta.concrete_fields}
    assert set(fields.names()) == concrete - UNDECLARED[model]
    for f in fields:
        model_field = model._meta.get_field(f.name)
        assert f.label == capfirst(model_field.verbose_name), f.name
        assert f.nullable == model_field.null, f.name
        expected_kind = next((k for t, k in ROW_KIND.items() if isinstance(model_field, t)), None)
        if model_field.choices:
            expected_kind = content.CHOICE
        assert f.kind == (expected_kind or content.TEXT), f.name
        if f.default is not None:  # what a document that leaves the key out stands for
            assert f.default == model_field.get_default(), f.name


def test_the_measure_is_the_indicator_s_version_2_fields_and_the_rest_is_version_1():
    assert content.INDICATOR_MEASURES == (
        "unit",
        "polarity",
        "baseline_value",
        "baseline_year",
        "target_1",
        "target_2",
        "target_3",
        "tolerance",
        "weight",
        "formula",
        "data_source",
        "frequency",
        "to_complete",
    )
    assert {f.since for f in (*OBJECTIVE, *PHASE)} == {1}
    assert max(f.since for f in INDICATOR) == content.FORMAT_VERSION


def test_the_exported_fields_are_the_schemas_keys_in_its_order():
    # the rows and the workflow state follow the fields (workflow.export.objective_as_dict)
    assert [f.name for f in OBJECTIVE.exported] + ["phases", "indicators", "dup_links", "state"] == (
        _schema_properties()
    )
    assert [f.name for f in PHASE.exported] == _schema_properties("phases")
    assert [f.name for f in INDICATOR.exported] == _schema_properties("indicators")
    assert list(content.DUP_LINK_KEYS) == _schema_properties("dup_links")


def test_workflow_data_is_neither_content_nor_in_the_form():
    assert {f.name for f in OBJECTIVE if not f.content} == {
        "code",
        "responsible",
        "responsible_name",
        "state",
        "revision",
    }
    assert not any(f.in_form and not f.content for f in (*OBJECTIVE, *PHASE, *INDICATOR))


def test_values_go_to_the_interchange_document_and_back():
    weight, start, notes = PHASE["weight"], PHASE["start"], PHASE["notes"]
    assert content.to_interchange(weight, Decimal("40.00")) == 40
    assert content.to_interchange(weight, Decimal("40.50")) == 40.5
    assert content.to_interchange(start, dt.date(2023, 1, 31)) == "2023-01-31"
    assert content.to_interchange(weight, None) is None
    assert content.from_interchange(weight, 40.5) == Decimal("40.5")
    assert content.from_interchange(weight, 0) == 0 and content.from_interchange(weight, None) is None
    assert content.from_interchange(start, "2023-01-31") == dt.date(2023, 1, 31)
    assert content.from_interchange(notes, None) == ""
    assert content.normalised(notes, None) == "" and content.normalised(weight, None) is None
    # a key a document leaves out: the model's default where "no value" is neither None nor a text
    polarity, to_complete = INDICATOR["polarity"], INDICATOR["to_complete"]
    assert content.from_interchange(polarity, None) == "higher" == content.normalised(polarity, None)
    assert content.from_interchange(to_complete, None) is False
    assert content.from_interchange(INDICATOR["target_1"], None) is None
    assert content.to_interchange(INDICATOR["target_1"], Decimal("100.0000")) == 100
    assert content.to_interchange(INDICATOR["target_1"], Decimal("0.1250")) == 0.125


def test_a_field_is_found_by_name_and_an_unknown_name_is_an_error():
    assert OBJECTIVE["weight"].label == "Peso (%)"
    assert PHASE["start"].column == "Inizio" and INDICATOR["expected"].column == "Valore atteso"
    with pytest.raises(KeyError):
        OBJECTIVE["nope"]


def test_the_export_writes_the_schemas_keys_in_its_order_and_checks_against_it(draft):
    from workflow.export import objective_as_dict, plan_as_document
    from workflow.interchange import schema_problems

    exported = objective_as_dict(draft)
    assert list(exported) == _schema_properties()
    assert list(exported["phases"][0]) == _schema_properties("phases")
    assert list(exported["indicators"][0]) == _schema_properties("indicators")
    assert exported["weight"] == 40 and exported["phases"][0]["start"] == "2023-01-01"
    assert schema_problems(plan_as_document(draft.plan, [draft])) == []
