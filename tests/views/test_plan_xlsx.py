"""The plan's export as an Excel workbook, next to the CSV (ZIP): the same tables, one sheet each."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from tests.factories import ObjectiveFactory
from workflow.spreadsheet import CONTENT_TYPE

pytestmark = pytest.mark.django_db


@pytest.fixture
def segreteria(client, plan, people):
    for n in range(2):
        ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], code=f"2023_560{n}")
    client.force_login(people["segreteria"])
    return client


def _download(client, plan, fmt):
    return client.get(reverse("workflow:plan_download", args=[plan.year, fmt]))


def test_the_workbook_holds_the_tables_of_the_csv_zip_and_is_logged(segreteria, plan):
    response = _download(segreteria, plan, "xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="piao-2023-p_cr.xlsx"'
    book = load_workbook(io.BytesIO(response.getvalue()))
    assert book.sheetnames == ["Obiettivi", "Fasi", "Indicatori"]
    archive = zipfile.ZipFile(io.BytesIO(_download(segreteria, plan, "zip").getvalue()))
    for sheet in book.worksheets:
        lines = archive.read(f"{sheet.title.lower()}.csv").decode("utf-8-sig").splitlines()
        assert sheet.max_row == len(lines)
        assert sheet.freeze_panes == "A2" and all(c.font.b for c in sheet[1])
    objectives = book["Obiettivi"]
    assert [c.value for c in objectives[1]][:4] == ["Codice", "Titolo", "Obiettivo strategico", "Peso (%)"]
    assert [objectives.cell(row=r, column=1).value for r in (2, 3)] == ["2023_5600", "2023_5601"]
    assert objectives["D2"].data_type == "n" and objectives["D2"].number_format == "0.00"
    start = [c for c in book["Fasi"]["E"][1:] if c.value is not None]
    assert start and all(c.is_date for c in start)
    assert list(
        AuditEntry.objects.filter(action="plan.export").values_list("payload__data__format", flat=True)
    ) == [
        "xlsx",
        "csv",
    ]


def test_the_plan_page_offers_the_workbook_next_to_the_csv(segreteria, plan):
    page = segreteria.get(reverse("workflow:plan_detail", args=[plan.year])).content.decode()
    xlsx = reverse("workflow:plan_download", args=[plan.year, "xlsx"])
    assert xlsx in page and "Scarica Excel (XLSX)" in page


def test_the_unions_workbook_holds_only_what_they_may_see(client, plan, segreteria, people):
    client.force_login(people["sindacato"])
    book = load_workbook(io.BytesIO(_download(client, plan, "xlsx").getvalue()))
    assert [sheet.max_row for sheet in book.worksheets] == [1, 1, 1]  # the headers only
