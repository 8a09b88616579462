"""The board of one period (counts by state, overdue reports first, the batch "check") and the NIV/OIV's
validation queue. Each view reads through the permission-filtered selectors and writes through
flows.services.monitoring; every score shows how it was computed (workflow.scores, workflow.achievement)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from flows import errors
from flows.services import monitoring
from flows.steps.report import REPORT
from workflow import access, selectors
from workflow.middleware import require_body
from workflow.models import ReportState, ReportTransition, Role
from workflow.monitoring_board_forms import (
    BoardFilterForm,
)
from workflow.scores import period_scores, rules_of

from ..actions import INCOMPLETE, _selected_versions
from ..pages import current_plan
from .common import (
    BOARD_FORBIDDEN,
    NAV,
    OPEN_STATES,
    PAGE_SIZE,
    QUEUE_ONLY,
    RECENT_SIZE,
    SELECT_ONE,
    Row,
    _person,
    _plan,
    _readers_only,
    shown_score,
)

# -- the board of one period --------------------------------------------------------------------------


@login_required
def board(request, year: int, period_pk: int):
    body = require_body(request)
    plan = _plan(body, year)
    period = selectors.periods_of(plan).filter(pk=period_pk).first()
    if period is None:
        raise Http404("Periodo non trovato.")
    _readers_only(request, body)
    can_check = access.is_segreteria(request.user, body)
    if request.method == "POST" and not can_check:
        raise PermissionDenied(BOARD_FORBIDDEN)
    step = REPORT.step(ReportTransition.CHECK)
    posted = request.method == "POST"
    form = step.bound_form(request.POST if posted else None, body=body) if can_check else None
    selected = set(request.POST.getlist("rendicontazioni")) if posted else set()
    status = 200
    if posted:
        status = _check_selected(request, step, form, selected)
        if status is None:
            return redirect(request.get_full_path())
    return render(
        request,
        "workflow/monitoring/board.html",
        _board_context(request, body, plan, period, form=form, selected=selected, can_check=can_check),
        status=status,
    )


def _check_selected(request, step, form, selected: set[str]) -> int | None:
    """The batch "check" of the selected submitted reports: all or none. None when done."""
    if not selected:
        messages.error(request, SELECT_ONE)
        return 400
    versions = _selected_versions(request, selected)
    if versions is None:
        messages.error(request, INCOMPLETE)
        return 400
    if not form.is_valid():
        return 400
    try:
        moved = monitoring.reports_batch_transition(
            report_ids=list(versions),
            name=step.name,
            by=request.user,
            input=step.input_from(form.cleaned_data),
            lock_versions=versions,
        )
    except errors.WorkflowError as exc:
        messages.error(request, exc.message)
        return 409 if isinstance(exc, errors.BatchBlocked) else 400
    count = ngettext("%(n)d rendicontazione", "%(n)d rendicontazioni", len(moved)) % {"n": len(moved)}
    codes = ", ".join(r.objective.code for r in moved)
    messages.success(request, f"{step.label}: fatto per {count} ({codes}).")
    return None


def _board_context(request, body, plan, period, *, form, selected, can_check) -> dict:
    user = request.user
    reports = selectors.reports_visible_to(user, body).filter(period=period)
    by_state = dict(reports.values_list("state").annotate(n=Count("pk")).order_by())
    today = timezone.localdate()
    period_overdue = period.due_date < today
    overdue_count = sum(by_state.get(s, 0) for s in OPEN_STATES) if period_overdue else 0

    filters = BoardFilterForm(
        request.GET or None,
        center_choices=[(c, c) for c in selectors.responsibility_centers(user, body)],
        responsible_choices=[
            (str(u.pk), _person(u)) for u in selectors.users_with_role(body, Role.DIRIGENTE)
        ],
    )
    wanted = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    shown = reports
    if wanted.get("state"):
        shown = shown.filter(state=wanted["state"])
    if wanted.get("center"):
        shown = shown.filter(objective__responsibility_center=wanted["center"])
    if wanted.get("responsible"):
        shown = shown.filter(objective__responsible_id=wanted["responsible"])
    if wanted.get("q"):
        q = wanted["q"]
        shown = shown.filter(Q(objective__code__icontains=q) | Q(objective__title__icontains=q))
    ordering = ["objective__code", "pk"]
    if period_overdue:  # the overdue reports first
        late_first = Case(
            When(state__in=OPEN_STATES, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        ordering = [late_first, *ordering]
    shown = shown.select_related("objective__plan", "objective__responsible", "period").order_by(*ordering)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("pagina"))
    page_reports = list(page.object_list)
    scores = period_scores(page_reports, rules=rules_of(body))
    rows = [
        Row(
            report=r,
            score=shown_score(scores[r.pk]),
            overdue=period_overdue and r.state in OPEN_STATES,
            selectable=can_check and r.state == ReportState.SUBMITTED,
        )
        for r in page_reports
    ]
    query = request.GET.copy()
    query.pop("pagina", None)
    return {
        "nav": NAV,
        "plan": plan,
        "period": period,
        "period_overdue": period_overdue,
        "counts": [(s.value, s.label, by_state.get(s.value, 0)) for s in ReportState],
        "total": sum(by_state.values()),
        "overdue_count": overdue_count,
        "filters": filters,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "can_check": can_check,
        "check_form": form if any(row.selectable for row in rows) else None,
        "selected": selected,
        "filtered": bool(wanted and any(wanted.values())),
    }


# -- the NIV/OIV's validation queue -------------------------------------------------------------------


@login_required
@require_GET
def validation_queue(request):
    body = require_body(request)
    user = request.user
    if not (access.is_revisore(user, body) or access.is_segreteria(user, body)):
        raise PermissionDenied(QUEUE_ONLY)
    reports = selectors.reports_visible_to(user, body).select_related(
        "objective__plan", "objective__responsible", "period"
    )
    waiting = reports.filter(state=ReportState.CHECKED).order_by(
        F("state_entered_at").asc(nulls_first=True), "pk"
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("pagina"))
    queue = list(page.object_list)
    recent = list(
        reports.filter(state=ReportState.VALIDATED).order_by(
            F("state_entered_at").desc(nulls_last=True), "-pk"
        )[:RECENT_SIZE]
    )
    scores = period_scores(queue + recent, rules=rules_of(body))
    plan, _plans = current_plan(request)
    return render(
        request,
        "workflow/monitoring/validation_queue.html",
        {
            "nav": NAV,
            "page": page,
            "queue": [Row(r, shown_score(scores[r.pk]), False, False) for r in queue],
            "recent": [Row(r, shown_score(scores[r.pk]), False, False) for r in recent],
            "is_revisore": access.is_revisore(user, body),
            "plan": plan,
        },
    )
