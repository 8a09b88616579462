"""The transmission pages: the package for the Segreteria to upload by hand (one objective or several),
the stored package and receipt of a transmission, and sending again a delivery that failed."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from approvals.models import Transmission
from approvals.selectors.signatures import current_links
from approvals.selectors.transmission import transmission_get
from flows import errors
from flows.forms import TransmitForm
from flows.services.transmission import (
    package_download,
    stored_package_download,
    transmission_receipt_record,
    transmission_retry,
)
from workflow import access, selectors
from workflow.middleware import require_body
from workflow.models import Objective, State, TransmitterMode
from workflow.views.pages import current_plan

RECEIPT_TYPES = {"application/pdf", "image/png", "image/jpeg"}  # what the receipt's upload accepts
NOT_IN_TRANSMISSION = (
    "Il pacchetto si prepara per gli obiettivi in trasmissione a Funzione Pubblica: «{code}» è {state}."
)


def _attachment(content: bytes, name: str, content_type: str) -> FileResponse:
    """A download; Django writes the name into Content-Disposition, quoted or encoded as it needs."""
    response = FileResponse(
        io.BytesIO(bytes(content)), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _objectives(request, ids) -> list[Objective]:
    found = []
    for pk in ids:
        try:
            found.append(selectors.objective_get(request.user, pk))
        except Objective.DoesNotExist as exc:
            raise Http404 from exc
    return found


@login_required
def transmission_page(request):
    """The objectives of the current plan waiting for transmission, to download their package."""
    body = require_body(request)
    if not access.is_segreteria(request.user, body):
        raise PermissionDenied(errors.TRANSMISSION_FORBIDDEN)
    plan, plans = current_plan(request)
    objectives = list(selectors.objective_list(request.user, body, plan=plan, state=State.TRANSMISSION))
    frozen = current_links(objectives)  # one query, whatever the number of objectives
    for o in objectives:
        o.has_document = o.pk in frozen
    return render(
        request,
        "approvals/transmission/page.html",
        {"nav": "transmission", "plan": plan, "plans": plans, "body": body, "objectives": objectives},
    )


@login_required
@require_GET
def package_view(request):
    """The package of the objectives named in ``?obiettivi=`` (all in transmission, of one plan)."""
    raw = request.GET.getlist("obiettivi")
    if not raw or not all(v.isdecimal() for v in raw):  # isdigit() also takes "²", which int() refuses
        messages.error(request, errors.BATCH_EMPTY)
        return redirect("approvals:transmission_page")
    objectives = _objectives(request, sorted({int(v) for v in raw}))
    return _package_response(request, objectives)


@login_required
@require_GET
def objective_package_view(request, pk: int):
    return _package_response(request, _objectives(request, [pk]))


def _package_response(request, objectives):
    if not all(access.is_segreteria(request.user, o.plan.body_id) for o in objectives):
        raise PermissionDenied(errors.TRANSMISSION_FORBIDDEN)
    for o in objectives:
        if o.state != State.TRANSMISSION:
            message = NOT_IN_TRANSMISSION.format(code=o.code, state=o.get_state_display().lower())
            return render(request, "403.html", {"message": message}, status=409)
    try:
        package = package_download(objectives=objectives, by=request.user)
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except errors.WorkflowError as exc:
        return render(request, "403.html", {"message": exc.message}, status=exc.status)
    response = _attachment(package.content, package.name, "application/zip")
    response["X-Content-SHA256"] = package.sha256
    return response


def _transmission(request, pk) -> Transmission:
    try:
        return transmission_get(request.user, pk)
    except Transmission.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_GET
def stored_package_view(request, pk: int):
    transmission = _transmission(request, pk)
    stored = stored_package_download(transmission=transmission, by=request.user)
    return _attachment(stored.content, stored.name, "application/zip")


@login_required
@require_GET
def receipt_view(request, pk: int):
    transmission = _transmission(request, pk)
    if transmission.receipt_file is None:
        raise Http404
    stored = transmission.receipt_file
    content_type = stored.content_type if stored.content_type in RECEIPT_TYPES else "application/octet-stream"
    return _attachment(stored.content, stored.name, content_type)


@login_required
@require_POST
def retry_view(request, pk: int):
    transmission = _transmission(request, pk)
    try:
        transmission_retry(pk=transmission.pk, by=request.user)
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except errors.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Nuovo invio della trasmissione avviato.")
    first = transmission.objectives.order_by("code").first()
    if first is None:
        raise Http404
    return redirect("workflow:objective_detail", pk=first.pk)


@login_required
def receipt_record_view(request, pk: int):
    """A failed HTTP transmission uploaded by hand: the page with the stored package and the receipt form."""
    transmission = _transmission(request, pk)
    if not access.is_segreteria(request.user, transmission.body_id):
        raise PermissionDenied(errors.TRANSMISSION_FORBIDDEN)
    first = transmission.objectives.order_by("code").first()
    if first is None:
        raise Http404
    auto_id = "id_ricevuta-%s"
    form = TransmitForm(transmitter=TransmitterMode.MANUAL, auto_id=auto_id)
    del form.fields["comment"]
    status = 200
    if request.method == "POST":
        form = TransmitForm(request.POST, request.FILES, transmitter=TransmitterMode.MANUAL, auto_id=auto_id)
        del form.fields["comment"]
        if form.is_valid():
            try:
                transmission_receipt_record(pk=transmission.pk, by=request.user, cleaned=form.cleaned_data)
            except errors.Forbidden as exc:
                raise PermissionDenied(exc.message) from exc
            except errors.WorkflowError as exc:
                messages.error(request, exc.message)
                status = exc.status
            else:
                messages.success(request, "Ricevuta registrata: ora gli obiettivi si possono pubblicare.")
                return redirect("workflow:objective_detail", pk=first.pk)
        else:
            status = 400
    return render(
        request,
        "approvals/transmission/receipt.html",
        {
            "nav": "objectives",
            "transmission": transmission,
            "objectives": list(transmission.objectives.order_by("code")),
            "first": first,
            "form": form,
            "may_record": transmission.status == "failed",
        },
        status=status,
    )
