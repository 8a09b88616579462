"""An objective's versions and the diff of any two, restoring a version of a draft, the plan as of a
moment. Views parse input, call one selector or flows service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from approvals.models import AdoptionAct
from flows import errors
from flows.services.versions import (
    NOTHING_TO_RESTORE,
    RESTORE_FORBIDDEN,
    RESTORE_NOT_DRAFT,
    may_restore,
    objective_restore,
)
from workflow import selectors as workflow_selectors
from workflow.middleware import require_body
from workflow.models import Objective, State

from .. import selectors, versions
from ..forms import AsOfForm, CompareForm, RestoreForm


# -- versions and diffs -----------------------------------------------------------------------------------
def _objective(request, pk) -> Objective:
    try:
        objective = workflow_selectors.objective_get(request.user, pk)
    except Objective.DoesNotExist as exc:
        raise Http404 from exc
    if not selectors.may_read_history(request.user, objective.plan.body_id):
        raise PermissionDenied(selectors.HISTORY_FORBIDDEN)
    return objective


def _can_restore(user, objective) -> bool:
    return objective.state == State.DRAFTING and may_restore(user, objective)


@login_required
def objective_versions(request, pk: int):
    objective = _objective(request, pk)
    all_versions = versions.objective_versions(objective.pk)
    latest = all_versions[-1] if all_versions else None
    previous = all_versions[-2] if len(all_versions) > 1 else None
    form = CompareForm(
        versions=list(reversed(all_versions)),
        initial={"da": previous.history_id if previous else None, "a": latest.history_id if latest else None},
    )
    return render(
        request,
        "audit/versions.html",
        {
            "nav": "objectives",
            "objective": objective,
            "versions": all_versions,
            "rows": [
                (v, all_versions[i - 1] if i else None) for i, v in reversed(list(enumerate(all_versions)))
            ],
            "latest": latest,
            "form": form,
            "can_restore": _can_restore(request.user, objective),
            "history_types": versions.HISTORY_TYPES,
        },
    )


@login_required
def objective_diff(request, pk: int):
    objective = _objective(request, pk)
    all_versions = versions.objective_versions(objective.pk)
    # Always bound: a visit without the two versions is answered like a choice left empty.
    form = CompareForm(request.GET, versions=list(reversed(all_versions)))
    diff = None
    if form.is_valid():
        diff = versions.objective_diff(objective.pk, form.cleaned_data["da"], form.cleaned_data["a"])
    elif not request.GET:
        form.add_error(None, "Scegli le due versioni da confrontare.")
    return render(
        request,
        "audit/diff.html",
        {"nav": "objectives", "objective": objective, "form": form, "diff": diff},
        status=200 if diff is not None else 400,
    )


@login_required
def objective_restore_view(request, pk: int, history_id: int):
    objective = _objective(request, pk)
    if not may_restore(request.user, objective):
        raise PermissionDenied(RESTORE_FORBIDDEN)
    all_versions = versions.objective_versions(objective.pk)
    target = next((v for v in all_versions if v.history_id == history_id), None)
    if target is None:
        raise Http404("Versione non trovata.")
    if objective.state != State.DRAFTING:
        raise PermissionDenied(RESTORE_NOT_DRAFT)
    form = RestoreForm(request.POST or None, initial={"lock_version": objective.lock_version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                objective_restore(
                    objective_id=objective.pk,
                    by=request.user,
                    history_id=history_id,
                    lock_version=form.cleaned_data["lock_version"],
                    reason=form.cleaned_data["reason"],
                )
            except errors.Forbidden as exc:
                raise PermissionDenied(exc.message) from exc
            except Objective.DoesNotExist as exc:
                raise Http404 from exc
            except errors.WorkflowError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(
                    request, f"Ripristinata la versione {target.number}: è ora la versione attuale."
                )
                return redirect("audit:versions", pk=objective.pk)
        else:
            status = 400
    diff = versions.restore_preview(objective.pk, target.history_id)
    return render(
        request,
        "audit/restore.html",
        {
            "nav": "objectives",
            "objective": objective,
            "target": target,
            "form": form,
            "diff": diff,
            "nothing_to_restore": NOTHING_TO_RESTORE if diff.empty else "",
        },
        status=status,
    )


# -- the plan as of a date --------------------------------------------------------------------------------
@login_required
def plan_as_of(request, year: int):
    body = require_body(request)
    plan = workflow_selectors.plans_of(body).filter(year=year).first()
    if plan is None:
        raise Http404("Piano non trovato.")
    if not selectors.may_read_history(request.user, body):
        raise PermissionDenied(selectors.HISTORY_FORBIDDEN)
    today = timezone.localdate()
    form = AsOfForm(request.GET or None, initial={"data": today})
    moment = timezone.now()
    status = 200
    objectives = None
    if form.is_bound:
        if form.is_valid():
            moment = form.moment()
            objectives = versions.plan_as_of(plan, moment)
        else:
            status = 400
    else:
        objectives = versions.plan_as_of(plan, moment)
    acts = AdoptionAct.objects.filter(body=body, objectives__plan=plan).distinct().order_by("date", "pk")
    return render(
        request,
        "audit/plan_as_of.html",
        {
            "nav": "plan",
            "plan": plan,
            "form": form,
            "moment": moment,
            "objectives": objectives,
            "acts": list(acts),
            "future": moment > timezone.now() + dt.timedelta(minutes=1),
        },
        status=status,
    )
