"""Applying transitions from the objective page and in batches."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from flows import errors
from flows.services.transitions import objective_transition, objectives_batch_transition
from flows.steps.objective import OBJECTIVE
from workflow import access, selectors
from workflow.middleware import require_body
from workflow.models import Objective, State

from .pages import action_auto_id, current_plan, detail_context


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
        messages.error(request, "Richiesta incompleta: ricarica la pagina e riprova.")
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
            ids = [int(i) for i in selected if i.isdecimal()]  # isdigit() also takes "²", which int() refuses
            # The page sends the lock version it showed for each objective: without it no stale check.
            versions = {
                i: int(request.POST[f"v_{i}"]) for i in ids if request.POST.get(f"v_{i}", "").isdecimal()
            }
            if len(versions) != len(ids) or len(ids) != len(selected):
                messages.error(request, "Richiesta incompleta: ricarica la pagina e riprova.")
                status = 400
            else:
                try:
                    moved = objectives_batch_transition(
                        objective_ids=ids,
                        name=name,
                        by=request.user,
                        input=step.input_from(form.cleaned_data),
                        lock_versions=versions,
                    )
                except errors.WorkflowError as exc:
                    messages.error(request, exc.message)
                    status = 409 if isinstance(exc, errors.BatchBlocked) else 400
                else:
                    codes = ", ".join(o.code for o in moved)
                    done = ngettext("%(n)d obiettivo", "%(n)d obiettivi", len(moved)) % {"n": len(moved)}
                    messages.success(request, f"{step.label}: fatto per {done} ({codes}).")
                    return redirect(f"{request.path}?stato={source}&azione={name}")
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
        },
        status=status,
    )
