"""The year's plan: its strategic objectives with their linked objectives, and creating both."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from approvals.selectors.public import has_publications
from audit import selectors as audit_selectors
from flows import errors
from flows.services.plans import (
    DEADLINE_FORBIDDEN,
    PLAN_FORBIDDEN,
    plan_create,
    plan_deadline_set,
    strategic_objective_create,
)
from workflow import access, selectors
from workflow.forms import PlanDeadlineForm, PlanForm, StrategicObjectiveForm
from workflow.middleware import require_body


def _plan(request, year: int):
    plan = selectors.plans_of(require_body(request)).filter(year=year).first()
    if plan is None:
        raise Http404("Piano non trovato.")
    return plan


@login_required
def plan_create_view(request):
    body = require_body(request)
    if not access.is_segreteria(request.user, body):
        raise PermissionDenied(PLAN_FORBIDDEN)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = plan_create(
                by=request.user,
                body=body,
                year=data["year"],
                triennium=data["triennium"],
                deadline=data["deadline"],
            )
        except errors.WorkflowError as exc:
            form.add_error("year", exc.message)
        else:
            messages.success(request, f"Creato il {plan}. Ora aggiungi gli obiettivi strategici.")
            return redirect("workflow:plan_detail", year=plan.year)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "workflow/plan_create.html", {"nav": "plan", "form": form}, status=status)


@login_required
def plan_detail(request, year: int):
    plan = _plan(request, year)
    can_manage = access.is_segreteria(request.user, plan.body)
    form = StrategicObjectiveForm(request.POST or None, plan=plan) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(PLAN_FORBIDDEN)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = strategic_objective_create(
                    by=request.user,
                    plan=plan,
                    code=data["code"],
                    title=data["title"],
                    purposes=data["purposes"],
                )
            except errors.WorkflowError as exc:
                form.add_error("code", exc.message)
            else:
                messages.success(request, f"Obiettivo strategico {created.code} aggiunto.")
                return redirect("workflow:plan_detail", year=plan.year)
    return _plan_page(request, plan, form=form, can_manage=can_manage)


def _plan_page(request, plan, *, form, can_manage, deadline_form=None):
    visible = selectors.objectives_visible_to(request.user, plan.body).filter(plan=plan).order_by("code")
    strategic = plan.strategic_objectives.prefetch_related(Prefetch("objectives", queryset=visible))
    rows = [(s, list(s.objectives.all())) for s in strategic]
    status = 400 if any(f is not None and f.is_bound and f.errors for f in (form, deadline_form)) else 200
    return render(
        request,
        "workflow/plan_detail.html",
        {
            "nav": "plan",
            "plan": plan,
            "rows": rows,
            "form": form,
            "deadline_form": deadline_form
            or (PlanDeadlineForm(initial={"deadline": plan.deadline}) if can_manage else None),
            "can_manage": can_manage,
            "can_see_history": audit_selectors.may_read_history(request.user, plan.body),
            "public_url": reverse("trasparenza:year", args=[plan.body.ipa_code, plan.year])
            if has_publications(plan)
            else "",
            "plans": list(selectors.plans_of(plan.body)),
        },
        status=status,
    )


@login_required
@require_POST
def plan_deadline(request, year: int):
    """The Segreteria moves the plan's adoption deadline (31 January unless set)."""
    plan = _plan(request, year)
    if not access.is_segreteria(request.user, plan.body):
        raise PermissionDenied(DEADLINE_FORBIDDEN)
    form = PlanDeadlineForm(request.POST)
    if form.is_valid():
        try:
            plan = plan_deadline_set(by=request.user, plan_id=plan.pk, deadline=form.cleaned_data["deadline"])
        except errors.Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        messages.success(
            request, f"Scadenza di adozione del piano {plan.year}: {plan.adoption_deadline:%d/%m/%Y}."
        )
        return redirect("workflow:plan_detail", year=plan.year)
    return _plan_page(
        request, plan, form=StrategicObjectiveForm(plan=plan), can_manage=True, deadline_form=form
    )
