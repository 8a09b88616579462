"""The dirigente's side of the monitoring: the reports to fill, one report's page with its values, steps
and evidence files. Each view parses the request, calls one service of flows.services.monitoring or
renders the page model of ``report_models``; every report is read through ``selectors.report_get`` (404
for one the person may not see, another body's included)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from approvals import uploads
from approvals.models import ReportEvidence
from flows import errors
from flows.services import monitoring
from flows.steps.report import REPORT
from workflow import access, selectors
from workflow.middleware import require_body
from workflow.models import ProgressReport

from . import report_models

TEMPLATE = "workflow/monitoring/report_detail.html"
INCOMPLETE = "Richiesta incompleta: ricarica la pagina e riprova."
SAVED = "Valori della rendicontazione salvati."
NOTHING_CHANGED = "Nessuna modifica da salvare."
EVIDENCE_ADDED = "Documento «{name}» caricato."
EVIDENCE_WITHDRAWN = "Documento «{name}» ritirato: resta nello storico della rendicontazione."
EVIDENCE_TOO_LARGE = errors.EVIDENCE_TOO_LARGE
CONDITIONS_UNMET = "«{label}» non è stato eseguito: mancano ancora questi dati."


def _report(request, pk: int) -> ProgressReport:
    try:
        return selectors.report_get(request.user, pk)
    except ProgressReport.DoesNotExist as exc:
        raise Http404 from exc


def _lock_version(request) -> int | None:
    value = request.POST.get("lock_version", "")
    return int(value) if value.isdecimal() else None


def _detail(pk: int):
    return redirect("workflow:report_detail", pk=pk)


@login_required
@require_safe
def my_reports(request):
    body = require_body(request)
    page = report_models.my_reports(request.user, body, page_number=request.GET.get("pagina"))
    return render(request, "workflow/monitoring/my_reports.html", page.context())


@login_required
@require_safe
def report_detail(request, pk: int):
    report = _report(request, pk)
    return render(request, TEMPLATE, report_models.report_page(request.user, report).context())


@login_required
@require_POST
def report_edit(request, pk: int):
    """Save the values of the report's one form: all of them, or none when a field is invalid."""
    report = _report(request, pk)
    if not report_models.may_edit(request.user, report):
        raise PermissionDenied(errors.REPORT_NOT_EDITABLE)
    form = report_models.values_form(report, request.POST)
    status = 400
    if form.is_valid():
        before = report.lock_version
        try:
            saved = monitoring.report_save(report_id=report.pk, by=request.user, **form.values())
        except errors.Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except ProgressReport.DoesNotExist as exc:
            raise Http404 from exc
        except errors.WorkflowError as exc:  # changed meanwhile (409), a row of another objective (400)
            form.add_error(exc.message)
            status = exc.status
        else:
            messages.success(request, SAVED if saved.lock_version != before else NOTHING_CHANGED)
            return _detail(pk)
    page = report_models.report_page(request.user, report, values=form)
    return render(request, TEMPLATE, page.context(), status=status)


@login_required
@require_POST
def report_step(request, pk: int, name: str):
    if name not in REPORT.steps:
        raise Http404
    step = REPORT.steps[name]
    report = _report(request, pk)
    lock_version = _lock_version(request)
    if lock_version is None:
        messages.error(request, INCOMPLETE)
        return _detail(pk)
    body = report.objective.plan.body
    form = report_models.step_form(step, body, request.POST)
    if not form.is_valid():
        page = report_models.report_page(request.user, report, open_action=name, bound_form=form)
        if not any(a["name"] == name for a in page.actions):
            raise PermissionDenied(errors.FORBIDDEN.format(action=step.label))
        return render(request, TEMPLATE, page.context(), status=400)
    try:
        moved = monitoring.report_transition(
            report_id=pk,
            name=name,
            by=request.user,
            lock_version=lock_version,
            input=step.input_from(form.cleaned_data),
        )
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except ProgressReport.DoesNotExist as exc:
        raise Http404 from exc
    except errors.ConditionsUnmet as exc:
        refusal = {
            "message": CONDITIONS_UNMET.format(label=step.label) if exc.problems else exc.message,
            "problems": exc.problems,
        }
        page = report_models.report_page(
            request.user, report, open_action=name, bound_form=form, refusal=refusal
        )
        return render(request, TEMPLATE, page.context(), status=exc.status)
    except errors.WorkflowError as exc:  # changed meanwhile, no longer in a state that allows it
        messages.error(request, exc.message)
        return _detail(pk)
    messages.success(request, f"{step.label}: fatto. Stato attuale: {moved.get_state_display()}.")
    return _detail(pk)


@login_required
@require_POST
def evidence_upload(request, pk: int):
    report = _report(request, pk)
    if not report_models.may_edit(request.user, report):
        raise PermissionDenied(errors.REPORT_NOT_EDITABLE)
    form = report_models.evidence_form(report, request.POST, request.FILES)
    status = 400
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > uploads.max_upload_bytes():
            form.add_error(
                "file", EVIDENCE_TOO_LARGE.format(limit=uploads.megabytes(uploads.max_upload_bytes()))
            )
        else:
            try:
                evidence = monitoring.evidence_add(
                    report_id=report.pk,
                    by=request.user,
                    lock_version=form.cleaned_data["lock_version"],
                    name=upload.name,
                    content=upload.read(),
                    indicator_id=form.cleaned_data["indicator"],
                    description=form.cleaned_data["description"],
                )
            except errors.Forbidden as exc:
                raise PermissionDenied(exc.message) from exc
            except ProgressReport.DoesNotExist as exc:
                raise Http404 from exc
            except errors.StaleObjective as exc:
                form.add_error(None, exc.message)
                status = exc.status
            except errors.WorkflowError as exc:  # the file is not what its name says, too large...
                form.add_error("file", exc.message)
            else:
                messages.success(request, EVIDENCE_ADDED.format(name=evidence.file.name))
                return _detail(pk)
    page = report_models.report_page(request.user, report, evidence=form)
    return render(request, TEMPLATE, page.context(), status=status)


def _evidence(report: ProgressReport, evidence_pk: int) -> ReportEvidence:
    evidence = ReportEvidence.objects.filter(report=report, pk=evidence_pk).select_related("file").first()
    if evidence is None:
        raise Http404
    return evidence


@login_required
@require_safe
def evidence_download(request, pk: int, evidence_pk: int):
    """The stored file, as uploaded; a withdrawn one only for the body's auditors."""
    report = _report(request, pk)
    evidence = _evidence(report, evidence_pk)
    if evidence.withdrawn_at is not None and not access.is_revisore(request.user, report.objective.plan.body):
        raise Http404
    stored = evidence.file
    return FileResponse(
        io.BytesIO(bytes(stored.content)),
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )


@login_required
@require_POST
def evidence_withdraw(request, pk: int, evidence_pk: int):
    report = _report(request, pk)
    lock_version = _lock_version(request)
    if lock_version is None:
        messages.error(request, INCOMPLETE)
        return _detail(pk)
    try:
        evidence = monitoring.evidence_withdraw(
            report_id=report.pk, evidence_id=evidence_pk, by=request.user, lock_version=lock_version
        )
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except ProgressReport.DoesNotExist as exc:
        raise Http404 from exc
    except errors.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, EVIDENCE_WITHDRAWN.format(name=evidence.file.name))
    return _detail(pk)
