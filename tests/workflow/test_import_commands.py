"""The import and export commands on the real report of the Provincia di Cremona."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from workflow.interchange import JSON_TOO_DEEP, schema_problems
from workflow.models import Body, Indicator, Objective, Phase, Plan

REPORT = Path(__file__).resolve().parents[2] / "workflow" / "data" / "piao-2023-sez-2-2-provincia-cremona.txt"

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts():
    return (
        Body.objects.count(),
        Plan.objects.count(),
        Objective.objects.count(),
        Phase.objects.count(),
        Indicator.objects.count(),
        Objective.history.count(),
        AuditEntry.objects.count(),
    )


def import_report(body="Provincia di Cremona", *extra):
    return run("import_piao", str(REPORT), "--body", body, "--year", "2023", "--ipa", "p_cr", *extra)


def export_json(body="Provincia di Cremona") -> dict:
    return json.loads(run("export_piao", "--body", body, "--year", "2023"))


def test_the_real_report_lands_on_an_empty_database():
    out = import_report()
    assert "8 obiettivi strategici, 51 obiettivi, 315 fasi, 220 indicatori (35 da completare" in out
    assert "Nuovi: 51" in out and "SATTA SABRINA" in out  # no accounts yet: the names are listed
    assert (Objective.objects.count(), Phase.objects.count(), Indicator.objects.count()) == (51, 315, 220)
    first = Objective.objects.get(code="2023_3101T")
    assert first.history.get().history_change_reason == "import"
    assert first.responsible_name == "SATTA SABRINA" and first.transversal


def test_importing_the_same_report_again_changes_nothing():
    import_report()
    before = counts()
    assert "Nuovi: 0; aggiornati: 0; invariati: 51; in conflitto: 0" in import_report()
    assert counts()[:-1] == before[:-1]  # only the import's own evidence entry


def test_a_dry_run_writes_nothing_not_even_the_body():
    out = import_report("Provincia di Cremona", "--dry-run")
    assert out.startswith("Simulazione: nulla è stato scritto.")
    assert counts() == (0, 0, 0, 0, 0, 0, 0)


def test_export_import_export_of_the_real_plan_is_identical(tmp_path):
    import_report()
    first = export_json()
    assert schema_problems(first) == []
    path = tmp_path / "piano.json"
    path.write_text(json.dumps(first), encoding="utf-8")
    run(
        "import_piao",
        str(path),
        "--format",
        "json",
        "--body",
        "Comune di Prova",
        "--year",
        "2023",
        "--ipa",
        "c_x",
    )
    assert {**export_json("Comune di Prova"), "body": first["body"]} == first


def test_the_csv_export_has_a_row_per_objective_phase_and_indicator(tmp_path):
    import_report()
    path = tmp_path / "piano.zip"
    run(
        "export_piao",
        "--body",
        "Provincia di Cremona",
        "--year",
        "2023",
        "--format",
        "csv",
        "--output",
        str(path),
    )
    archive = zipfile.ZipFile(path)
    lines = {n: len(archive.read(n).decode("utf-8-sig").splitlines()) for n in archive.namelist()}
    # texts contain no line breaks (whitespace-normalised), so lines are rows: header + data
    assert lines == {"obiettivi.csv": 52, "fasi.csv": 316, "indicatori.csv": 221}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Riga 1"),
        (b"\x00\x01\x02PK\x03\x04" * 50, "file binario"),
        (b"Verbale della seduta del consiglio\n", "non è un report PIAO"),
        (REPORT.read_bytes()[: len(REPORT.read_bytes()) // 2], "Riga"),
    ],
    ids=["empty", "binary", "another document", "truncated"],
)
def test_a_malformed_report_names_the_problem_and_writes_nothing(tmp_path, content, message):
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError) as exc:
        run("import_piao", str(path), "--body", "Provincia di Cremona", "--year", "2023")
    assert message in str(exc.value)
    assert counts() == (0, 0, 0, 0, 0, 0, 0)


def test_a_report_of_another_year_is_refused():
    with pytest.raises(CommandError) as exc:
        run("import_piao", str(REPORT), "--body", "Provincia di Cremona", "--year", "2024")
    assert "atteso l'esercizio 2024" in str(exc.value)
    assert counts() == (0, 0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize("levels", [100_000, 50])
def test_a_json_nested_too_deep_is_refused_with_a_message_and_writes_nothing(tmp_path, levels):
    path = tmp_path / "piano.json"
    path.write_bytes(b'{"year": 2023, "objectives": ' + b"[" * levels + b"]" * levels + b"}")
    with pytest.raises(CommandError) as exc:
        run("import_piao", str(path), "--body", "Provincia di Cremona", "--year", "2023", "--format", "json")
    assert JSON_TOO_DEEP in str(exc.value)
    assert counts() == (0, 0, 0, 0, 0, 0, 0)


def test_a_phase_dated_outside_the_years_of_a_plan_is_refused_and_writes_nothing(tmp_path):
    import_report()
    document = export_json()
    document["objectives"][0]["phases"][0]["end"] = "9999-12-30"
    path = tmp_path / "piano.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError) as exc:
        run("import_piao", str(path), "--body", "Comune di Crema", "--year", "2023", "--format", "json",
            "--ipa", "c_d142")
    message = "objectives/0/phases/0/end: data fuori dagli anni ammessi per un piano (2000–2100)"
    assert message in str(exc.value)
    assert counts() == before
