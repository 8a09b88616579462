"""Importing the interchange document: round trips, repeatability, conflicts, people, bad input."""

import copy
import datetime as dt
import json
import string
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from guardian.shortcuts import get_perms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEntry
from flows import errors
from flows.services.interchange import IMPORT_FORBIDDEN, IMPORT_REASON, WRONG_YEAR, plan_import
from tests.factories import BodyFactory, ObjectiveFactory, Role, UserFactory, member
from tests.support import act
from workflow.export import plan_as_document
from workflow.interchange import read_document
from workflow.measures import read_expected
from workflow.models import Body, Indicator, Objective, Phase, Plan

pytestmark = pytest.mark.django_db

REPORT = Path(__file__).resolve().parents[2] / "workflow" / "data" / "piao-2023-sez-2-2-provincia-cremona.txt"


def export(plan):
    plan = Plan.objects.get(pk=plan.pk)
    return plan_as_document(plan, plan.objectives.prefetch_related("phases", "indicators", "dup_links"))


def rows_of_everything():
    return (
        Objective.history.count(),
        Phase.history.count(),
        Objective.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def document(plan, people):
    for n in range(3):
        o = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], code=f"2023_550{n}")
        o.dup_links.create(
            level="programma", code=f"2023_PRO_01_0{n}", title="Segreteria generale", view="dup"
        )
    Objective.objects.update(responsible_name="SATTA SABRINA")
    return export(plan)


def test_export_import_export_is_identical(document, people):
    crema = BodyFactory(name="Comune di Crema", ipa_code="c_d142")
    result = plan_import(by=None, body=crema, year=2023, document=document, source="export.json")
    assert (len(result.created), result.phases, result.indicators) == (3, 6, 3)
    again = export(Plan.objects.get(body=crema, year=2023))
    assert {**again, "body": document["body"]} == document


def test_importing_the_same_document_again_changes_nothing(plan, document, people):
    before = rows_of_everything()
    result = plan_import(
        by=people["segreteria"], body=plan.body, year=2023, document=document, source="x.json"
    )
    assert (result.created, result.updated, result.conflicts) == ([], [], [])
    assert len(result.unchanged) == 3
    assert rows_of_everything()[:3] == before[:3]  # only the import's own audit entry is new
    assert AuditEntry.objects.count() == before[3] + 1


def test_a_changed_draft_is_updated_with_an_import_version(plan, document, people):
    changed = copy.deepcopy(document)
    changed["objectives"][1]["title"] = "Titolo aggiornato dal report"
    changed["strategic_objectives"][0]["linked_objectives"][1]["title"] = "Titolo aggiornato dal report"
    changed["objectives"][1]["phases"][0]["description"] = "Analisi rivista"
    changed["objectives"][1]["phases"].append(
        {
            "description": "Nota",
            "weight": None,
            "start": None,
            "end": None,
            "responsible": "",
            "responsibility_center": "",
            "notes": "senza date",
        }
    )
    result = plan_import(
        by=people["segreteria"], body=plan.body, year=2023, document=changed, source="x.json"
    )
    assert (result.updated, len(result.unchanged)) == (["2023_5501"], 2)
    o = Objective.objects.get(plan=plan, code="2023_5501")
    assert o.title == "Titolo aggiornato dal report"
    assert o.history.first().history_change_reason == IMPORT_REASON
    assert o.history.first().history_user == people["segreteria"]
    assert list(o.phases.values_list("description", flat=True)) == ["Analisi rivista", "Attuazione", "Nota"]
    assert Phase.history.filter(objective_id=o.pk, history_type="+", description="Nota").exists()
    assert export(plan) == changed


def test_objectives_past_drafting_are_listed_as_conflicts_not_overwritten(plan, document, people):
    o = Objective.objects.get(plan=plan, code="2023_5500")
    act(o, "submit", people["dirigente_satta"])
    changed = copy.deepcopy(document)
    changed["objectives"][0]["title"] = "Non deve passare"
    result = plan_import(
        by=people["segreteria"], body=plan.body, year=2023, document=changed, source="x.json"
    )
    assert result.conflicts == ["2023_5500 (Inviato alla Segreteria)"]
    assert Objective.objects.get(pk=o.pk).title != "Non deve passare"


def test_printed_names_are_matched_to_the_body_dirigenti_and_rights_follow(document, people):
    crema = BodyFactory(name="Comune di Crema", ipa_code="c_d142")
    doc = copy.deepcopy(document)
    doc["objectives"][1]["responsible"] = "LANZI VITTORIA"
    doc["objectives"][2]["responsible"] = "ROSSI MARIO"
    lanzi = member("v.lanzi", crema, Role.DIRIGENTE, first_name="Vittòria", last_name="LANZI")
    UserFactory(username="s.satta", first_name="Sabrina", last_name="Satta")  # a namesake of dirigente_satta
    rossi = member("m.rossi", crema, Role.FUNZIONARIO, first_name="Mario", last_name="Rossi")
    result = plan_import(by=None, body=crema, year=2023, document=doc, source="x.json")
    # Sabrina Satta is a dirigente of another body and has an account without roles: neither is Crema's;
    # Mario Rossi is in Crema, but not as a dirigente
    assert result.unmatched == ["SATTA SABRINA", "ROSSI MARIO"]
    linked = Objective.objects.get(plan__body=crema, code="2023_5501")
    assert linked.responsible == lanzi
    assert set(get_perms(lanzi, linked)) >= {"manage_objective", "change_objective"}
    # once they are dirigenti of Crema, importing again links them
    member("m.rossi", crema, Role.DIRIGENTE)
    member("s.satta", crema, Role.DIRIGENTE, first_name="Sabrina", last_name="Satta")
    again = plan_import(by=None, body=crema, year=2023, document=doc, source="x.json")
    assert again.unmatched == [] and again.linked == ["2023_5500", "2023_5502"]
    assert Objective.objects.get(plan__body=crema, code="2023_5502").responsible == rossi
    assert Objective.objects.get(plan__body=crema, code="2023_5500").responsible.username == "s.satta"


def test_two_dirigenti_alike_in_the_body_are_not_guessed(document, people):
    crema = BodyFactory(name="Comune di Crema", ipa_code="c_d142")
    member("s.satta", crema, Role.DIRIGENTE, first_name="Sabrina", last_name="Satta")
    member("satta.s", crema, Role.DIRIGENTE, first_name="SABRINA", last_name="SATTA")
    result = plan_import(by=None, body=crema, year=2023, document=document, source="x.json")
    assert result.unmatched == ["SATTA SABRINA"] and result.linked == []


def test_an_import_never_links_a_person_of_another_body(document, people):
    """Sabrina Satta is the only person of that name in the installation, a dirigente of the Provincia:
    importing into Crema neither makes her responsible there nor gives her rights on its objectives."""
    crema = BodyFactory(name="Comune di Crema", ipa_code="c_d142")
    segreteria_crema = member("segreteria_crema", crema, Role.SEGRETERIA)
    result = plan_import(by=segreteria_crema, body=crema, year=2023, document=document, source="x.json")
    assert result.unmatched == ["SATTA SABRINA"] and result.linked == []
    satta = people["dirigente_satta"]
    for objective in Objective.objects.filter(plan__body=crema):
        assert objective.responsible is None and objective.responsible_name == "SATTA SABRINA"
        assert get_perms(satta, objective) == []
    assert not AuditEntry.objects.filter(action="permission.responsible", body_id=crema.pk).exists()


def test_a_dry_run_writes_nothing(document, people):
    crema = BodyFactory(name="Comune di Crema", ipa_code="c_d142")
    before = rows_of_everything()
    result = plan_import(by=None, body=crema, year=2023, document=document, source="x.json", dry_run=True)
    assert len(result.created) == 3 and result.dry_run
    assert rows_of_everything() == before
    assert not Plan.objects.filter(body=crema).exists()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("objectives"), "'objectives' is a required property"),
        (lambda d: d["objectives"][0].update(code="2023_55 01"), "objectives/0/code"),
        (lambda d: d["objectives"][1]["phases"][0].update(start="31/01/2023"), "objectives/1/phases/0/start"),
        (lambda d: d["objectives"][2].update(weight="quaranta"), "objectives/2/weight"),
    ],
)
def test_an_invalid_document_names_the_problem_and_writes_nothing(document, people, mutate, message):
    crema = BodyFactory(name="Comune di Crema", ipa_code="c_d142")
    broken = copy.deepcopy(document)
    mutate(broken)
    before = rows_of_everything()
    with pytest.raises(errors.InvalidInput) as exc:
        plan_import(by=None, body=crema, year=2023, document=broken, source="x.json")
    assert message in exc.value.message
    assert rows_of_everything() == before


def test_another_year_is_refused(document, people):
    crema = BodyFactory(name="Comune di Crema", ipa_code="c_d142")
    with pytest.raises(errors.InvalidInput) as exc:
        plan_import(by=None, body=crema, year=2024, document=document, source="x.json")
    assert exc.value.message == WRONG_YEAR.format(found=2023, expected=2024)


@pytest.mark.parametrize("who", ["dirigente_satta", "revisore", "amministratore"])
def test_only_the_segreteria_imports(plan, document, people, who):
    with pytest.raises(errors.Forbidden) as exc:
        plan_import(by=people[who], body=plan.body, year=2023, document=document, source="x.json")
    assert exc.value.message == IMPORT_FORBIDDEN


# -- property: any valid plan survives export -> import -> export ------------------------------------
WORDS = st.text(alphabet=string.ascii_letters + "àèéìòù0123456789", min_size=1, max_size=12)


def _text(max_words=6):
    return st.lists(WORDS, min_size=0, max_size=max_words).map(" ".join)


def _num(places=2):
    return st.decimals(min_value=0, max_value=100, places=places).map(
        lambda d: int(d) if d == d.to_integral_value() else float(d)
    )


_date = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
PHASE = st.fixed_dictionaries(
    {
        "description": _text().filter(bool),
        "weight": st.none() | _num(),
        "start": st.none() | _date.map(str),
        "end": st.none() | _date.map(str),
        "responsible": _text(2),
        "responsibility_center": _text(3),
        "notes": _text(),
    }
)
INDICATOR_V1 = {
    "description": _text().filter(bool),
    "kind": st.sampled_from(["RISULTATO", "EFFICIENZA"]),
    "expected": st.sampled_from(["100,00", "SI", "<30", "NO", "0,00", "31/12/2023"]),
    "notes": _text(),
}
_measure = st.none() | st.decimals(min_value=-(10**6), max_value=10**6, places=4).map(
    lambda d: int(d) if d == d.to_integral_value() else float(d)
)
INDICATOR_V2 = {
    **INDICATOR_V1,
    "unit": st.sampled_from(["", "%", "giorni"]),
    "polarity": st.sampled_from(["higher", "lower", "range", "binary"]),
    "baseline_value": _measure,
    "baseline_year": st.none() | st.integers(2015, 2023),
    "target_1": _measure,
    "target_2": _measure,
    "target_3": _measure,
    "tolerance": st.none() | _num(places=4),
    "weight": st.none() | _num(),
    "formula": _text(),
    "data_source": _text(3),
    "frequency": st.sampled_from(["monthly", "quarterly", "half_yearly", "yearly"]),
    "to_complete": st.booleans(),
}
DUP = st.fixed_dictionaries(
    {
        "level": st.sampled_from(
            ["missione", "programma", "obiettivo_operativo", "obiettivo_strategico_ses"]
        ),
        "code": st.from_regex(r"2023_PRO_0[1-9]_0[1-9]", fullmatch=True),
        "title": _text(),
        "view": st.sampled_from(["dup", "ses"]),
    }
)


@st.composite
def documents(draw, version=2):
    indicator = st.fixed_dictionaries(INDICATOR_V2 if version == 2 else INDICATOR_V1)
    strategic = [f"2023_OS0{n}" for n in range(1, draw(st.integers(1, 3)) + 1)]
    codes = draw(
        st.lists(st.from_regex(r"2023_[0-9]{4}T?", fullmatch=True), min_size=1, max_size=4, unique=True)
    )
    objectives = []
    for code in sorted(codes):
        objectives.append(
            {
                "code": code,
                "title": draw(_text().filter(bool)),
                "strategic_objective": draw(st.sampled_from(strategic)),
                "weight": draw(_num()),
                "responsible": draw(_text(2)),
                "responsibility_center": draw(_text(3)),
                "kind": draw(st.sampled_from(["individuale", "performance"])),
                "transversal": code.endswith("T"),
                "purpose": draw(_text()),
                "motivation": draw(_text()),
                "baseline_and_target": draw(_text()),
                "beneficiaries": draw(_text()),
                "actions": draw(_text()),
                "phases": draw(st.lists(PHASE, max_size=3)),
                "indicators": draw(st.lists(indicator, max_size=3)),
                "dup_links": draw(st.lists(DUP, max_size=2)),
                "state": "drafting",
            }
        )
    document = {} if version == 1 else {"format_version": version}
    return {
        **document,
        "body": "Comune di Prova",
        "year": 2023,
        "strategic_objectives": [
            {
                "code": c,
                "title": f"Obiettivo strategico {c}",
                "purposes": draw(st.lists(_text().filter(bool), max_size=2)),
                "linked_objectives": [
                    {"code": o["code"], "title": o["title"], "weight": o["weight"]}
                    for o in objectives
                    if o["strategic_objective"] == c
                ],
            }
            for c in strategic
        ],
        "objectives": objectives,
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents())
def test_any_valid_plan_survives_the_round_trip(db, doc):
    # every example shares the test's transaction: a body of its own keeps them apart
    body = Body.objects.create(name="Comune di Prova", ipa_code=uuid.uuid4().hex[:20])
    plan_import(by=None, body=body, year=2023, document=doc, source="hypothesis")
    assert export(Plan.objects.get(body=body, year=2023)) == doc


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents(version=1))
def test_a_version_1_plan_imports_and_comes_back_with_the_measures_read_from_expected(db, doc):
    body = Body.objects.create(name="Comune di Prova", ipa_code=uuid.uuid4().hex[:20])
    plan_import(by=None, body=body, year=2023, document=doc, source="hypothesis")
    again = export(Plan.objects.get(body=body, year=2023))
    assert again.pop("format_version") == 2
    as_before = [
        {**o, "indicators": [{k: i[k] for k in INDICATOR_V1} for i in o["indicators"]]}
        for o in again["objectives"]
    ]
    assert {**again, "objectives": as_before} == doc
    for o in again["objectives"]:
        for i in o["indicators"]:
            polarity, target, flagged = read_expected(i["expected"])
            assert (i["polarity"], i["target_1"], i["to_complete"]) == (
                polarity or "higher",
                None if target is None else int(target),
                flagged,
            )
            assert (i["unit"], i["target_2"], i["frequency"]) == ("", None, "half_yearly")


# -- the format's versions: the measure of the indicators ------------------------------------------------
def test_an_indicator_s_measure_goes_out_and_comes_back(plan, document, people):
    o = Objective.objects.get(plan=plan, code="2023_5501")
    Indicator.objects.filter(objective=o).update(
        unit="giorni",
        polarity="lower",
        baseline_value=Decimal("42.5"),
        baseline_year=2022,
        target_1=Decimal("30"),
        target_2=Decimal("27.25"),
        target_3=Decimal("0.1234"),
        weight=Decimal("60"),
        formula="somma dei giorni / fatture",
        data_source="PCC",
        frequency="quarterly",
        to_complete=True,
    )
    exported = export(plan)
    assert exported["format_version"] == 2
    row = exported["objectives"][1]["indicators"][0]
    assert {
        k: row[k] for k in ("unit", "polarity", "baseline_value", "target_2", "target_3", "to_complete")
    } == {
        "unit": "giorni",
        "polarity": "lower",
        "baseline_value": 42.5,
        "target_2": 27.25,
        "target_3": 0.1234,
        "to_complete": True,
    }
    crema = BodyFactory(name="Comune di Crema", ipa_code="c_d142")
    plan_import(by=None, body=crema, year=2023, document=json.loads(json.dumps(exported)), source="x.json")
    copied = Indicator.objects.get(objective__plan__body=crema, objective__code="2023_5501")
    assert (
        copied.polarity,
        copied.baseline_value,
        copied.baseline_year,
        copied.target_3,
        copied.frequency,
    ) == ("lower", Decimal("42.5"), 2022, Decimal("0.1234"), "quarterly")
    assert {**export(Plan.objects.get(body=crema, year=2023)), "body": exported["body"]} == exported


def _version_1(document):
    """``document`` as a file written before the format had versions: no version, no measures."""
    old = copy.deepcopy(document)
    old.pop("format_version")
    for o in old["objectives"]:
        o["indicators"] = [
            {k: i[k] for k in ("description", "kind", "expected", "notes")} for i in o["indicators"]
        ]
    return old


def test_a_version_1_file_still_imports_and_its_measures_are_read_from_the_expected_values(document, people):
    old = _version_1(document)
    old["objectives"][1]["indicators"][0]["expected"] = "31/12/2023"
    crema = BodyFactory(name="Comune di Crema", ipa_code="c_d142")
    result = plan_import(by=None, body=crema, year=2023, document=old, source="old.json")
    assert (len(result.created), result.indicators, result.to_complete) == (3, 3, 1)
    rows = Indicator.objects.filter(objective__plan__body=crema).order_by("objective__code")
    assert [(i.expected, i.polarity, i.target_1, i.to_complete) for i in rows] == [
        ("<30", "lower", Decimal("30"), False),
        ("31/12/2023", "higher", None, True),  # no number: the model's polarity, flagged for the dirigente
        ("<30", "lower", Decimal("30"), False),
    ]
    # imported again, the same old file changes nothing
    again = plan_import(by=None, body=crema, year=2023, document=old, source="old.json")
    assert (again.created, again.updated, len(again.unchanged)) == ([], [], 3)


def test_a_file_of_a_newer_format_is_refused_with_its_version(document, people):
    crema = BodyFactory(name="Comune di Crema", ipa_code="c_d142")
    with pytest.raises(errors.InvalidInput) as exc:
        plan_import(
            by=None, body=crema, year=2023, document={**document, "format_version": 3}, source="x.json"
        )
    assert "versione 3" in exc.value.message
    assert not Plan.objects.filter(body=crema).exists()


def test_the_real_report_imports_with_the_targets_its_expected_values_give(people):
    raw = REPORT.read_bytes()
    document, warnings = read_document(raw, "report", 2023)
    crema = BodyFactory(name="Provincia di Cremona", ipa_code="p_cr")
    result = plan_import(by=None, body=crema, year=2023, document=document, source="report.txt")
    rows = Indicator.objects.filter(objective__plan__body=crema)
    assert (result.indicators, rows.count()) == (220, 220)
    assert rows.filter(target_1__isnull=False).count() == 200
    assert rows.filter(to_complete=True).count() == result.to_complete == 35
    assert rows.filter(to_complete=True, target_1=0).count() == 15  # "0,00": a target, but which way?
    assert rows.filter(polarity="binary", target_1=1).count() == 73  # "SI"
    assert rows.filter(polarity="lower").count() == 3  # "<30", "<1", "<0"
    assert not rows.filter(to_complete=False, target_1__isnull=True).exists()
