"""The open data as one Excel workbook next to the CSV files: the same rows, typed, one sheet per table."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import ObjectiveFactory, PlanFactory
from tests.support import walk_to
from workflow.models import State
from workflow.spreadsheet import CONTENT_TYPE

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"trasparenza:{name}", args=args)


@pytest.fixture
def published(draft, people):
    return walk_to(draft, State.PUBLISHED, people)


def _csv_rows(client, table):
    return list(
        csv.reader(
            io.StringIO(client.get(_url("open_data_csv", "p_cr", 2023, table)).getvalue().decode("utf-8-sig"))
        )
    )


def test_the_workbook_holds_the_csv_tables_typed(client, published, plan, people):
    walk_to(ObjectiveFactory(plan=plan, responsible=people["dirigente_rossi"]), State.PUBLISHED, people)
    ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])  # a draft: not in the open data

    response = client.get(_url("open_data_xlsx", "p_cr", 2023))

    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="piao-p_cr-2023.xlsx"'
    content = response.getvalue()
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Obiettivi", "Fasi", "Indicatori"]
    for sheet, table in zip(book.worksheets, ("obiettivi", "fasi", "indicatori"), strict=True):
        assert sheet.max_row == len(_csv_rows(client, table))
    objectives = book["Obiettivi"]
    header = [c.value for c in objectives[1]]
    assert header[:4] == ["Codice", "Titolo", "Obiettivo strategico", "Peso (%)"]
    assert header[-3:] == ["Revisione", "Data di pubblicazione", "Atto di adozione"]
    row = dict(zip(header, objectives[2], strict=True))
    assert row["Codice"].value == published.code
    assert row["Peso (%)"].data_type == "n" and row["Peso (%)"].value == float(published.weight)
    assert row["Data di pubblicazione"].is_date
    assert row["Data di pubblicazione"].value.date() == dt.date(2023, 3, 3)
    assert row["Stato"].value == "Pubblicato"
    phases = book["Fasi"]
    dated = [r for r in phases.iter_rows(min_row=2) if r[4].value is not None]
    assert dated and all(r[4].is_date and r[4].number_format == "DD/MM/YYYY" for r in dated)
    # the same data, the same bytes
    assert client.get(_url("open_data_xlsx", "p_cr", 2023)).getvalue() == content


def test_the_year_page_links_the_workbook_next_to_the_csv(client, published):
    page = client.get(_url("year", "p_cr", 2023)).content.decode()
    assert _url("open_data_xlsx", "p_cr", 2023) in page
    assert page.index(_url("open_data_csv", "p_cr", 2023, "indicatori")) < page.index(
        _url("open_data_xlsx", "p_cr", 2023)
    )
    assert "I file CSV sono codificati in UTF-8 e separano i campi con la virgola" in page


def test_the_workbook_of_an_unpublished_year_is_not_found_like_the_csv(
    client, published, draft, other_body, people
):
    walk_to(
        ObjectiveFactory(
            plan=PlanFactory(body=draft.plan.body, year=2024, triennium="2024-2026"),
            code="2024_0001",
            responsible=people["dirigente_satta"],
        ),
        State.DELIBERATION,
        people,
    )
    for ipa, year in (("p_cr", 2024), ("p_cr", 2030), (other_body.ipa_code, 2023), ("nessuno", 2023)):
        assert client.get(_url("open_data_csv", ipa, year, "obiettivi")).status_code == 404
        assert client.get(_url("open_data_xlsx", ipa, year)).status_code == 404
    assert client.post(_url("open_data_xlsx", "p_cr", 2023)).status_code == 405
