"""Reading pages: the dashboard, the objectives list, one objective."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from workflow import access, selectors
from workflow.forms import ObjectiveFilterForm
from workflow.middleware import SESSION_KEY, require_body
from workflow.models import Objective, Role

from . import page_models
from .page_models import action_auto_id, public_address

# What the other views import from here: the ids of the action forms, the plan shown, the objective page.
__all__ = ["action_auto_id", "current_plan", "detail_context", "public_address"]

PAGE_SIZE = 25


def current_plan(request):
    """The plan shown: ?piano=<year> among the current body's plans, else the latest. The plans are read
    once per request (``request.ente_plans``: the header's link to the latest one reads them too), each
    with the current body already in place (``{{ plan }}`` names it)."""
    plans = getattr(request, "ente_plans", None)
    if plans is None:
        plans = list(selectors.plans_of(request.ente)) if request.ente is not None else []
        for plan in plans:
            plan.body = request.ente
        request.ente_plans = plans
    wanted = request.GET.get("piano")
    for plan in plans:
        if wanted and str(plan.year) == wanted:
            return plan, plans
    return (plans[0] if plans else None), plans


@login_required
def dashboard(request):
    if request.ente is None:
        return render(request, "workflow/no_body.html", {"nav": "dashboard"})
    plan, plans = current_plan(request)
    page = page_models.dashboard(request.user, request.ente, plan, plans)
    return render(request, "workflow/dashboard.html", page.context())


@login_required
def objective_list(request):
    body = require_body(request)
    plan, plans = current_plan(request)
    user = request.user
    visible = selectors.objectives_visible_to(user, body)
    strategic_choices = [
        (str(s.pk), f"{s.code} – {s.title[:60]}") for s in (plan.strategic_objectives.all() if plan else [])
    ]
    center_choices = [(c, c) for c in selectors.responsibility_centers(user, body)]
    responsible_choices = [
        (str(u.pk), u.get_full_name() or u.username) for u in selectors.users_with_role(body, Role.DIRIGENTE)
    ]
    form = ObjectiveFilterForm(
        request.GET or None,
        strategic_choices=strategic_choices,
        center_choices=center_choices,
        responsible_choices=responsible_choices,
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.objective_list(
        user,
        body,
        plan=plan,
        state=filters.get("state"),
        strategic=filters.get("strategic"),
        center=filters.get("center"),
        responsible=filters.get("responsible"),
        text=filters.get("q"),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "workflow/objective_list.html",
        {
            "nav": "objectives",
            "plan": plan,
            "plans": plans,
            "form": form,
            "page": page,
            "total": visible.filter(plan=plan).count() if plan else 0,
            "query": query.urlencode(),
            "can_create": plan is not None and access.can_create_in(user, body),
        },
    )


def detail_context(request, objective: Objective, *, open_action: str | None = None, bound_form=None) -> dict:
    """The objective page's context (``page_models.objective_page``), with ``open_action``'s panel open on
    ``bound_form`` after a refused submission."""
    page = page_models.objective_page(request.user, objective, open_action=open_action, bound_form=bound_form)
    return page.context()


@login_required
def objective_detail(request, pk: int):
    try:
        objective = selectors.objective_get(request.user, pk)
    except Objective.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "workflow/objective_detail.html", detail_context(request, objective))


@login_required
@require_POST
def switch_body(request):
    bodies = {str(b.pk): b for b in request.enti}
    body = bodies.get(request.POST.get("body", ""))
    if body is None:
        messages.error(request, "Non hai ruoli nell'ente scelto.")
    else:
        request.session[SESSION_KEY] = body.pk
        messages.info(request, f"Ente corrente: {body.name}.")
    return redirect("workflow:dashboard")
