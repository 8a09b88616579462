"""A plan whose final period is reported and validated, for the Relazione sulla performance's tests.

Four published objectives, each with one indicator (target 100, higher is better) and two phases:
- A (Satta, strategic objective OS-A): indicator 40, phases 50 % → 0.7 × 40 + 0.3 × 50 = 43 %, validated;
- B (Rossi, OS-B, centro Infrastrutture): indicator 80, phases 100 % → 0.7 × 80 + 0.3 × 100 = 86 %, validated;
- C (Satta, OS-A): reported and submitted, not validated;
- D (Rossi, OS-B): its report left open (not reported).
Weights are 40 each, so overall (43 + 86) / 2 = 64.5 %.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from flows.services import monitoring
from flows.services import relazione as services
from tests.factories import ObjectiveFactory, StrategicObjectiveFactory
from tests.support.files import small_pdf
from workflow.models import ProgressReport, Relazione, State
from workflow.relazione import final_period

ACT = {"act_type": "delibera_giunta", "act_number": "57", "act_date": dt.date(2024, 6, 20)}


def _fill(report, by, value, percent):
    report = ProgressReport.objects.get(pk=report.pk)
    return monitoring.report_save(
        report_id=report.pk,
        by=by,
        lock_version=report.lock_version,
        explanation="Scostamento dovuto ai tempi di gara." if value < 100 else "",
        phases={
            p.phase_id: {"percent": D(percent), "status": "done" if percent == 100 else "late"}
            for p in report.phase_progress.all()
        },
        measures={m.indicator_id: {"value": D(value), "source": "Protocollo"} for m in report.measures.all()},
    )


def _step(report, name, by, **data):
    current = ProgressReport.objects.get(pk=report.pk)
    monitoring.report_transition(
        report_id=report.pk, name=name, by=by, lock_version=current.lock_version, data=data
    )


def validated_plan(plan, people) -> dict:
    """The four objectives (see the module docstring), their final reports, and the plan's Relazione
    started in drafting with its texts."""
    a = ObjectiveFactory(
        plan=plan, responsible=people["dirigente_satta"], state=State.PUBLISHED, code="2023_A"
    )
    b = ObjectiveFactory(
        plan=plan,
        responsible=people["dirigente_rossi"],
        state=State.PUBLISHED,
        code="2023_B",
        strategic_objective=StrategicObjectiveFactory(
            plan=plan, code="2023_OS02", title="MODERNIZZAZIONE DIGITALE"
        ),
        responsibility_center="SETTORE INFRASTRUTTURE",
    )
    c = ObjectiveFactory(
        plan=plan,
        responsible=people["dirigente_satta"],
        state=State.PUBLISHED,
        code="2023_C",
        strategic_objective=a.strategic_objective,
    )
    d = ObjectiveFactory(
        plan=plan, responsible=people["dirigente_rossi"], state=State.PUBLISHED, code="2023_D"
    )
    for o in (a, b, c, d):
        o.indicators.update(target_1=D(100), polarity="higher")
    segreteria, revisore = people["segreteria"], people["revisore"]
    periods = monitoring.periods_create_default(plan=plan, by=segreteria)
    final = periods[-1]
    monitoring.reports_open(period=final, by=segreteria)
    reports = {o.code: ProgressReport.objects.get(objective=o, period=final) for o in (a, b, c, d)}
    _fill(reports["2023_A"], people["dirigente_satta"], 40, 50)
    _fill(reports["2023_B"], people["dirigente_rossi"], 80, 100)
    _fill(reports["2023_C"], people["dirigente_satta"], 90, 100)
    for code, by in (
        ("2023_A", "dirigente_satta"),
        ("2023_B", "dirigente_rossi"),
        ("2023_C", "dirigente_satta"),
    ):
        _step(reports[code], "submit", people[by])
    for code in ("2023_A", "2023_B"):
        _step(reports[code], "check", segreteria)
        _step(reports[code], "validate", revisore)
    relazione = services.relazione_start(plan=plan, by=segreteria)
    relazione = services.relazione_texts_save(
        relazione_id=relazione.pk,
        by=segreteria,
        presentation="## Premessa\n\nLa **Relazione** dell'anno.\n\n- primo punto\n- secondo punto",
        context="| Dato | 2023 |\n|---|---|\n| Dipendenti | 205 |",
        lock_version=relazione.lock_version,
    )
    assert final_period(plan) == final
    return {"objectives": (a, b, c, d), "reports": reports, "period": final, "relazione": relazione}


def fresh(relazione) -> Relazione:
    return Relazione.objects.get(pk=relazione.pk)


def step(relazione, name, by, **data):
    current = fresh(relazione)
    files = {}
    if name == "adopt":
        data = {**ACT, **data}
        files["act_file"] = _upload("atto.pdf", small_pdf("atto di adozione"))
    if name in ("validate", "reject"):
        data = {"outcome": "validata" if name == "validate" else "non_validata", **data}
        files["document"] = _upload("validazione.pdf", small_pdf("documento di validazione"))
    if name == "publish":
        data = {"confirm": True, **data}
    return services.relazione_transition(
        relazione_id=relazione.pk, name=name, by=by, lock_version=current.lock_version, data=data, files=files
    )


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")
