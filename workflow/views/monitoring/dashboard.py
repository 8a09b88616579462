"""The plan's monitoring dashboard: achievement by strategic objective, centro and dirigente, phases planned
and actual, indicators off target (``dashboard_models`` builds it; this view checks and renders)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from workflow import selectors
from workflow.middleware import require_body

from . import dashboard_models


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_GET
def plan_dashboard(request, year: int):
    body = require_body(request)
    if not dashboard_models.can_read(request.user, body):
        raise PermissionDenied(dashboard_models.DASHBOARD_FORBIDDEN)
    plan = selectors.plans_of(body).filter(year=year).first()
    if plan is None:
        raise Http404("Piano non trovato.")
    page = dashboard_models.plan_dashboard(
        request.user,
        body,
        plan,
        period_id=_int(request.GET.get("periodo")),
        validated_only=request.GET.get("solo_validate") == "1",
        group=request.GET.get("gruppo"),
        page=request.GET.get("pagina"),
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "workflow/monitoring/plan_dashboard.html",
        {**page.context(), "query": query.urlencode()},
    )
