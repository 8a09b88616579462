"""Applying transitions from the objective page and in batches."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from approvals.selectors.steps import awaiting_signature_of
from flows import errors
from flows.services.operations import operation_start
from flows.services.transitions import objective_transition, objectives_batch_transition
from flows.steps.objective import OBJECTIVE
from notifications.selectors import operations_running
from workflow import access, selectors
from workflow.middleware import require_body
from workflow.models import Objective, Role, SignatureMode, State, Transition

from .pages import action_auto_id, current_plan, detail_context

INCOMPLETE = "Richiesta incompleta: ricarica la pagina e riprova."
SIGNERS_ONLY = "La firma di più obiettivi è riservata ai dirigenti e al Segretario Generale."
SIGN_BY_UPLOAD = (
    "Questo ente firma con la firma digitale qualificata: si firma caricando il documento firmato dalla "
    "pagina di un obiettivo, e un solo caricamento firma tutti gli obiettivi dello stesso documento che "
    "attendono la tua firma."
)


def _selected_versions(request, selected: set[str]) -> dict[int, int] | None:
    """The lock version the page showed for each selected objective (``v_<id>``), or None when the post
    is not one the page sent: an id that is not a number, a version missing. No stale check without it."""
    ids = [int(i) for i in selected if i.isdecimal()]  # isdigit() also takes "²", which int() refuses
    versions = {i: int(request.POST[f"v_{i}"]) for i in ids if request.POST.get(f"v_{i}", "").isdecimal()}
    if len(versions) != len(ids) or len(ids) != len(selected):
        return None
    return versions


def _apply_to_selected(request, step, form, selected: set[str], *, done: str, back: str, body=None):
    """Apply ``step`` with the valid ``form``'s input to the selected objectives, all or none. When it went
    through, the redirect to ``back`` (with the success message set); else the status of the page that
    shows why not. A step that runs in the background (``in_background``) and expects to go through is
    queued instead: the redirect is then to the operation's page, which comes back to ``back``."""
    versions = _selected_versions(request, selected)
    if versions is None:
        messages.error(request, INCOMPLETE)
        return 400
    try:
        if step.in_background:
            started = operation_start(
                by=request.user,
                body=body,
                step=step,
                ids=list(versions),
                input=step.input_from(form.cleaned_data),
                lock_versions=versions,
                return_url=back,
            )
            if started is not None:
                return redirect("notifications:operation", pk=started.pk)
        moved = objectives_batch_transition(
            objective_ids=list(versions),
            name=step.name,
            by=request.user,
            input=step.input_from(form.cleaned_data),
            lock_versions=versions,
        )
    except errors.WorkflowError as exc:
        messages.error(request, exc.message)
        return 409 if isinstance(exc, errors.BatchBlocked) else 400
    codes = ", ".join(o.code for o in moved)
    count = ngettext("%(n)d obiettivo", "%(n)d obiettivi", len(moved)) % {"n": len(moved)}
    messages.success(request, f"{done} {count} ({codes}).")
    return redirect(back)


def _lock_version(request):
    try:
        return int(request.POST.get("lock_version", ""))
    except ValueError:
        return None


@login_required
@require_POST
def objective_transition_view(request, pk: int, name: str):
    if name not in OBJECTIVE.steps:
        raise Http404
    step = OBJECTIVE.steps[name]
    try:
        objective = selectors.objective_get(request.user, pk)
    except Objective.DoesNotExist as exc:
        raise Http404 from exc
    lock_version = _lock_version(request)
    if lock_version is None:
        messages.error(request, INCOMPLETE)
        return redirect("workflow:objective_detail", pk=pk)
    form = step.bound_form(
        request.POST, request.FILES, body=objective.plan.body, auto_id=action_auto_id(name)
    )
    if not form.is_valid():
        context = detail_context(request, objective, open_action=name, bound_form=form)
        if not any(a["name"] == name for a in context["actions"]):
            raise PermissionDenied(errors.FORBIDDEN.format(action=step.label))
        return render(request, "workflow/objective_detail.html", context, status=400)
    try:
        moved = objective_transition(
            objective_id=pk,
            name=name,
            by=request.user,
            lock_version=lock_version,
            input=step.input_from(form.cleaned_data),
        )
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except Objective.DoesNotExist as exc:
        raise Http404 from exc
    except errors.WorkflowError as exc:
        field = getattr(exc, "field", None)  # a refusal about one field (an uploaded file): shown next to it
        if field and field in form.fields:
            form.add_error(field, exc.message)
            context = detail_context(request, objective, open_action=name, bound_form=form)
            return render(request, "workflow/objective_detail.html", context, status=400)
        messages.error(request, exc.message)
        return redirect("workflow:objective_detail", pk=pk)
    messages.success(request, f"{step.label}: fatto. Stato attuale: {moved.get_state_display()}.")
    return redirect("workflow:objective_detail", pk=pk)


def _batch_transitions_from(state: str) -> list[str]:
    """The steps the Segreteria may apply to many objectives at once that leave ``state``."""
    return [step.name for step in OBJECTIVE if step.in_batch and state in OBJECTIVE.sources(step.name)]


@login_required
def batch(request):
    body = require_body(request)
    if not access.is_segreteria(request.user, body):
        raise PermissionDenied("Le operazioni multiple sono riservate alla Segreteria Generale.")
    plan, plans = current_plan(request)
    source = request.GET.get("stato") or request.POST.get("stato") or State.SUBMITTED
    if source not in State.values or source in (State.PUBLISHED, State.WITHDRAWN):
        source = State.SUBMITTED
    names = _batch_transitions_from(source)
    requested = request.POST.get("azione") or request.GET.get("azione") or ""
    name = requested if requested in names else (names[0] if names else "")
    # A POST applies the action it names or none: never the page's default in place of an unknown one.
    refused = request.method == "POST" and requested != name
    objectives = selectors.objective_list(request.user, body, plan=plan, state=source)
    bound = request.method == "POST" and not refused
    step = OBJECTIVE.steps[name] if name else None
    form = (
        step.bound_form(request.POST if bound else None, request.FILES or None, body=body) if step else None
    )
    selected = set(request.POST.getlist("obiettivi"))
    status = 200
    if refused:
        messages.error(
            request,
            "L'azione richiesta non è possibile per gli obiettivi in questo stato: "
            "nessun obiettivo è stato modificato.",
        )
        status = 400
    elif request.method == "POST" and form is not None:
        if form.is_valid():
            outcome = _apply_to_selected(
                request,
                step,
                form,
                selected,
                done=f"{step.label}: fatto per",
                back=f"{request.path}?stato={source}&azione={name}",
                body=body,
            )
            if not isinstance(outcome, int):
                return outcome
            status = outcome
        else:
            status = 400
    return render(
        request,
        "workflow/batch.html",
        {
            "nav": "batch",
            "plan": plan,
            "plans": plans,
            "source": source,
            "states": [
                s for s in State if s not in (State.PUBLISHED, State.WITHDRAWN) and _batch_transitions_from(s)
            ],
            "names": [(n, OBJECTIVE.label(n)) for n in names],
            "name": name,
            "form": form,
            "objectives": objectives,
            "selected": selected,
            "running": operations_running(request.user, body),
        },
        status=status,
    )


@login_required
def sign_many(request):
    """The objectives waiting for the person's signature, signed together with one confirmation (bodies
    that approve by login): all of them or none, like the Segreteria's batches."""
    body = require_body(request)
    if not access.roles_in(request.user, body) & {Role.DIRIGENTE, Role.SEGRETARIO}:
        raise PermissionDenied(SIGNERS_ONLY)
    plan, plans = current_plan(request)
    visible = selectors.objectives_visible_to(request.user, body).select_related("plan", "responsible")
    if plan:
        visible = visible.filter(plan=plan)
    waiting = awaiting_signature_of(request.user, visible)
    step = OBJECTIVE.step(Transition.SIGN)
    by_login = body.signature_mode == SignatureMode.LOGIN
    data = request.POST if request.method == "POST" else None
    form = step.bound_form(data, body=body) if by_login else None
    posted = request.method == "POST"
    selected = set(request.POST.getlist("obiettivi")) if posted else {str(o.pk) for o in waiting}
    status = 200
    if posted:
        if form is None:
            messages.error(request, SIGN_BY_UPLOAD)
            status = 400
        elif not form.is_valid():
            status = 400
        else:
            outcome = _apply_to_selected(
                request, step, form, selected, done="Firma registrata per", back=request.get_full_path()
            )
            if not isinstance(outcome, int):
                return outcome
            status = outcome
    return render(
        request,
        "workflow/sign_many.html",
        {
            "nav": "dashboard",
            "plan": plan,
            "plans": plans,
            "objectives": waiting,
            "form": form,
            "selected": selected,
            "sign_by_upload": SIGN_BY_UPLOAD,
        },
        status=status,
    )
