"""The body's measurement system (SMVP): the Segreteria edits it, the other readers see it with a plain
explanation and a worked example computed with the body's own rules."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from flows import errors
from flows.services import monitoring
from workflow import access
from workflow.achievement import (
    Rules,
    Score,
    indicator_achievement,
    objective_score,
    pct,
    weighted_average,
)
from workflow.middleware import require_body
from workflow.monitoring_board_forms import (
    MeasurementSystemForm,
)
from workflow.scores import rules_of

from ..pages import current_plan
from .common import (
    NAV,
    READERS_ONLY,
    _readers_only,
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
