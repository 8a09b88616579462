"""The public pages of the Relazione sulla performance, under the body's transparency pages: one page per
year with every published version (the PDF/A, the NIV/OIV's validation document, the open data in JSON,
CSV and XLSX), read only from the published snapshots; and the page where anyone checks a file.

``/trasparenza/<ipa>/relazione/<year>/`` is one body's Relazione of one year; anything not published is
404. The verification page is the only public page that takes a POST: the file is read, checked and
forgotten (nothing is stored).
"""

from __future__ import annotations

import csv
import io

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from approvals import uploads
from approvals.models import PublishedRelazione
from approvals.selectors import public as selectors
from approvals.services.relazione import verify_file
from workflow import relazione as relazione_data
from workflow import spreadsheet
from workflow.richtext import render_markdown

from .public import _attachment, _body, _crumbs

VERIFY_NO_FILE = "Scegli il file PDF da verificare."
VERIFY_TOO_BIG = "Il file supera la dimensione massima di {mb} MB."


def _publications(ipa_code: str, year: int) -> tuple:
    body = _body(ipa_code)
    publications = selectors.published_relazioni(body, year)
    if not publications:
        raise Http404("Nessuna Relazione sulla performance pubblicata per quest'anno.")
    return body, publications


def _version(ipa_code: str, year: int, version: int) -> PublishedRelazione:
    body, publications = _publications(ipa_code, year)
    for publication in publications:
        if publication.version == version:
            return publication
    raise Http404("Versione non pubblicata.")


@require_GET
def relazione_page(request, ipa_code: str, year: int):
    body, publications = _publications(ipa_code, year)
    latest = publications[0]
    data = latest.data
    return render(
        request,
        "trasparenza/relazione.html",
        {
            "body": body,
            "year": year,
            "latest": latest,
            "publications": publications,
            "data": data,
            "presentation": render_markdown(data.get("presentation", "")),
            "context": render_markdown(data.get("context", "")),
            "tables": list(relazione_data.relazione_tables(data)),
            "crumbs": _relazione_crumbs(body, year),
        },
    )


def _relazione_crumbs(body, year: int) -> list[tuple[str, str]]:
    """Amministrazione Trasparente › the body › Performance › Relazione sulla Performance › the year (the
    sub-section the d.lgs. 33/2013 gives it, not the PIAO's)."""
    crumbs = _crumbs()
    crumbs.append((body.name, reverse("trasparenza:body", args=[body.ipa_code])))
    return crumbs + [("Performance", ""), ("Relazione sulla Performance", ""), (str(year), "")]


def _name(p: PublishedRelazione, suffix: str) -> str:
    return f"relazione-performance-{p.year}-{p.body.ipa_code}-v{p.version}{suffix}"


@require_GET
def relazione_pdf(request, ipa_code: str, year: int, version: int):
    p = _version(ipa_code, year, version)
    return _attachment(bytes(p.file.content), "application/pdf", _name(p, ".pdf"))


@require_GET
def validation_pdf(request, ipa_code: str, year: int, version: int):
    p = _version(ipa_code, year, version)
    return _attachment(bytes(p.validation.document.content), "application/pdf", _name(p, "-validazione.pdf"))


@require_GET
def open_data_json(request, ipa_code: str, year: int, version: int):
    p = _version(ipa_code, year, version)
    return _attachment(
        relazione_data.open_data_json(p.data), "application/json; charset=utf-8", _name(p, ".json")
    )


@require_GET
def open_data_csv(request, ipa_code: str, year: int, version: int, table: str):
    p = _version(ipa_code, year, version)
    tables = relazione_data.relazione_tables(p.data)
    if table not in tables:
        raise Http404("Tabella sconosciuta.")
    text = io.StringIO()
    csv.writer(text).writerows(tables[table])
    return _attachment(
        ("\ufeff" + text.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", _name(p, f"-{table}.csv")
    )


NUMBER_COLUMNS = {
    "peso",
    "punteggio_calcolato",
    "rettifica_niv_oiv",
    "punteggio_finale",
    "valore_di_partenza",
    "target",
    "raggiungimento",
    "punteggio",
}


def _kind(header: str) -> str:
    if header == "obiettivi":
        return "int"
    return "number" if header in NUMBER_COLUMNS else "text"


@require_GET
def open_data_xlsx(request, ipa_code: str, year: int, version: int):
    p = _version(ipa_code, year, version)
    tables = relazione_data.relazione_tables(p.data)
    sheets = [
        spreadsheet.Sheet(name, [spreadsheet.Column(h, _kind(h)) for h in rows[0]], rows[1:])
        for name, rows in tables.items()
    ]
    return _attachment(spreadsheet.workbook_bytes(sheets), spreadsheet.CONTENT_TYPE, _name(p, ".xlsx"))


@require_http_methods(["GET", "POST"])
def verify_page(request):
    verdict, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        limit = uploads.max_upload_bytes()
        if upload is None or not upload.size:
            error = VERIFY_NO_FILE
        elif upload.size > limit:
            error = VERIFY_TOO_BIG.format(mb=uploads.megabytes(limit))
        else:
            verdict = verify_file(upload.read())
    return render(
        request,
        "trasparenza/verifica_relazione.html",
        {
            "verdict": verdict,
            "error": error,
            "crumbs": _crumbs() + [("Verifica di una Relazione sulla performance", "")],
        },
        status=400 if error else 200,
    )
