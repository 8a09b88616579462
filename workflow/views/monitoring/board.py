"""The Segreteria's and the NIV/OIV's monitoring pages: the periods of a plan, the board of one period
(counts, overdue reports, the batch "check"), the NIV/OIV's validation queue and the body's measurement
system (SMVP). Each view reads through the permission-filtered selectors and writes through
flows.services.monitoring; every score shows how it was computed (workflow.scores, workflow.achievement).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from flows import errors
from flows.services import monitoring
from flows.steps.report import REPORT
from workflow import access, selectors
from workflow.access import READ_ALL_ROLES
from workflow.achievement import (
    Rules,
    Score,
    indicator_achievement,
    objective_score,
    pct,
    weighted_average,
)
from workflow.middleware import require_body
from workflow.models import ReportState, ReportTransition, Role, State
from workflow.monitoring_board_forms import (
    BoardFilterForm,
    MeasurementSystemForm,
    PeriodDeleteForm,
    PeriodForm,
)
from workflow.scores import period_scores, rules_of

from ..actions import INCOMPLETE, _selected_versions
from ..pages import current_plan

PAGE_SIZE = 25
RECENT_SIZE = 10
NAV = "monitoring"

READERS_ONLY = "Il monitoraggio del piano è riservato a chi legge tutti gli obiettivi dell'ente."
QUEUE_ONLY = "La coda di validazione è riservata al NIV/OIV e alla Segreteria Generale dell'ente."
BOARD_FORBIDDEN = "Solo la Segreteria Generale dell'ente verifica le rendicontazioni."
SELECT_ONE = "Seleziona almeno una rendicontazione inviata."
UNKNOWN_ACTION = "Azione non riconosciuta: nessun dato è stato modificato."
DEFAULTS_ALREADY = "Il piano ha già i suoi periodi: nessun periodo è stato aggiunto."

# Where the service's refusals of a period belong in its form.
PERIOD_ERROR_FIELDS = {
    errors.PERIOD_DUE_BEFORE_REFERENCE: "due_date",
    errors.PERIOD_NAME_TAKEN: "name",
    errors.PERIOD_DATE_TAKEN: "reference_date",
}
OPEN_STATES = (ReportState.OPEN, ReportState.RETURNED)


def _readers_only(request, body, message=READERS_ONLY) -> None:
    """Dirigenti, Segreteria and NIV/OIV read these pages: they read every objective of the body."""
    if not access.roles_in(request.user, body) & READ_ALL_ROLES:
        raise PermissionDenied(message)


def _plan(body, year: int):
    plan = selectors.plans_of(body).filter(year=year).first()
    if plan is None:
        raise Http404("Piano non trovato.")
    return plan


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


# -- scores shown with how they were computed ---------------------------------------------------------


@dataclass(frozen=True)
class ShownScore:
    """A report's final score as a page shows it: the number, and each line of how it was computed."""

    text: str
    known: bool
    lines: list[tuple[str, str]]
    adjusted: bool


def shown_score(report_score) -> ShownScore:
    final, computed = report_score.final, report_score.computed
    lines = [(f"Indicatore {n}", row.score.how) for n, row in enumerate(report_score.indicators, start=1)]
    lines += [
        ("Indicatori", report_score.indicators_score.how),
        ("Fasi", report_score.phases_score.how),
        ("Obiettivo", computed.how),
    ]
    adjusted = final is not computed
    if adjusted:
        lines.append(("Rettifica", final.how))
    return ShownScore(pct(final.value), final.known, lines, adjusted)


@dataclass(frozen=True)
class Row:
    report: object
    score: ShownScore
    overdue: bool
    selectable: bool

    @property
    def responsible(self) -> str:
        objective = self.report.objective
        return _person(objective.responsible) or objective.responsible_name or "—"


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
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for row in counted:
        counts.setdefault(row["period_id"], {})[row["state"]] = row["n"]
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
                "deletable": total == by_state.get(ReportState.OPEN, 0),
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


# -- the body's measurement system (SMVP) -------------------------------------------------------------


@login_required
def measurement_system(request):
    body = require_body(request)
    _readers_only(request, body, errors.SMVP_FORBIDDEN if request.method == "POST" else READERS_ONLY)
    can_edit = access.is_segreteria(request.user, body)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(errors.SMVP_FORBIDDEN)
    rules = rules_of(body)  # the body's rules, or the defaults: reading writes nothing
    form = None
    status = 200
    if can_edit:
        form = MeasurementSystemForm(
            request.POST if request.method == "POST" else None,
            initial=MeasurementSystemForm.initial_of(rules),
        )
        if form.is_bound:
            if form.is_valid():
                try:
                    monitoring.measurement_system_save(body=body, by=request.user, **form.cleaned_data)
                except errors.Forbidden as exc:
                    raise PermissionDenied(exc.message) from exc
                messages.success(
                    request, "Sistema di misurazione salvato: i punteggi si ricalcolano con le nuove regole."
                )
                return redirect("workflow:measurement_system")
            status = 400
    plan, _plans = current_plan(request)
    return render(
        request,
        "workflow/monitoring/measurement_system.html",
        {
            "nav": NAV,
            "rules": rules,
            "defaults": Rules(),
            "describe": rules.describe(),
            "rule_rows": _settings_rows(rules),
            "share": pct(rules.indicators_share),
            "example": worked_example(rules),
            "form": form,
            "plan": plan,
            "periods_url": reverse("workflow:monitoring_periods", args=[plan.year]) if plan else "",
        },
        status=status,
    )


def _settings_rows(rules: Rules) -> list[tuple[str, str]]:
    return [
        ("Soglia sotto la quale il raggiungimento vale zero", pct(rules.zero_threshold)),
        ("Peso degli indicatori nel punteggio dell'obiettivo", pct(rules.indicators_share)),
        ("Peso delle fasi nel punteggio dell'obiettivo", pct(Decimal(100) - rules.indicators_share)),
        ("Superamento del 100 %", "consentito" if rules.allow_over_achievement else "non consentito"),
        ("Tetto del raggiungimento", pct(rules.ceiling)),
    ]


@dataclass(frozen=True)
class ExampleStep:
    what: str
    data: str
    score: Score

    @property
    def value(self) -> str:
        return pct(self.score.value)


def worked_example(rules: Rules) -> list[ExampleStep]:
    """An objective with two indicators and two phases, scored with the body's rules by the same functions
    that score the real reports (workflow.achievement)."""
    served = indicator_achievement(
        polarity="higher", baseline=Decimal(60), target=Decimal(90), actual=Decimal(81), rules=rules
    )
    days = indicator_achievement(
        polarity="lower", baseline=Decimal(45), target=Decimal(30), actual=Decimal(36), rules=rules
    )
    indicators = weighted_average([(Decimal(60), served), (Decimal(40), days)], what="degli indicatori")
    first = Score(Decimal(100), "completamento dichiarato: 100 %")
    second = Score(Decimal(40), "completamento dichiarato: 40 %")
    phases = weighted_average([(Decimal(50), first), (Decimal(50), second)], what="delle fasi")
    total = objective_score(indicators=indicators, phases=phases, rules=rules)
    return [
        ExampleStep(
            "Indicatore 1: pratiche evase entro 30 giorni (più alto è meglio, peso 60)",
            "valore di partenza 60 %, target 90 %, valore rilevato 81 %",
            served,
        ),
        ExampleStep(
            "Indicatore 2: tempo medio di pagamento in giorni (più basso è meglio, peso 40)",
            "valore di partenza 45, target 30, valore rilevato 36",
            days,
        ),
        ExampleStep("Indicatori insieme", "media pesata dei due raggiungimenti", indicators),
        ExampleStep("Fasi (peso 50 ciascuna)", "fase 1 completata al 100 %, fase 2 al 40 %", phases),
        ExampleStep("Punteggio dell'obiettivo", "indicatori e fasi con i pesi dell'ente", total),
    ]
