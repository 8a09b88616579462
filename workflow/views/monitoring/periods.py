"""The periods of a plan: the Segreteria adds, edits and deletes them, creates the default ones and opens
the reports of a period; every reader of the body sees them with their reports by state."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext

from flows import errors
from flows.services import monitoring
from workflow import access, selectors
from workflow.middleware import require_body
from workflow.models import ReportState, State
from workflow.monitoring_board_forms import (
    PeriodDeleteForm,
    PeriodForm,
)

from .common import (
    DEFAULTS_ALREADY,
    NAV,
    OPEN_STATES,
    PERIOD_ERROR_FIELDS,
    UNKNOWN_ACTION,
    _plan,
    _readers_only,
)

# -- the periods of a plan ----------------------------------------------------------------------------


@login_required
def periods(request, year: int):
    body = require_body(request)
    plan = _plan(body, year)
    _readers_only(request, body)
    can_manage = access.is_segreteria(request.user, body)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied(errors.PERIOD_FORBIDDEN)
    plan_periods = list(selectors.periods_of(plan))
    add_form = PeriodForm(plan=plan, prefix="nuovo") if can_manage else None
    bound: dict[str, object] = {}  # the form posted, shown again with its errors
    status = 200
    if request.method == "POST":
        action = request.POST.get("azione", "")
        handler = PERIOD_ACTIONS.get(action)
        if handler is None:
            messages.error(request, UNKNOWN_ACTION)
            status = 400
        else:
            done = handler(request, plan, plan_periods, bound)
            if done:
                return redirect("workflow:monitoring_periods", year=plan.year)
            status = 400
        add_form = bound.get("nuovo", add_form)
    return render(
        request,
        "workflow/monitoring/periods.html",
        {
            "nav": NAV,
            "plan": plan,
            "plans": list(selectors.plans_of(body)),
            "rows": _period_rows(request, body, plan, plan_periods, bound, can_manage),
            "published": selectors.objectives_visible_to(request.user, body)
            .filter(plan=plan, state=State.PUBLISHED)
            .count(),
            "can_manage": can_manage,
            "add_form": add_form,
            "add_open": "nuovo" in bound,
        },
        status=status,
    )


def _period_rows(request, body, plan, plan_periods, bound, can_manage) -> list[dict]:
    counted = (
        selectors.reports_visible_to(request.user, body)
        .filter(period__plan=plan)
        .values("period_id", "state")
        .annotate(n=Count("pk"), touched=Count("pk", filter=Q(lock_version__gt=1)))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    touched: dict[int, int] = {}  # reports with values saved (every save bumps the lock version)
    for row in counted:
        counts.setdefault(row["period_id"], {})[row["state"]] = row["n"]
        touched[row["period_id"]] = touched.get(row["period_id"], 0) + row["touched"]
    today = timezone.localdate()
    rows = []
    for period in plan_periods:
        by_state = counts.get(period.pk, {})
        total = sum(by_state.values())
        edit_key, delete_key = f"periodo-{period.pk}", f"elimina-{period.pk}"
        edit_form = delete_form = None
        if can_manage:
            edit_form = bound.get(edit_key) or PeriodForm(
                plan=plan, prefix=edit_key, initial=_period_initial(period)
            )
            delete_form = bound.get(delete_key) or PeriodDeleteForm(prefix=delete_key)
        rows.append(
            {
                "period": period,
                "counts": [(s.value, s.label, by_state.get(s.value, 0)) for s in ReportState],
                "total": total,
                "overdue": period.due_date < today and sum(by_state.get(s, 0) for s in OPEN_STATES) > 0,
                "deletable": total == by_state.get(ReportState.OPEN, 0) and not touched.get(period.pk),
                "edit_form": edit_form,
                "edit_open": edit_key in bound,
                "delete_form": delete_form,
                "delete_open": delete_key in bound,
            }
        )
    return rows


def _period_initial(period) -> dict:
    return {
        "name": period.name,
        "reference_date": period.reference_date,
        "due_date": period.due_date,
        "is_final": period.is_final,
    }


def _posted_period(request, plan_periods):
    """The period the POST names (``periodo``), among the plan's; 404 otherwise."""
    wanted = request.POST.get("periodo", "")
    for period in plan_periods:
        if wanted.isdecimal() and int(wanted) == period.pk:
            return period
    raise Http404("Periodo non trovato.")


def _save_period(request, plan, form, period=None) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        saved = monitoring.period_save(
            plan=plan,
            by=request.user,
            name=data["name"],
            reference_date=data["reference_date"],
            due_date=data["due_date"],
            is_final=data["is_final"],
            period_id=period.pk if period else None,
        )
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except errors.WorkflowError as exc:
        field = PERIOD_ERROR_FIELDS.get(exc.message)
        if field:
            form.add_error(field, exc.message)
        else:
            messages.error(request, exc.message)
        return False
    verb = "modificato" if period else "aggiunto"
    messages.success(request, f"Periodo «{saved.name}» {verb}.")
    return True


def _add(request, plan, plan_periods, bound) -> bool:
    form = PeriodForm(request.POST, plan=plan, prefix="nuovo")
    bound["nuovo"] = form
    return _save_period(request, plan, form)


def _edit(request, plan, plan_periods, bound) -> bool:
    period = _posted_period(request, plan_periods)
    form = PeriodForm(request.POST, plan=plan, prefix=f"periodo-{period.pk}")
    bound[f"periodo-{period.pk}"] = form
    return _save_period(request, plan, form, period)


def _delete(request, plan, plan_periods, bound) -> bool:
    period = _posted_period(request, plan_periods)
    form = PeriodDeleteForm(request.POST, prefix=f"elimina-{period.pk}")
    bound[f"elimina-{period.pk}"] = form
    if not form.is_valid():
        return False
    try:
        monitoring.period_delete(plan=plan, period_id=period.pk, by=request.user)
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except errors.WorkflowError as exc:
        messages.error(request, f"Periodo «{period.name}»: {exc.message}")
        return False
    messages.success(request, f"Periodo «{period.name}» eliminato.")
    return True


def _create_default(request, plan, plan_periods, bound) -> bool:
    if plan_periods:
        messages.error(request, DEFAULTS_ALREADY)
        return False
    try:
        created = monitoring.periods_create_default(plan=plan, by=request.user)
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    names = ", ".join(f"«{p.name}»" for p in created)
    messages.success(request, f"Aggiunti i periodi predefiniti: {names}.")
    return True


def _open_reports(request, plan, plan_periods, bound) -> bool:
    period = _posted_period(request, plan_periods)
    try:
        opened = monitoring.reports_open(period=period, by=request.user)
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    if opened:
        count = ngettext("Aperta %(n)d rendicontazione", "Aperte %(n)d rendicontazioni", len(opened)) % {
            "n": len(opened)
        }
        messages.success(request, f"{count} per il periodo «{period.name}».")
    else:
        messages.info(
            request,
            f"Nessuna nuova rendicontazione aperta per il periodo «{period.name}»: ogni obiettivo "
            "pubblicato ne ha già una.",
        )
    return True


PERIOD_ACTIONS = {
    "aggiungi": _add,
    "modifica": _edit,
    "elimina": _delete,
    "predefiniti": _create_default,
    "apri": _open_reports,
}
