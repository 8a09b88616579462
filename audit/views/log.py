"""The change log of the current body, newest first, with its filters, and its exports (CSV and JSON
streamed, XLSX for Excel; each one logged). Views parse input, call one selector or flows service, render."""

from __future__ import annotations

import csv
import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from approvals.models import StepRecord
from flows import errors
from flows.services.auditlog import EXPORT_FORMATS, change_log_export
from workflow import selectors as workflow_selectors
from workflow import spreadsheet
from workflow.middleware import require_body

from .. import actions, describers, selectors
from ..forms import ChangeLogFilterForm
from ..models import AuditEntry


# -- the change log ---------------------------------------------------------------------------------------
def _log_body(request):
    body = require_body(request)
    if not selectors.may_read_log(request.user, body):
        raise PermissionDenied(selectors.LOG_FORBIDDEN)
    return body


def _action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The families first, then each family's actions under its name."""
    return [("Famiglie", [(f.value, f.all_label) for f in actions.FAMILIES])] + [
        (f.label, [(a.code, a.label) for a in actions.ACTIONS if a.family == f.key]) for f in actions.FAMILIES
    ]


def _filter_form(request, body):
    plans = [(p.pk, f"{p.year} ({p.triennium})") for p in workflow_selectors.plans_of(body)]
    objectives = [
        (o.pk, f"{o.plan.year} · {o.code} – {o.title[:60]}")
        for o in workflow_selectors.objectives_visible_to(request.user, body)
        .select_related("plan")
        .order_by("-plan__year", "code")
    ]
    people = [(u.pk, f"{u.get_full_name() or u.username} ({u.username})") for u in selectors.people_of(body)]
    return ChangeLogFilterForm(
        request.GET or None, plans=plans, objectives=objectives, people=people, actions=_action_choices()
    )


def _filters(form) -> selectors.LogFilters | None:
    if not form.is_bound:
        return selectors.LogFilters()
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return selectors.LogFilters(
        plan_id=data.get("piano"),
        objective_id=data.get("obiettivo"),
        actor_id=data.get("utente"),
        action=data.get("azione") or "",
        since=data.get("dal"),
        until=data.get("al"),
    )


def _cursor(request, name) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdecimal() else None  # isdigit() also takes "²", which int() refuses


@login_required
def change_log(request):
    body = _log_body(request)
    form = _filter_form(request, body)
    filters = _filters(form)
    page = None
    rows = []
    if filters is not None:
        page = selectors.change_log_page(
            request.user, body, filters, after=_cursor(request, "dopo"), before=_cursor(request, "prima")
        )
        transitions = [e for e in page.entries if e.action.startswith(actions.TRANSITION_PREFIX)]
        step_ids = [i for i in map(describers.step_id, transitions) if i]
        steps = {s.pk: s for s in StepRecord.objects.filter(pk__in=step_ids)}
        rows = [describers.describe(e, steps) for e in page.entries]
    query = request.GET.copy()
    for key in ("dopo", "prima"):
        query.pop(key, None)
    return render(
        request,
        "audit/change_log.html",
        {
            "nav": "audit",
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "paged": "dopo" in request.GET or "prima" in request.GET,
        },
        status=400 if filters is None else 200,
    )


class _Echo:
    """A file-like object whose write returns what it is given (csv.writer into a streamed response)."""

    def write(self, value):
        return value


CSV_HEADER = [
    "sequenza",
    "quando",
    "utente",
    "azione",
    "descrizione",
    "tipo di oggetto",
    "oggetto",
    "ente",
    "piano",
    "dati",
    "impronta precedente",
    "impronta",
]


def _csv_rows(entries):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_HEADER)  # BOM: spreadsheets read UTF-8
    for e in entries:
        yield writer.writerow(
            [
                e.sequence,
                timezone.localtime(e.at).isoformat(),
                e.actor_name,
                e.action,
                actions.label(e.action),
                e.object_type,
                e.object_id,
                "" if e.body_id is None else e.body_id,
                "" if e.plan_id is None else e.plan_id,
                json.dumps(e.payload.get("data", {}), ensure_ascii=False, sort_keys=True),
                e.prev_hash,
                e.hash,
            ]
        )


# The spreadsheet of the log: the CSV's columns, typed (a log can be long, so every width is given and the
# rows stream into the workbook).
XLSX_COLUMNS = [
    spreadsheet.Column("Sequenza", "int", 10),
    spreadsheet.Column("Quando", "datetime", 20),
    spreadsheet.Column("Utente", width=25),
    spreadsheet.Column("Azione", width=25),
    spreadsheet.Column("Descrizione", width=40),
    spreadsheet.Column("Tipo di oggetto", width=16),
    spreadsheet.Column("Oggetto", width=10),
    spreadsheet.Column("Ente", "int", 8),
    spreadsheet.Column("Piano", "int", 8),
    spreadsheet.Column("Dati", width=60),
    spreadsheet.Column("Impronta precedente", width=20),
    spreadsheet.Column("Impronta", width=20),
]


def _xlsx_rows(entries):
    for e in entries:
        yield [
            e.sequence,
            timezone.localtime(e.at),
            e.actor_name,
            e.action,
            actions.label(e.action),
            e.object_type,
            e.object_id,
            e.body_id,
            e.plan_id,
            json.dumps(e.payload.get("data", {}), ensure_ascii=False, sort_keys=True),
            e.prev_hash,
            e.hash,
        ]


def _json_chunks(export: AuditEntry, body, filters: selectors.LogFilters, entries):
    head = {
        "ente": body.name,
        "esportazione": export.sequence,
        "esportato_il": timezone.localtime(export.at).isoformat(),
        "esportato_da": export.actor_name,
        "filtri": filters.as_data(),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "voci": ['
    first = True
    for e in entries:
        item = {
            "sequenza": e.sequence,
            "quando": e.at.isoformat(),
            "utente": e.actor_name,
            "azione": e.action,
            "tipo_oggetto": e.object_type,
            "oggetto": e.object_id,
            "ente": e.body_id,
            "piano": e.plan_id,
            "payload": e.payload,
            "impronta_precedente": e.prev_hash,
            "impronta": e.hash,
        }
        yield ("" if first else ",") + "\n" + json.dumps(item, ensure_ascii=False, sort_keys=True)
        first = False
    yield "\n]}\n"


@require_safe
@login_required
def change_log_download(request, fmt: str):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    body = _log_body(request)
    form = _filter_form(request, body)
    filters = _filters(form)
    if filters is None:
        return change_log(request)  # the page again, with the message next to the field
    try:
        export, entries = change_log_export(by=request.user, body=body, filters=filters, fmt=fmt)
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    stamp = timezone.localtime(export.at).strftime("%Y%m%d-%H%M%S")
    name = f"registro-{body.ipa_code}-{stamp}.{fmt}"
    if fmt == "xlsx":
        sheet = spreadsheet.Sheet(title="Registro", columns=XLSX_COLUMNS, rows=_xlsx_rows(entries))
        try:
            content = spreadsheet.workbook_bytes([sheet])
        except spreadsheet.SheetTooLong as exc:
            messages.error(request, str(exc))
            return redirect(f"{reverse('audit:change_log')}?{request.GET.urlencode()}")
        return FileResponse(
            io.BytesIO(content), as_attachment=True, filename=name, content_type=spreadsheet.CONTENT_TYPE
        )
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_rows(entries), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(
            _json_chunks(export, body, filters, entries), content_type="application/json; charset=utf-8"
        )
    # streamed (a log can be long), so not a FileResponse: the same header FileResponse would write
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
