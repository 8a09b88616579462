"""The Relazione sulla performance as data: what the document prints, what it embeds and what the public
open data publishes are one dictionary, built here from the validated reports of the plan's final period.

The figures are the monitoring's (workflow.scores): each objective's final score is its validated report's,
with the NIV/OIV's adjustment; the summaries are the weighted averages of the validated objectives, by
strategic objective, centro di responsabilità and dirigente, the same the plan's monitoring dashboard shows
for the final period with "solo validate". An objective of the plan without a validated report is listed
as such, with why (not reported, or the state its report is in), and counts in no average.

The dictionary is valid against ``workflow/data/relazione-performance.schema.json``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path

from django.db.models import Q

from .achievement import Score
from .models import MonitoringPeriod, Objective, Plan, ProgressReport, ReportState, State
from .scores import has_values, period_scores, rules_of, summaries

FORMAT_VERSION = "1.0"
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "relazione-performance.schema.json"

VALIDATED = "validated"
NOT_VALIDATED = "not_validated"
NOT_REPORTED = "not_reported"
OUTCOME_LABELS = {
    VALIDATED: "Validato dal NIV/OIV",
    NOT_VALIDATED: "Rendicontato, non validato",
    NOT_REPORTED: "Non rendicontato",
}

NO_FINAL_PERIOD = (
    "Il piano {year} non ha un periodo di consuntivo: indicalo tra i periodi di monitoraggio, poi genera "
    "la Relazione."
)


def final_period(plan: Plan) -> MonitoringPeriod | None:
    """The period the Relazione is built from: the one marked as final (the latest, if several)."""
    return plan.monitoring_periods.filter(is_final=True).order_by("-reference_date").first()


def covered_objectives(plan: Plan):
    """The objectives the Relazione accounts for: those of the plan that were published (now, or before
    the revision in progress), withdrawn ones excluded."""
    return (
        Objective.objects.filter(plan=plan)
        .filter(Q(state=State.PUBLISHED) | Q(revision__gt=1))
        .exclude(state=State.WITHDRAWN)
        .select_related("strategic_objective", "responsible")
        .order_by("code", "pk")
    )


def _decimal(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _score(score: Score) -> dict:
    return {"value": _decimal(score.value), "how": score.how}


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _responsible(objective: Objective) -> str:
    person = objective.responsible
    if person is not None:
        return person.get_full_name() or person.get_username()
    return objective.responsible_name or ""


def _objective_head(objective: Objective) -> dict:
    so = objective.strategic_objective
    return {
        "code": objective.code,
        "title": objective.title,
        "strategic_objective": {"code": so.code, "title": so.title} if so else None,
        "responsibility_center": objective.responsibility_center,
        "responsible": _responsible(objective),
        "weight": _decimal(objective.weight),
    }


def _validated_objective(report: ProgressReport, score) -> dict:
    phases = [
        {
            "description": row.phase.description,
            "weight": _decimal(row.phase.weight),
            "planned_start": _date(row.phase.start),
            "planned_end": _date(row.phase.end),
            "actual_start": _date(row.progress.actual_start) if row.progress else None,
            "actual_end": _date(row.progress.actual_end) if row.progress else None,
            "percent": _decimal(row.progress.percent) if row.progress else None,
            "status": row.progress.get_status_display() if row.progress else "",
            "note": row.progress.note if row.progress else "",
        }
        for row in score.phases
    ]
    indicators = []
    for row in score.indicators:
        indicator, measure = row.indicator, row.measure
        indicators.append(
            {
                "description": indicator.description,
                "unit": indicator.unit,
                "polarity": indicator.get_polarity_display(),
                "weight": _decimal(indicator.weight),
                "baseline": _decimal(indicator.baseline_value),
                "target": _decimal(row.target),
                "expected": indicator.expected,
                "actual": _decimal(measure.value) if measure else None,
                "actual_text": measure.text_value if measure else "",
                "source": measure.source if measure else "",
                "achievement": _score(row.score),
            }
        )
    adjustment = None
    if report.adjusted_score is not None:
        adjustment = {"value": _decimal(report.adjusted_score), "reason": report.adjustment_reason}
    return {
        **_objective_head(report.objective),
        "outcome": VALIDATED,
        "outcome_label": OUTCOME_LABELS[VALIDATED],
        "report_state": report.get_state_display(),
        "score": {
            "computed": _score(score.computed),
            "final": _score(score.final),
            "indicators": _score(score.indicators_score),
            "phases": _score(score.phases_score),
            "adjustment": adjustment,
        },
        "explanation": report.explanation,
        "corrective_actions": report.corrective_actions,
        "phases": phases,
        "indicators": indicators,
    }


def _left_out(objective: Objective, report: ProgressReport | None) -> dict:
    outcome = NOT_REPORTED if report is None or not has_values(report) else NOT_VALIDATED
    if report is None:
        why = "Nessuna rendicontazione per il periodo di consuntivo."
    elif outcome == NOT_REPORTED:
        why = "La rendicontazione del consuntivo non riporta alcun valore."
    else:
        why = f"La rendicontazione del consuntivo è nello stato «{report.get_state_display()}»."
    return {
        **_objective_head(objective),
        "outcome": outcome,
        "outcome_label": OUTCOME_LABELS[outcome],
        "report_state": report.get_state_display() if report is not None else "",
        "why": why,
    }


def _summary_rows(reports, scores, by: str) -> list[dict]:
    return [
        {"label": s.label, "objectives": s.count, "score": _score(s.score)}
        for s in summaries(reports, scores, by=by)
    ]


def relazione_data(
    plan: Plan,
    *,
    version: int = 1,
    presentation: str = "",
    context: str = "",
    generated_at: dt.datetime,
) -> dict:
    """The Relazione of ``plan`` as data (see the module docstring). Raises ValueError (with the message
    to show) when the plan has no final period."""
    period = final_period(plan)
    if period is None:
        raise ValueError(NO_FINAL_PERIOD.format(year=plan.year))
    body = plan.body
    rules = rules_of(body)
    reports = {
        r.objective_id: r
        for r in ProgressReport.objects.filter(period=period)
        .select_related(
            "period", "objective__plan", "objective__strategic_objective", "objective__responsible"
        )
        .order_by("objective__code", "pk")
    }
    scores = period_scores(reports.values(), rules=rules)
    validated = [r for r in reports.values() if r.state == ReportState.VALIDATED and has_values(r)]
    validated_ids = {r.objective_id for r in validated}

    objectives, left_out = [], []
    covered = list(covered_objectives(plan))
    covered_ids = {o.pk for o in covered}
    # a report of an objective withdrawn after publication still counts when it was validated
    extra = [r.objective for r in validated if r.objective_id not in covered_ids]
    for objective in sorted(covered + extra, key=lambda o: (o.code, o.pk)):
        report = reports.get(objective.pk)
        if objective.pk in validated_ids:
            objectives.append(_validated_objective(report, scores[report.pk]))
        else:
            item = _left_out(objective, report)
            objectives.append(item)
            left_out.append({k: item[k] for k in ("code", "title", "outcome", "outcome_label", "why")})

    overall = summaries(validated, scores, by="all") if validated else []
    return {
        "format_version": FORMAT_VERSION,
        "kind": "relazione_sulla_performance",
        "body": {"ipa_code": body.ipa_code, "name": body.name},
        "year": plan.year,
        "triennium": plan.triennium,
        "version": version,
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "period": {
            "name": period.name,
            "reference_date": period.reference_date.isoformat(),
        },
        "measurement_rules": rules.describe(),
        "presentation": presentation,
        "context": context,
        "totals": {
            "objectives": len(objectives),
            "validated": len(validated_ids),
            "not_validated": sum(1 for o in left_out if o["outcome"] == NOT_VALIDATED),
            "not_reported": sum(1 for o in left_out if o["outcome"] == NOT_REPORTED),
            "overall_score": _score(overall[0].score) if overall else None,
        },
        "summaries": {
            "by_strategic_objective": _summary_rows(validated, scores, "strategic"),
            "by_responsibility_center": _summary_rows(validated, scores, "center"),
            "by_responsible": _summary_rows(validated, scores, "responsible"),
        },
        "objectives": objectives,
        "left_out": left_out,
    }


def canonical_json(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def content_hash(data: dict) -> str:
    """SHA-256 of the canonical JSON of the data, without the moment it was generated."""
    return hashlib.sha256(canonical_json({k: v for k, v in data.items() if k != "generated_at"})).hexdigest()


def open_data_json(data: dict) -> bytes:
    """The data as published and as embedded in the PDF: indented UTF-8 JSON."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# -- the tables of the open data (CSV, XLSX) ---------------------------------------------------------------
OBJECTIVE_COLUMNS = [
    ("codice", "code"),
    ("titolo", "title"),
    ("obiettivo_strategico", "strategic"),
    ("centro_di_responsabilita", "responsibility_center"),
    ("dirigente", "responsible"),
    ("peso", "weight"),
    ("esito", "outcome_label"),
    ("punteggio_calcolato", "computed"),
    ("rettifica_niv_oiv", "adjusted"),
    ("punteggio_finale", "final"),
]
INDICATOR_COLUMNS = [
    "codice_obiettivo",
    "indicatore",
    "unita",
    "polarita",
    "peso",
    "valore_di_partenza",
    "target",
    "valore_rilevato",
    "raggiungimento",
]
SUMMARY_COLUMNS = ["raggruppamento", "voce", "obiettivi", "punteggio"]


def relazione_tables(data: dict) -> dict[str, list[list]]:
    """The open data as tables (header row first): objectives, indicators, summaries."""
    objectives = [[c for c, _ in OBJECTIVE_COLUMNS]]
    indicators = [INDICATOR_COLUMNS]
    for o in data["objectives"]:
        so = o["strategic_objective"]
        score = o.get("score") or {}
        adjustment = score.get("adjustment")
        values = {
            **o,
            "strategic": f"{so['code']} – {so['title']}" if so else "",
            "computed": (score.get("computed") or {}).get("value"),
            "adjusted": adjustment["value"] if adjustment else None,
            "final": (score.get("final") or {}).get("value"),
        }
        objectives.append([values.get(key) for _, key in OBJECTIVE_COLUMNS])
        for i in o.get("indicators", []):
            indicators.append(
                [
                    o["code"],
                    i["description"],
                    i["unit"],
                    i["polarity"],
                    i["weight"],
                    i["baseline"],
                    i["target"],
                    i["actual"] if i["actual"] is not None else i["actual_text"],
                    i["achievement"]["value"],
                ]
            )
    groups = [
        ("Obiettivo strategico", "by_strategic_objective"),
        ("Centro di responsabilità", "by_responsibility_center"),
        ("Dirigente", "by_responsible"),
    ]
    summary = [SUMMARY_COLUMNS]
    for label, key in groups:
        for row in data["summaries"][key]:
            summary.append([label, row["label"], row["objectives"], row["score"]["value"]])
    return {"obiettivi": objectives, "indicatori": indicators, "sintesi": summary}
