"""Exports of the filtered change log: streamed CSV and JSON, each export itself an entry of the log."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEntry
from audit.selectors import LogFilters
from audit.services import verify
from flows import errors
from flows.services.auditlog import change_log_export
from tests.support import act, walk_to
from workflow import spreadsheet
from workflow.models import State
from workflow.spreadsheet import CONTENT_TYPE

pytestmark = pytest.mark.django_db


def _download(client, fmt, **params):
    response = client.get(reverse("audit:change_log_download", args=[fmt]), params)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return response, b"".join(response.streaming_content).decode()


@pytest.fixture
def lived(client, draft, people):
    walk_to(draft, State.SIGNATURE, people)
    client.force_login(people["revisore"])
    return draft


def test_csv_export_streams_the_filtered_entries_and_is_logged(client, lived, people, plan):
    before = AuditEntry.objects.order_by("-sequence").first().sequence
    response, content = _download(client, "csv", obiettivo=lived.pk)

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="registro-p_cr-')
    assert content.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(content.lstrip("\ufeff"))))
    expected = AuditEntry.objects.filter(object_type="workflow.objective", object_id=str(lived.pk))
    assert [int(r["sequenza"]) for r in rows] == list(
        expected.order_by("sequence").values_list("sequence", flat=True)
    )
    approve = next(r for r in rows if r["azione"] == "transition.approve")
    assert approve["descrizione"] == "Transizione: Approva e avvia la consultazione sindacale"
    assert approve["utente"] == "segreteria"
    assert json.loads(approve["dati"])["comment"] == "Nota di prova"
    entry = AuditEntry.objects.get(sequence=int(approve["sequenza"]))
    assert (approve["impronta"], approve["impronta precedente"]) == (entry.hash, entry.prev_hash)

    export = AuditEntry.objects.get(action="audit.export")
    assert export.sequence > before
    assert (export.actor, export.body_id) == (people["revisore"], plan.body_id)
    assert export.payload["data"] == {
        "format": "csv",
        "filters": {
            "plan": None,
            "objective": lived.pk,
            "actor": None,
            "action": "",
            "since": None,
            "until": None,
        },
    }
    assert verify()[0]


def test_json_export_carries_the_whole_entries_and_not_itself(client, lived, people):
    response, content = _download(client, "json", azione="transition.")
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(content)
    export = AuditEntry.objects.get(action="audit.export")
    assert document["esportazione"] == export.sequence
    assert document["esportato_da"] == "revisore"
    assert document["filtri"]["action"] == "transition."
    sequences = [v["sequenza"] for v in document["voci"]]
    expected = AuditEntry.objects.filter(body_id=lived.plan.body_id, action__startswith="transition.")
    assert sequences == list(expected.order_by("sequence").values_list("sequence", flat=True))
    assert all(s < export.sequence for s in sequences)
    first = AuditEntry.objects.get(sequence=sequences[0])
    assert document["voci"][0]["payload"] == first.payload
    assert document["voci"][0]["impronta"] == first.hash


def test_an_unfiltered_export_includes_the_logins_of_the_bodys_people(client, lived):
    _, content = _download(client, "json")
    actions = {v["azione"] for v in json.loads(content)["voci"]}
    assert "auth.login" in actions and "transition.submit" in actions


def test_a_second_export_contains_the_first(client, lived):
    _download(client, "csv")
    _, content = _download(client, "json")
    assert "audit.export" in {v["azione"] for v in json.loads(content)["voci"]}


def test_the_export_reads_the_log_lazily_in_chunks(lived, people, plan):
    # The entries are read when the response is sent, a chunk at a time: entries recorded in the meantime
    # stay out (the export covers what came before its own entry).
    export, entries = change_log_export(
        by=people["revisore"], body=plan.body, filters=LogFilters(), fmt="csv"
    )
    act(lived, "sign", people["segretario"])
    sequences = [e.sequence for e in entries]
    assert sequences and max(sequences) == export.sequence - 1


def test_bad_filters_export_nothing_and_log_nothing(client, lived):
    before = AuditEntry.objects.count()
    response = client.get(reverse("audit:change_log_download", args=["csv"]), {"dal": "ieri"})
    assert response.status_code == 400
    assert "Inserisci una data valida." in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_an_unknown_format_is_not_found(client, lived):
    assert client.get(reverse("audit:change_log_download", args=["xml"])).status_code == 404


def test_the_service_refuses_those_who_may_not_read(people, plan):
    with pytest.raises(errors.Forbidden):
        change_log_export(by=people["dirigente_satta"], body=plan.body, filters=LogFilters(), fmt="csv")


def test_xlsx_export_holds_the_csv_rows_typed_and_is_logged_like_the_csv(client, lived, people, plan):
    _, content = _download(client, "csv", obiettivo=lived.pk)
    csv_rows = list(csv.DictReader(io.StringIO(content.lstrip("\ufeff"))))
    exports_before = AuditEntry.objects.filter(action="audit.export").count()

    response = client.get(reverse("audit:change_log_download", args=["xlsx"]), {"obiettivo": lived.pk})

    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="registro-p_cr-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.getvalue()))["Registro"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Sequenza", "Quando", "Utente"] and sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # the CSV export before it is now in the log too, but not in this objective's filter
    assert [r[0] for r in rows] == [int(r["sequenza"]) for r in csv_rows]
    assert sheet["A2"].data_type == "n" and sheet["B2"].is_date
    first = AuditEntry.objects.get(sequence=rows[0][0])
    local = timezone.localtime(first.at).replace(tzinfo=None)
    assert abs(rows[0][1] - local) < dt.timedelta(seconds=1)  # local time, as Excel shows it
    export = AuditEntry.objects.filter(action="audit.export").order_by("-sequence").first()
    assert AuditEntry.objects.filter(action="audit.export").count() == exports_before + 1
    assert (export.actor, export.body_id) == (people["revisore"], plan.body_id)
    assert export.payload["data"]["format"] == "xlsx"
    assert export.payload["data"]["filters"]["objective"] == lived.pk
    assert verify()[0]


def test_the_change_log_offers_the_xlsx_export_with_its_filters(client, lived):
    page = client.get(reverse("audit:change_log"), {"obiettivo": lived.pk}).content.decode()
    assert f"{reverse('audit:change_log_download', args=['xlsx'])}?obiettivo={lived.pk}" in page


def test_an_xlsx_export_too_long_for_excel_says_so_on_the_page(client, lived, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 2)
    response = client.get(
        reverse("audit:change_log_download", args=["xlsx"]), {"azione": "transition."}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("audit:change_log") + "?azione=transition.")
    assert "supererebbe le 1.048.576 righe che Excel può aprire" in response.content.decode()
