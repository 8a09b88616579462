"""Reading pages: the dashboard, the objectives list, one objective."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from approvals.selectors import deadlines as deadline_selectors
from approvals.selectors import missing_signatures, signer_capacities, timeline, valid_signatures
from approvals.selectors.consultation import consultation_panel, sees_internal
from approvals.selectors.signatures import signature_panel
from approvals.selectors.steps import returned_drafts
from approvals.selectors.transmission import transmission_panel
from audit import selectors as audit_selectors
from flows.forms import transition_form
from flows.objective_flow import available_transitions, information_period_end, transition_label
from workflow import access, selectors
from workflow.forms import DelegateForm, ObjectiveFilterForm, ResponsibleForm
from workflow.middleware import SESSION_KEY, require_body
from workflow.models import Objective, Role, State

PAGE_SIZE = 25


def current_plan(request):
    """The plan shown: ?piano=<year> among the current body's plans, else the latest."""
    plans = list(selectors.plans_of(request.ente)) if request.ente is not None else []
    wanted = request.GET.get("piano")
    for plan in plans:
        if wanted and str(plan.year) == wanted:
            return plan, plans
    return (plans[0] if plans else None), plans


@login_required
def dashboard(request):
    if request.ente is None:
        return render(request, "workflow/no_body.html", {"nav": "dashboard"})
    body = request.ente
    user = request.user
    plan, plans = current_plan(request)
    visible = selectors.objectives_visible_to(user, body).select_related("plan", "responsible")
    if plan:
        visible = visible.filter(plan=plan)
    roles = access.roles_in(user, body)
    sections = []
    editable = [o for o in visible.filter(state=State.DRAFTING) if access.can_edit(user, o)]
    if Role.DIRIGENTE in roles or Role.FUNZIONARIO in roles:
        returns = returned_drafts(editable)
        for objective in editable:
            objective.returned = returns.get(objective.pk)  # shown only, never saved
        editable.sort(key=lambda o: o.returned is None)  # the drafts sent back first
        sections.append(("Le mie bozze", "Bozze che puoi modificare e inviare.", editable))
    if roles & access.SEGRETERIA_ROLES:
        sections.append(
            (
                "In attesa della mia revisione",
                "Inviati alla Segreteria Generale.",
                list(visible.filter(state=State.SUBMITTED)),
            )
        )
        sections.append(
            (
                "In consultazione sindacale",
                "Da chiudere al termine del periodo di informazione.",
                list(visible.filter(state=State.UNION_CONSULTATION)),
            )
        )
        sections.append(
            (
                "Da completare",
                "Adozione, trasmissione e pubblicazione.",
                list(visible.filter(state__in=[State.DELIBERATION, State.TRANSMISSION, State.PUBLICATION])),
            )
        )
    to_sign = [
        o for o in visible.filter(state=State.SIGNATURE) if signer_capacities(o, user) & missing_signatures(o)
    ]
    if to_sign or Role.DIRIGENTE in roles or Role.SEGRETARIO in roles:
        sections.append(("In attesa della mia firma", "Obiettivi che attendono la tua firma.", to_sign))
    if Role.SINDACATO in roles:
        sections.append(
            (
                "In consultazione sindacale",
                "Obiettivi su cui le organizzazioni sindacali sono informate.",
                list(visible.filter(state=State.UNION_CONSULTATION)),
            )
        )
    counts = selectors.state_counts(user, body, plan)
    return render(
        request,
        "workflow/dashboard.html",
        {
            "nav": "dashboard",
            "plan": plan,
            "plans": plans,
            "sections": sections,
            "deadlines": deadline_selectors.deadlines_for(user, plan, timezone.now()),
            "counts": [(State(code), n) for code, n in counts.items()],
            "counts_link": not selectors.counts_whole_body(user, body),
            "can_create": plan is not None and access.can_create_in(user, body),
        },
    )


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


def action_auto_id(name: str) -> str:
    """The ids of one action's form fields on the objective page (``id_approve-comment``)."""
    return f"id_{name}-%s"


def detail_context(request, objective: Objective, *, open_action: str | None = None, bound_form=None) -> dict:
    user = request.user
    names = available_transitions(objective, user)
    actions = []
    for name in names:
        # One page holds a form per action, most with a "comment" field: ids carry the action's name.
        form = (
            bound_form
            if name == open_action and bound_form is not None
            else transition_form(
                name,
                body=objective.plan.body,
                auto_id=action_auto_id(name),
                initial=_initial(name, objective),
            )
        )
        actions.append(
            {"name": name, "label": transition_label(name), "form": form, "open": name == open_action}
        )
    body = objective.plan.body
    internal = sees_internal(user, body.pk)
    delegates = selectors.delegates_of(objective)
    can_delegate = access.can_delegate(user, objective)
    funzionari = selectors.users_with_role(body, Role.FUNZIONARIO).exclude(pk__in=[u.pk for u in delegates])
    consultation_until = (
        information_period_end(objective) if objective.state == State.UNION_CONSULTATION else None
    )
    return {
        "nav": "objectives",
        "objective": objective,
        "phases": list(objective.phases.all()),
        "indicators": list(objective.indicators.all()),
        "dup_links": list(objective.dup_links.all()),
        "actions": actions,
        # A union representative reads no internal comment: no step comments, no history of saves.
        "steps": [_labelled(step, internal=internal) for step in timeline(objective)],
        "history": list(objective.history.select_related("history_user").order_by("-history_date")[:50])
        if internal
        else [],
        "sees_internal": internal,
        "returned": returned_drafts([objective]).get(objective.pk) if internal else None,
        "consultation": consultation_panel(user, objective),
        "signature_document": signature_panel(user, objective),
        "signatures": list(valid_signatures(objective))
        if objective.state in (State.SIGNATURE, State.DELIBERATION)
        else [],
        "missing_signatures": sorted(missing_signatures(objective))
        if objective.state == State.SIGNATURE
        else [],
        "can_edit": access.can_edit(user, objective),
        "can_delegate": can_delegate,
        "delegates": delegates,
        "delegate_form": DelegateForm(funzionari=funzionari) if can_delegate else None,
        "responsible_form": (
            ResponsibleForm(
                dirigenti=selectors.users_with_role(body, Role.DIRIGENTE),
                initial={"lock_version": objective.lock_version},
            )
            if objective.state == State.DRAFTING and access.is_segreteria(user, body)
            else None
        ),
        "consultation_until": consultation_until,
        "acts": list(objective.adoption_acts.all()),
        "publications": list(objective.published_revisions.all()),
        "public_url": public_address(objective) if objective.published_revisions.exists() else "",
        "can_see_versions": audit_selectors.may_read_history(user, objective.plan.body_id),
        "transmission_panel": transmission_panel(objective, user),
    }


def public_address(objective: Objective) -> str:
    """The address of the objective's public page on this site (SITE_URL, never the request's Host)."""
    plan = objective.plan
    path = reverse("trasparenza:objective", args=[plan.body.ipa_code, plan.year, objective.code])
    return settings.SITE_URL.rstrip("/") + path


def _initial(name: str, objective: Objective) -> dict:
    """What an action's form proposes: publication on this site's public page of the objective, today."""
    if name == "publish":
        return {"url": public_address(objective), "published_on": timezone.localdate()}
    return {}


def _labelled(step, *, internal=True):
    step.label = transition_label(step.transition)
    if not internal:
        step.comment = ""  # shown only, never saved
    return step


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
