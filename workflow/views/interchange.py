"""Importing a report or a JSON export from the browser (upload, preview, confirm), and downloads."""

from __future__ import annotations

import io
import json
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from flows import errors
from flows.services.interchange import IMPORT_FORBIDDEN, plan_export, plan_import
from workflow import access, selectors, spreadsheet
from workflow.export import csv_zip, document_as_csv_tables
from workflow.forms import ImportForm
from workflow.interchange import read_document
from workflow.middleware import require_body

SESSION_PREFIX = "import:"


def _segreteria_body(request):
    body = require_body(request)
    if not access.is_segreteria(request.user, body):
        raise PermissionDenied(IMPORT_FORBIDDEN)
    return body


@login_required
def plan_import_view(request):
    body = _segreteria_body(request)
    form = ImportForm(
        request.POST or None, request.FILES or None, initial={"year": timezone.localdate().year}
    )
    preview = token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            year = form.cleaned_data["year"]
            raw = upload.read()
            fmt = "json" if upload.name.lower().endswith(".json") or raw.lstrip()[:1] == b"{" else "report"
            try:
                document, warnings = read_document(raw, fmt, year)
                preview = plan_import(
                    by=request.user,
                    body=body,
                    year=year,
                    document=document,
                    source=upload.name,
                    dry_run=True,
                    warnings=warnings,
                )
            except ValueError as exc:  # ReportError is a ValueError
                form.add_error("file", str(exc))
            except errors.Forbidden as exc:
                raise PermissionDenied(exc.message) from exc
            except errors.WorkflowError as exc:
                form.add_error("file", exc.message)
            else:
                token = secrets.token_urlsafe(16)
                request.session[SESSION_PREFIX + token] = {
                    "year": year,
                    "source": upload.name,
                    "document": document,
                    "warnings": warnings,
                }
        if form.errors:
            status = 400
    return render(
        request,
        "workflow/plan_import.html",
        {
            "nav": "plan",
            "form": form,
            "preview": preview,
            "token": token,
        },
        status=status,
    )


@login_required
@require_POST
def plan_import_confirm(request):
    body = _segreteria_body(request)
    pending = request.session.pop(SESSION_PREFIX + request.POST.get("token", ""), None)
    if pending is None:
        messages.error(
            request, "Questa importazione è già stata eseguita o è scaduta: carica di nuovo il file."
        )
        return redirect("workflow:plan_import")
    try:
        result = plan_import(
            by=request.user,
            body=body,
            year=pending["year"],
            document=pending["document"],
            source=pending["source"],
            warnings=pending["warnings"],
        )
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except errors.WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect("workflow:plan_import")
    messages.success(
        request,
        f"Importazione completata: {len(result.created)} nuovi, {len(result.updated)} aggiornati, "
        f"{len(result.unchanged)} invariati, {len(result.conflicts)} in conflitto.",
    )
    return redirect("workflow:plan_detail", year=result.year)


@require_safe
@login_required
def plan_download(request, year: int, fmt: str):
    body = require_body(request)
    if fmt not in ("json", "zip", "xlsx"):
        raise Http404
    plan = selectors.plans_of(body).filter(year=year).first()
    if plan is None:
        raise Http404
    document = plan_export(by=request.user, plan=plan, fmt={"zip": "csv"}.get(fmt, fmt))
    stem = f"piao-{year}-{plan.body.ipa_code}"
    if fmt == "json":
        content = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
        content_type = "application/json; charset=utf-8"
    elif fmt == "xlsx":
        content = spreadsheet.plan_tables_xlsx(document_as_csv_tables(document))
        content_type = spreadsheet.CONTENT_TYPE
    else:
        content, content_type = csv_zip(document), "application/zip"
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=f"{stem}.{fmt}", content_type=content_type
    )
