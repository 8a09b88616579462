"""Writing the content of drafts: create, edit with phases and indicators, responsible, delegations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from flows import errors
from flows.services.content import (
    objective_assign_responsible,
    objective_create,
    objective_delegate,
    objective_revoke_delegation,
    objective_update,
)
from workflow import access, selectors
from workflow.forms import (
    DelegateForm,
    IndicatorFormSet,
    ObjectiveContentForm,
    ObjectiveCreateForm,
    PhaseFormSet,
    ResponsibleForm,
    formset_rows,
)
from workflow.middleware import require_body
from workflow.models import Objective, Role

from .pages import current_plan


def _visible(request, pk) -> Objective:
    try:
        return selectors.objective_get(request.user, pk)
    except Objective.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def objective_create_view(request):
    body = require_body(request)
    plan, _plans = current_plan(request)
    if plan is None:
        raise Http404("Nessun piano disponibile.")
    if not access.can_create_in(request.user, body):
        raise PermissionDenied(errors.CREATE_FORBIDDEN)
    choose = bool(access.roles_in(request.user, body) & access.SEGRETERIA_ROLES)
    dirigenti = selectors.users_with_role(body, Role.DIRIGENTE)
    form = ObjectiveCreateForm(
        request.POST or None, plan=plan, dirigenti=dirigenti, choose_responsible=choose
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            objective = objective_create(
                by=request.user,
                plan=plan,
                code=data["code"],
                title=data["title"],
                responsible=data.get("responsible"),
                fields={"strategic_objective": data["strategic_objective"], "kind": data["kind"]},
            )
        except errors.Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except errors.WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Bozza {objective.code} creata: completa fasi e indicatori.")
            return redirect("workflow:objective_edit", pk=objective.pk)
    return render(
        request,
        "workflow/objective_create.html",
        {"nav": "objectives", "form": form, "plan": plan},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
def objective_edit(request, pk: int):
    objective = _visible(request, pk)
    if not access.can_edit(request.user, objective):
        raise PermissionDenied(errors.NOT_EDITABLE)
    post = request.POST if request.method == "POST" else None
    form = ObjectiveContentForm(
        post, instance=objective, plan=objective.plan, initial={"lock_version": objective.lock_version}
    )
    phases = PhaseFormSet(post, instance=objective, prefix="fasi")
    indicators = IndicatorFormSet(post, instance=objective, prefix="indicatori")
    status = 200
    if post is not None:
        if form.is_valid() and phases.is_valid() and indicators.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k not in ("lock_version", "note")}
            try:
                objective_update(
                    objective_id=objective.pk,
                    by=request.user,
                    lock_version=form.cleaned_data["lock_version"],
                    fields=fields,
                    phases=formset_rows(phases),
                    indicators=formset_rows(indicators),
                    note=form.cleaned_data["note"],
                )
            except errors.Forbidden as exc:
                raise PermissionDenied(exc.message) from exc
            except (errors.WorkflowError, Objective.DoesNotExist) as exc:
                form.add_error(None, getattr(exc, "message", errors.NOT_FOUND))
                status = getattr(exc, "status", 409)  # 409 changed meanwhile, 400 bad input
            else:
                messages.success(request, "Modifiche salvate.")
                return redirect("workflow:objective_detail", pk=objective.pk)
        else:
            status = 400
    return render(
        request,
        "workflow/objective_edit.html",
        {
            "nav": "objectives",
            "objective": objective,
            "form": form,
            "phases": phases,
            "indicators": indicators,
        },
        status=status,
    )


@login_required
@require_POST
def objective_delegation(request, pk: int, action: str):
    if action not in ("concedi", "revoca"):
        raise Http404
    objective = _visible(request, pk)
    body = objective.plan.body
    funzionari = selectors.users_with_role(body, Role.FUNZIONARIO)
    form = DelegateForm(request.POST, funzionari=funzionari)
    if not form.is_valid():
        if not access.can_delegate(request.user, objective):
            raise PermissionDenied(errors.DELEGATE_FORBIDDEN)
        messages.error(request, " ".join(m for msgs in form.errors.values() for m in msgs))
        return redirect("workflow:objective_detail", pk=objective.pk)
    service = objective_delegate if action == "concedi" else objective_revoke_delegation
    try:
        service(objective_id=objective.pk, by=request.user, delegate=form.cleaned_data["delegate"])
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except errors.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        who = form.cleaned_data["delegate"].get_full_name() or form.cleaned_data["delegate"].username
        messages.success(
            request, f"Delega concessa a {who}." if action == "concedi" else f"Delega revocata a {who}."
        )
    return redirect("workflow:objective_detail", pk=objective.pk)


@login_required
@require_POST
def objective_responsible(request, pk: int):
    objective = _visible(request, pk)
    body = objective.plan.body
    if not access.is_segreteria(request.user, body):
        raise PermissionDenied("Solo la Segreteria può cambiare il responsabile.")
    form = ResponsibleForm(request.POST, dirigenti=selectors.users_with_role(body, Role.DIRIGENTE))
    if not form.is_valid():
        messages.error(request, "Scegli un dirigente dell'ente.")
        return redirect("workflow:objective_detail", pk=objective.pk)
    try:
        objective_assign_responsible(
            objective_id=objective.pk,
            by=request.user,
            responsible=form.cleaned_data["responsible"],
            lock_version=form.cleaned_data["lock_version"],
        )
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except errors.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Responsabile aggiornato.")
    return redirect("workflow:objective_detail", pk=objective.pk)
