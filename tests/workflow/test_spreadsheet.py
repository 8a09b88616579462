"""The XLSX writer: typed cells, Italian headers, a bold frozen header, the same bytes for the same data."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from workflow import spreadsheet
from workflow.export import document_as_csv_tables

DOCUMENT = {
    "objectives": [
        {
            "code": "2023_0001",
            "title": '=HYPERLINK("http://esempio.invalid")',  # text that Excel would take for a formula
            "strategic_objective": "OS1",
            "weight": 40.5,
            "responsible": "Maria Satta",
            "responsibility_center": "Settore Finanze\x01",  # a control character Excel refuses
            "kind": "performance",
            "transversal": True,
            "state": "published",
            "phases": [
                {"description": "Analisi", "weight": 60, "start": "2023-01-31", "end": "2023-06-30"},
                {"description": "Nota senza date", "weight": None, "start": None, "end": None},
            ],
            "indicators": [{"description": "Tempo medio", "kind": "quantitativo", "expected": "30 giorni"}],
        }
    ]
}


def _workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_the_plan_tables_become_one_sheet_each_with_italian_headers_and_typed_cells():
    tables = document_as_csv_tables(DOCUMENT)
    book = _workbook(spreadsheet.plan_tables_xlsx(tables))

    assert book.sheetnames == ["Obiettivi", "Fasi", "Indicatori"]
    objectives, phases, indicators = book["Obiettivi"], book["Fasi"], book["Indicatori"]
    for sheet, name in ((objectives, "obiettivi"), (phases, "fasi"), (indicators, "indicatori")):
        assert sheet.max_row == len(tables[name])  # the CSV's rows, one for one
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])
        assert sheet.column_dimensions["A"].width >= len(sheet["A1"].value)

    header = [c.value for c in objectives[1]]
    assert header[:4] == ["Codice", "Titolo", "Obiettivo strategico", "Peso (%)"]
    assert "Stato" in header and "code" not in header
    row = {h: c for h, c in zip(header, objectives[2], strict=True)}
    assert row["Peso (%)"].value == 40.5 and row["Peso (%)"].data_type == "n"
    assert row["Peso (%)"].number_format == "0.00"
    assert row["Trasversale"].value is True
    assert row["Stato"].value == "Pubblicato" and row["Tipo"].value == "Obiettivo di performance"
    assert row["Titolo"].data_type == "s" and row["Titolo"].value.startswith("=HYPERLINK")
    assert row["Centro di responsabilità"].value == "Settore Finanze"

    assert [c.value for c in phases[1]][:6] == [
        "Obiettivo",
        "N.",
        "Descrizione",
        "Peso (%)",
        "Inizio",
        "Fine",
    ]
    start = phases["E2"]
    assert start.is_date and start.value.date() == dt.date(2023, 1, 31)
    assert start.number_format == "DD/MM/YYYY"
    assert phases["B2"].value == 1 and phases["D2"].value == 60
    assert phases["E3"].value is None and phases["D3"].value is None  # a note: no dates, no weight


def test_the_same_data_gives_the_same_bytes_and_fixed_properties():
    tables = document_as_csv_tables(DOCUMENT)
    first = spreadsheet.plan_tables_xlsx(tables)
    assert spreadsheet.plan_tables_xlsx(tables) == first
    properties = _workbook(first).properties
    assert properties.created == properties.modified == spreadsheet.FIXED_DATE.replace(tzinfo=None)


def test_a_datetime_column_holds_local_time_as_a_date_cell():
    when = dt.datetime(2023, 3, 3, 10, 30, tzinfo=dt.UTC)
    sheet = spreadsheet.Sheet(
        title="Registro",
        columns=[spreadsheet.Column("Quando", "datetime", 20), spreadsheet.Column("Ente", "int", 8)],
        rows=iter([[when, 7], [None, None]]),
    )
    book = _workbook(spreadsheet.workbook_bytes([sheet]))
    cell = book["Registro"]["A2"]
    assert cell.is_date and cell.value == when.replace(tzinfo=None)  # the caller passes local time
    assert book["Registro"]["B2"].value == 7 and book["Registro"].max_row == 3


def test_a_sheet_longer_than_excel_can_open_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 3)
    sheet = spreadsheet.Sheet(
        title="Registro", columns=[spreadsheet.Column("N.", "int", 5)], rows=[[1], [2], [3]]
    )
    with pytest.raises(spreadsheet.SheetTooLong, match="Registro"):
        spreadsheet.workbook_bytes([sheet])


def test_the_indicators_sheet_carries_the_measure_with_labels_and_numbers():
    measured = {
        "description": "Fatture pagate nei termini",
        "kind": "RISULTATO",
        "expected": "90,00",
        "unit": "%",
        "polarity": "lower",
        "baseline_value": 82.5,
        "baseline_year": 2022,
        "target_1": 90,
        "target_2": None,
        "frequency": "quarterly",
        "to_complete": True,
    }
    document = {"objectives": [{**DOCUMENT["objectives"][0], "indicators": [measured]}]}
    sheet = _workbook(spreadsheet.plan_tables_xlsx(document_as_csv_tables(document)))["Indicatori"]
    row = {c.value: v for c, v in zip(sheet[1], sheet[2], strict=True)}
    assert row["Polarità"].value == "Più basso è meglio"
    assert row["Frequenza"].value == "Trimestrale"
    assert row["Target anno 1"].value == 90 and row["Target anno 1"].data_type == "n"
    assert row["Partenza"].value == 82.5 and row["Anno di partenza"].value == 2022
    assert row["Target anno 2"].value is None
    assert row["Da completare"].value is True
