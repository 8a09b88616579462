"""The signatures pages: downloading the document to sign (its current file, what the next signer signs,
and the original as produced), an adoption act's PDF, and the body's signature settings."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from approvals.forms import BodySettingsForm
from approvals.selectors import signatures as selectors
from flows import errors
from flows.services.body_settings import BODY_SETTINGS_FORBIDDEN, body_settings_update, may_manage_settings
from flows.services.signatures import document_download
from workflow import selectors as workflow_selectors
from workflow.middleware import require_body
from workflow.models import Objective


def _pdf(stored, *, inline: bool = False) -> FileResponse:
    """A stored PDF; its name (an upload's, for an act) is quoted or encoded by Django."""
    response = FileResponse(
        io.BytesIO(bytes(stored.content)),
        as_attachment=not inline,
        filename=stored.name or "documento.pdf",
        content_type="application/pdf",  # documents to sign and acts are PDFs, checked on upload
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def document_file(request, pk: int, document_id: int, which: str):
    try:
        stored = document_download(user=request.user, objective_id=pk, document_id=document_id, which=which)
    except Objective.DoesNotExist as exc:
        raise Http404 from exc
    return _pdf(stored)


@login_required
@require_GET
def act_file(request, pk: int, act_id: int):
    try:
        objective = workflow_selectors.objective_get(request.user, pk)
    except Objective.DoesNotExist as exc:
        raise Http404 from exc
    stored = selectors.act_file(objective, act_id)
    if stored is None:
        raise Http404
    return _pdf(stored)


@login_required
def body_settings(request):
    body = require_body(request)
    if not may_manage_settings(request.user, body):
        raise PermissionDenied(BODY_SETTINGS_FORBIDDEN)
    form = BodySettingsForm(request.POST or None, body=body)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                body_settings_update(body_id=body.pk, by=request.user, data=form.cleaned_data)
            except errors.Forbidden as exc:
                raise PermissionDenied(exc.message) from exc
            messages.success(request, "Impostazioni dell'ente salvate.")
            return redirect("approvals:body_settings")
        status = 400
    return render(
        request,
        "approvals/signatures/body_settings.html",
        {"nav": "settings", "body": body, "form": form},
        status=status,
    )
