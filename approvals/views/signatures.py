"""The signatures pages: downloading the document to sign (its current file, what the next signer signs,
and the original as produced), an adoption act's PDF, and the body's signature settings."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from approvals.forms import BodySettingsForm, SealForm, SealRemoveForm
from approvals.models import BodySeal
from approvals.selectors import signatures as selectors
from flows import errors
from flows.services.body_settings import (
    BODY_SETTINGS_FORBIDDEN,
    body_seal_configure,
    body_seal_remove,
    body_settings_update,
    may_manage_settings,
)
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


def _settings_page(request, body, *, form=None, seal_form=None, remove_form=None, status=200):
    seal = BodySeal.objects.filter(body=body).first()
    return render(
        request,
        "approvals/signatures/body_settings.html",
        {
            "nav": "settings",
            "body": body,
            "form": form or BodySettingsForm(body=body),
            "seal": seal,
            "seal_expired": seal is not None and seal.not_after <= timezone.now(),
            "seal_form": seal_form or SealForm(),
            "remove_form": remove_form or SealRemoveForm(),
        },
        status=status,
    )


def _settings_body(request):
    body = require_body(request)
    if not may_manage_settings(request.user, body):
        raise PermissionDenied(BODY_SETTINGS_FORBIDDEN)
    return body


@login_required
def body_settings(request):
    body = _settings_body(request)
    if request.method != "POST":
        return _settings_page(request, body)
    form = BodySettingsForm(request.POST, body=body)
    if form.is_valid():
        try:
            body_settings_update(body_id=body.pk, by=request.user, data=form.cleaned_data)
        except errors.Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        messages.success(request, "Impostazioni dell'ente salvate.")
        return redirect("approvals:body_settings")
    return _settings_page(request, body, form=form, status=400)


@login_required
@require_POST
def body_seal(request):
    """Configure the body's seal from an uploaded PKCS#12 file (the settings page's second form)."""
    body = _settings_body(request)
    seal_form = SealForm(request.POST, request.FILES)
    if seal_form.is_valid():
        try:
            configured = body_seal_configure(
                body_id=body.pk,
                by=request.user,
                content=seal_form.cleaned_data["file"],
                password=seal_form.cleaned_data["password"],
            )
        except errors.Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except errors.InvalidInput as exc:
            seal_form.add_error("file", exc.message)
        else:
            messages.success(request, f"Sigillo elettronico configurato: {configured.subject}.")
            return redirect("approvals:body_settings")
    return _settings_page(request, body, seal_form=seal_form, status=400)


@login_required
@require_POST
def body_seal_delete(request):
    body = _settings_body(request)
    remove_form = SealRemoveForm(request.POST)
    if remove_form.is_valid():
        try:
            body_seal_remove(body_id=body.pk, by=request.user)
        except errors.Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except errors.InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Sigillo elettronico rimosso.")
        return redirect("approvals:body_settings")
    return _settings_page(request, body, remove_form=remove_form, status=400)
