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
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from approvals.models import StepRecord
from flows import errors
from flows.objective_flow import TRANSITION_NAMES, transition_label
from flows.services.auditlog import EXPORT_FORMATS, change_log_export
from workflow import selectors as workflow_selectors
from workflow import spreadsheet
from workflow.middleware import require_body
from workflow.models import Objective, Role, State

from .. import selectors
from ..actions import ACTION_LABELS, FAMILIES
from ..forms import ChangeLogFilterForm
from ..models import AuditEntry


# -- the change log ---------------------------------------------------------------------------------------
def _log_body(request):
    body = require_body(request)
    if not selectors.may_read_log(request.user, body):
        raise PermissionDenied(selectors.LOG_FORBIDDEN)
    return body


def action_label(action: str) -> str:
    if action.startswith("transition."):
        name = action.split(".", 1)[1]
        return f"Transizione: {transition_label(name)}" if name in TRANSITION_NAMES else action
    return ACTION_LABELS.get(action, action)


def _action_choices() -> list[tuple[str, str]]:
    transitions = [(f"transition.{n}", f"Transizione: {transition_label(n)}") for n in TRANSITION_NAMES]
    others = sorted(ACTION_LABELS.items(), key=lambda item: item[1])
    return [
        ("Famiglie", FAMILIES),
        ("Transizioni", transitions),
        ("Altre azioni", others),
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


def _field_names(names) -> str:
    labels = []
    for n in names or []:
        try:
            labels.append(str(Objective._meta.get_field(n).verbose_name))
        except Exception:  # noqa: BLE001 - a field removed since the entry was written
            labels.append(n)
    return ", ".join(labels)


def _state(code) -> str:
    try:
        return State(code).label
    except ValueError:
        return code or "—"


def describe(entry: AuditEntry, steps: dict[int, StepRecord]) -> dict:
    """One row of the change log: what happened, to what, why."""
    data = entry.payload.get("data", {}) or {}
    action = entry.action
    reason, details, highlighted = "", "", False
    if action.startswith("transition."):
        reason = data.get("comment") or ""
        details = f"{_state(data.get('from'))} → {_state(data.get('to'))}"
        step = steps.get(data.get("step"))
        if step is not None:
            early = (step.data or {}).get("early_reason")
            if early:
                reason = (
                    f"{reason} · Chiusura anticipata: {early}" if reason else f"Chiusura anticipata: {early}"
                )
            highlighted = step.highlighted
    elif action == "objective.update":
        reason = data.get("note") or ""
        parts = []
        if data.get("fields"):
            parts.append(f"campi: {_field_names(data['fields'])}")
        if data.get("rows_changed"):
            parts.append(f"fasi e indicatori cambiati: {data['rows_changed']}")
        details = "; ".join(parts)
    elif action == "objective.restore":
        reason = data.get("reason") or ""
        details = f"ripristinata la versione {data.get('version')}"
    elif action == "objective.create":
        details = data.get("title", "")
    elif action in ("permission.delegate", "permission.revoke"):
        details = f"funzionario: {data.get('delegate', '')}"
    elif action == "permission.responsible":
        details = f"da {data.get('from') or '—'} a {data.get('to') or '—'}"
    elif action in ("permission.role_grant", "permission.role_revoke"):
        role = data.get("role", "")
        role_label = Role(role).label if role in Role.values else role
        details = f"{data.get('user', '')}: {role_label}"
    elif action == "plan.import":
        reason = f"file «{data.get('source', '')}»" if data.get("source") else ""
        details = (
            f"creati {len(data.get('created') or [])}, aggiornati {len(data.get('updated') or [])}, "
            f"conflitti {len(data.get('conflicts') or [])}"
        )
    elif action in ("plan.export", "audit.export"):
        details = f"formato {data.get('format', '')}"
    elif action == "batch_transition":
        name = data.get("transition", "")
        label = transition_label(name) if name in TRANSITION_NAMES else name
        n = len(data.get("objectives") or [])
        details = f"{label}: " + ngettext("%(n)d obiettivo", "%(n)d obiettivi", n) % {"n": n}
    elif action == "auth.login_failed":
        details = f"nome utente provato: «{data.get('username', '')}»"
    elif action.startswith("auth."):
        details = f"indirizzo {data.get('ip')}" if data.get("ip") else ""
    elif action in ("consultation.observation", "consultation.answer", "consultation.request"):
        reason = data.get("text") or ""
        if data.get("objectives"):
            details = "obiettivi " + ", ".join(data["objectives"])
    elif action == "consultation.information":
        details = f"obiettivi {', '.join(data.get('objectives') or [])}; destinatari: " + (
            ", ".join(data.get("recipients") or []) or "nessuno"
        )
    elif action == "consultation.meeting":
        held_on = str(data.get("held_on", ""))[:10]
        details = f"incontro del {held_on}; partecipanti: {data.get('participants', '')}"
    elif action == "plan.deadline":
        details = f"da {data.get('from') or '31 gennaio'} a {data.get('to') or '31 gennaio'}"
    elif action in ("plan.create", "strategic_objective.create"):
        details = str(data.get("code") or data.get("year") or "")

    object_label, object_url = "", ""
    if entry.object_type == "workflow.objective":
        object_label = data.get("code") or f"obiettivo n. {entry.object_id}"
        object_url = reverse("audit:versions", args=[entry.object_id])
    elif entry.object_type == "workflow.plan":
        object_label = f"piano {data.get('year')}" if data.get("year") else "piano"
    elif entry.object_type == "auth.user":
        object_label = data.get("username") or entry.actor_name
    return {
        "entry": entry,
        "action_label": action_label(action),
        "object_label": object_label,
        "object_url": object_url,
        "reason": reason,
        "details": details,
        "highlighted": highlighted,
    }


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
        step_ids = [
            e.payload.get("data", {}).get("step")
            for e in page.entries
            if e.action.startswith("transition.") and isinstance(e.payload.get("data"), dict)
        ]
        steps = {s.pk: s for s in StepRecord.objects.filter(pk__in=[i for i in step_ids if i])}
        rows = [describe(e, steps) for e in page.entries]
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
                action_label(e.action),
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
            action_label(e.action),
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
