"""The Relazione sulla performance of a plan: the Segreteria starts it, writes its texts, adopts it; the
NIV/OIV validates it (or not); the Segreteria publishes it, and after publication may start a new version.
Every reader of the body (dirigenti, Segreteria, NIV/OIV) sees it. Each write is a flows/ service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from approvals import relazione_pdf
from approvals.models import StoredFile
from flows import errors
from flows import forms as step_forms
from flows.services import relazione as services
from flows.steps.relazione import RELAZIONE
from workflow import relazione as relazione_data
from workflow import selectors
from workflow.middleware import require_body
from workflow.models import Relazione, RelazioneState, RelazioneTransition
from workflow.views.monitoring.common import _plan, _readers_only

from .relazione_page import relazione_page

TEMPLATE = "workflow/relazione.html"
READERS_ONLY = "La Relazione sulla performance è riservata a chi legge tutti gli obiettivi dell'ente."
INCOMPLETE = "Richiesta incompleta: ricarica la pagina e riprova."
STARTED = "Relazione sulla performance {year} avviata: scrivi i testi, poi registra l'adozione."
TEXTS_SAVED = "Testi della Relazione salvati."
DEADLINE_SAVED = "Scadenza di adozione salvata."
NEW_VERSION = (
    "Avviata la versione {version} della Relazione: la versione pubblicata resta visibile fino alla nuova "
    "pubblicazione."
)
CONDITIONS_UNMET = "«{label}» non è stato eseguito: {message}"
STEP_DONE = {
    RelazioneTransition.ADOPT: (
        "Adozione registrata: la Relazione è congelata e attende la validazione del NIV/OIV."
    ),
    RelazioneTransition.VALIDATE: "Validazione registrata: la Segreteria può pubblicare la Relazione.",
    RelazioneTransition.REJECT: "Mancata validazione registrata: la Relazione torna in redazione.",
    RelazioneTransition.PUBLISH: "Relazione pubblicata in Amministrazione Trasparente.",
}


def _lock_version(request) -> int | None:
    value = request.POST.get("lock_version", "")
    return int(value) if value.isdecimal() else None


def _relazione(request, pk: int) -> Relazione:
    """A Relazione of the current body the person may see (else 404, as one that does not exist)."""
    body = require_body(request)
    try:
        relazione = selectors.relazioni_visible_to(request.user, body).select_related("plan__body").get(pk=pk)
    except Relazione.DoesNotExist as exc:
        raise Http404(errors.RELAZIONE_NOT_FOUND) from exc
    return relazione


def _back(relazione: Relazione):
    url = redirect("workflow:relazione", year=relazione.plan.year).url
    return redirect(f"{url}?versione={relazione.version}")


def _render(request, plan, *, version=None, bound=None, refusal=None, status=200):
    page = relazione_page(request.user, plan, version=version, bound=bound, refusal=refusal)
    return render(request, TEMPLATE, page.context(), status=status)


@login_required
@require_http_methods(["GET", "POST"])
def relazione(request, year: int):
    body = require_body(request)
    plan = _plan(body, year)
    _readers_only(request, body, READERS_ONLY)
    if request.method == "POST":  # the only POST here: start the plan's Relazione
        try:
            services.relazione_start(plan=plan, by=request.user)
        except errors.Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except errors.WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, STARTED.format(year=plan.year))
        return redirect("workflow:relazione", year=plan.year)
    version = request.GET.get("versione", "")
    return _render(request, plan, version=int(version) if version.isdecimal() else None)


def _form_post(request, pk: int, *, name: str, form_class, save, done: str):
    """The Segreteria's small forms (texts, deadline, new version): the form checked, then
    ``save(relazione_id, by, cleaned_data, lock_version)`` (a flows/ service) run; back to the page with
    the message, or the form shown again with its errors. Returns the response."""
    relazione = _relazione(request, pk)
    form = form_class(request.POST)
    lock_version = _lock_version(request)
    if lock_version is None:
        messages.error(request, INCOMPLETE)
        return _back(relazione)
    if not form.is_valid():
        bound = {"name": name, "form": form}
        return _render(request, relazione.plan, version=relazione.version, bound=bound, status=400)
    try:
        saved = save(pk, request.user, form.cleaned_data, lock_version)
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except errors.WorkflowError as exc:
        messages.error(request, exc.message)
        return _back(relazione)
    messages.success(request, done.format(version=saved.version))
    return _back(saved)


@login_required
@require_POST
def relazione_texts(request, pk: int):
    def save(relazione_id, by, data, lock_version):
        return services.relazione_texts_save(
            relazione_id=relazione_id,
            by=by,
            presentation=data["presentation"],
            context=data["context"],
            lock_version=lock_version,
        )

    return _form_post(
        request, pk, name="texts", form_class=step_forms.RelazioneTextsForm, save=save, done=TEXTS_SAVED
    )


@login_required
@require_POST
def relazione_deadline(request, pk: int):
    def save(relazione_id, by, data, lock_version):
        return services.relazione_deadline_set(
            relazione_id=relazione_id, by=by, deadline=data["deadline"], lock_version=lock_version
        )

    return _form_post(
        request,
        pk,
        name="deadline",
        form_class=step_forms.RelazioneDeadlineForm,
        save=save,
        done=DEADLINE_SAVED,
    )


@login_required
@require_POST
def relazione_new_version(request, pk: int):
    def save(relazione_id, by, data, lock_version):
        return services.relazione_new_version(
            relazione_id=relazione_id, by=by, reason=data["comment"], lock_version=lock_version
        )

    return _form_post(
        request,
        pk,
        name="new_version",
        form_class=step_forms.RelazioneNewVersionForm,
        save=save,
        done=NEW_VERSION,
    )


def _step_form(name: str, request):
    if name == RelazioneTransition.ADOPT:
        return step_forms.AdoptForm(request.POST, request.FILES)
    if name == RelazioneTransition.VALIDATE:
        return step_forms.RelazioneValidationForm(request.POST, request.FILES)
    return step_forms.RelazionePublishForm(request.POST)


@login_required
@require_POST
def relazione_step(request, pk: int, name: str):
    if name not in (RelazioneTransition.ADOPT, RelazioneTransition.VALIDATE, RelazioneTransition.PUBLISH):
        raise Http404
    relazione = _relazione(request, pk)
    lock_version = _lock_version(request)
    if lock_version is None:
        messages.error(request, INCOMPLETE)
        return _back(relazione)
    form = _step_form(name, request)
    bound = {"name": name, "form": form}
    if not form.is_valid():
        page = relazione_page(request.user, relazione.plan, version=relazione.version, bound=bound)
        if not any(a["name"] == name for a in page.actions):
            raise PermissionDenied(errors.FORBIDDEN.format(action=RELAZIONE.label(name)))
        return render(request, TEMPLATE, page.context(), status=400)
    step_name = services.validation_step(form.cleaned_data["outcome"]) if name == "validate" else name
    step = RELAZIONE.step(step_name)
    try:
        services.relazione_transition(
            relazione_id=pk,
            name=step_name,
            by=request.user,
            lock_version=lock_version,
            input=step.input_from(form.cleaned_data),
        )
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except Relazione.DoesNotExist as exc:
        raise Http404 from exc
    except (errors.ConditionsUnmet, errors.InvalidInput) as exc:
        refusal = {"message": CONDITIONS_UNMET.format(label=step.label, message=exc.message)}
        return _render(
            request,
            relazione.plan,
            version=relazione.version,
            bound=bound,
            refusal=refusal,
            status=getattr(exc, "status", 400),
        )
    except errors.WorkflowError as exc:  # changed meanwhile, no longer in a state that allows it
        messages.error(request, exc.message)
        return _back(relazione)
    messages.success(request, STEP_DONE[step_name])
    return _back(relazione)


@login_required
@require_GET
def relazione_preview(request, pk: int):
    """The PDF/A as it would be adopted now (drafting only; afterwards the adopted file is the one)."""
    relazione = _relazione(request, pk)
    if relazione.state != RelazioneState.DRAFTING:
        raise Http404("L'anteprima esiste solo in redazione: scarica il documento adottato.")
    try:
        data = relazione_data.relazione_data(
            relazione.plan,
            version=relazione.version,
            presentation=relazione.presentation,
            context=relazione.context,
            generated_at=timezone.now(),
        )
    except ValueError as exc:  # no final period: the page offers no preview then, only a typed URL gets here
        raise Http404(str(exc)) from exc
    rendered = relazione_pdf.render(data)
    name = rendered.filename.removesuffix(".pdf") + "-anteprima.pdf"
    return FileResponse(
        iter([rendered.content]), as_attachment=True, filename=name, content_type="application/pdf"
    )


@login_required
@require_GET
def relazione_file(request, pk: int, file_pk: int):
    """One of the files the Relazione's steps left: an adopted document, an act, a validation document."""
    relazione = _relazione(request, pk)
    ids = set()
    for adoption in relazione.adoptions.select_related("validation"):
        ids |= {adoption.document_id, adoption.act_file_id}
        validation = getattr(adoption, "validation", None)
        if validation is not None:
            ids.add(validation.document_id)
    if file_pk not in ids:
        raise Http404("Documento non trovato.")
    stored = StoredFile.objects.get(pk=file_pk)
    return FileResponse(
        iter([bytes(stored.content)]),
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )
