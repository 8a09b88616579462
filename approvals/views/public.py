"""The public pages of "Amministrazione Trasparente": no login, published revisions only, GET only.

One installation serves many bodies, so every address starts with the body's IPA code:
``/trasparenza/<ipa>/piao/<year>/`` is one body's plan of one year. Anything not published is 404.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from django.core.cache import cache
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from approvals.models import PublishedRevision
from approvals.selectors import public as selectors
from workflow import spreadsheet
from workflow.models import Body, DupLevel, ObjectiveKind, Plan

YEAR_PAGE_SECONDS = 24 * 3600  # a version no longer asked for leaves the cache by then


def _body(ipa_code: str) -> Body:
    try:
        return selectors.public_body(ipa_code)
    except Body.DoesNotExist as exc:
        raise Http404("Ente non trovato.") from exc


def _plan(ipa_code: str, year: int) -> Plan:
    body = _body(ipa_code)
    try:
        return selectors.public_plan(body, year)
    except Plan.DoesNotExist as exc:
        raise Http404("Nessun piano pubblicato per quest'anno.") from exc


def _publication(plan: Plan, code: str, revision: int | None = None) -> PublishedRevision:
    try:
        return selectors.publication_of(plan, code, revision)
    except PublishedRevision.DoesNotExist as exc:
        raise Http404("Obiettivo non pubblicato.") from exc


def _date(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _label(choices, value) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value or ""


def _display(content: dict) -> dict:
    """The published snapshot as the templates show it: dates as dates, codes with their labels."""
    shown = dict(content)
    shown["kind_label"] = _label(ObjectiveKind, content.get("kind"))
    shown["phases"] = [
        {**ph, "start_date": _date(ph.get("start")), "end_date": _date(ph.get("end"))}
        for ph in content.get("phases", [])
    ]
    shown["dup_links"] = [
        {**d, "level_label": _label(DupLevel, d.get("level"))} for d in content.get("dup_links", [])
    ]
    return shown


def _crumbs(body: Body | None = None, plan: Plan | None = None) -> list[tuple[str, str]]:
    """The trail above the page title: the body's sub-section of Amministrazione Trasparente first."""
    crumbs = [("Amministrazione Trasparente", reverse("trasparenza:index"))]
    if body is not None:
        crumbs.append((body.name, reverse("trasparenza:body", args=[body.ipa_code])))
        crumbs += [(part.strip(), "") for part in body.transparency_subsection.split("›") if part.strip()]
    if plan is not None:
        crumbs.append(
            (f"PIAO {plan.year}", reverse("trasparenza:year", args=[plan.body.ipa_code, plan.year]))
        )
    return crumbs


@require_GET
def index(request):
    return render(
        request, "trasparenza/index.html", {"bodies": selectors.public_bodies(), "crumbs": _crumbs()}
    )


@require_GET
def body_page(request, ipa_code: str):
    body = _body(ipa_code)
    return render(
        request,
        "trasparenza/body.html",
        {
            "body": body,
            "years": selectors.public_years(body),
            "relazioni": selectors.relazione_years(body),
            "crumbs": _crumbs(body),
        },
    )


def _year_groups(plan: Plan) -> tuple[str, int]:
    """The published objectives of ``plan`` as the year page lists them (HTML) and their number. The same
    for everyone until the next publication, so kept in the cache under the publications' version: a
    publication changes the version, and the next reader gets the new list (no stale page to clear)."""
    version = selectors.publications_version(plan)
    key = f"trasparenza:anno:{plan.pk}:{version.key}"
    html = cache.get(key)
    if html is None:
        publications = selectors.latest_publications(plan)
        for publication in publications:
            publication.display = _display(publication.content)
        html = render_to_string(
            "trasparenza/_year_groups.html",
            {"body": plan.body, "plan": plan, "groups": selectors.grouped_by_strategic(plan, publications)},
        )
        cache.set(key, html, YEAR_PAGE_SECONDS)
    return mark_safe(html), version.objectives  # noqa: S308 - rendered by our template, escaped there


@require_GET
def year_page(request, ipa_code: str, year: int):
    plan = _plan(ipa_code, year)
    groups_html, count = _year_groups(plan)
    return render(
        request,
        "trasparenza/year.html",
        {
            "body": plan.body,
            "plan": plan,
            "groups_html": groups_html,
            "count": count,
            "crumbs": _crumbs(plan.body, plan)[:-1] + [(f"PIAO {plan.year}", "")],  # this very page
            "tables": selectors.CSV_TABLES,
        },
    )


@require_GET
def objective_page(request, ipa_code: str, year: int, code: str, revision: int | None = None):
    plan = _plan(ipa_code, year)
    publication = _publication(plan, code, revision)
    revisions = selectors.publications_of_objective(publication)
    return render(
        request,
        "trasparenza/objective.html",
        {
            "body": plan.body,
            "plan": plan,
            "p": publication,
            "o": _display(publication.content),
            "revisions": revisions,
            "is_latest": publication.revision == revisions[0].revision,
            "crumbs": _crumbs(plan.body, plan),
        },
    )


def _attachment(content: bytes, content_type: str, filename: str) -> FileResponse:
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=content_type)


@require_GET
def signed_pdf(request, ipa_code: str, year: int, code: str, revision: int):
    publication = _publication(_plan(ipa_code, year), code, revision)
    if publication.signed_pdf_id is None:
        raise Http404("Nessun documento firmato per questa revisione.")
    stored = publication.signed_pdf
    return _attachment(bytes(stored.content), "application/pdf", f"{code}-rev{revision}-firmato.pdf")


@require_GET
def act_pdf(request, ipa_code: str, year: int, code: str, revision: int):
    publication = _publication(_plan(ipa_code, year), code, revision)
    act = publication.adoption_act
    if act is None or act.file_id is None:
        raise Http404("Nessun atto di adozione in PDF per questa revisione.")
    return _attachment(bytes(act.file.content), "application/pdf", f"{code}-rev{revision}-atto.pdf")


def _document(ipa_code: str, year: int) -> tuple[Plan, dict]:
    plan = _plan(ipa_code, year)
    return plan, selectors.open_data_document(plan, selectors.latest_publications(plan))


@require_GET
def open_data_json(request, ipa_code: str, year: int):
    plan, document = _document(ipa_code, year)
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return _attachment(
        text.encode("utf-8"), "application/json; charset=utf-8", f"piao-{plan.body.ipa_code}-{plan.year}.json"
    )


@require_GET
def open_data_csv(request, ipa_code: str, year: int, table: str):
    if table not in selectors.CSV_TABLES:
        raise Http404("Tabella sconosciuta.")
    plan, document = _document(ipa_code, year)
    text = io.StringIO()
    csv.writer(text).writerows(selectors.open_data_table(document, table))
    return _attachment(
        ("\ufeff" + text.getvalue()).encode("utf-8"),  # BOM: spreadsheets then read UTF-8
        "text/csv; charset=utf-8",
        f"piao-{plan.body.ipa_code}-{plan.year}-{table}.csv",
    )


@require_GET
def open_data_xlsx(request, ipa_code: str, year: int):
    """The three tables of the CSV files, one sheet each, for those who open them in Excel."""
    plan, document = _document(ipa_code, year)
    tables = {t: selectors.open_data_table(document, t) for t in selectors.CSV_TABLES}
    return _attachment(
        spreadsheet.plan_tables_xlsx(tables),
        spreadsheet.CONTENT_TYPE,
        f"piao-{plan.body.ipa_code}-{plan.year}.xlsx",
    )
