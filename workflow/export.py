"""The shared interchange format (../shared/schemas/piao-performance.schema.json): plain data out."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal


def _num(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def objective_as_dict(objective) -> dict:
    """The schema's objective object, including the workflow state."""
    return {
        "code": objective.code,
        "title": objective.title,
        "strategic_objective": objective.strategic_objective.code if objective.strategic_objective else "",
        "weight": _num(objective.weight),
        "responsible": objective.responsible_name
        or (objective.responsible.get_full_name() if objective.responsible else ""),
        "responsibility_center": objective.responsibility_center,
        "kind": objective.kind,
        "transversal": objective.transversal,
        "purpose": objective.purpose,
        "motivation": objective.motivation,
        "baseline_and_target": objective.baseline_and_target,
        "beneficiaries": objective.beneficiaries,
        "actions": objective.actions,
        "phases": [
            {
                "description": p.description,
                "weight": _num(p.weight),
                "start": p.start.isoformat() if p.start else None,
                "end": p.end.isoformat() if p.end else None,
                "responsible": p.responsible,
                "responsibility_center": p.responsibility_center,
                "notes": p.notes,
            }
            for p in objective.phases.all()
        ],
        "indicators": [
            {"description": i.description, "kind": i.kind, "expected": i.expected, "notes": i.notes}
            for i in objective.indicators.all()
        ],
        "dup_links": [
            {"level": d.level, "code": d.code, "title": d.title, "view": d.view}
            for d in objective.dup_links.all()
        ],
        "state": objective.state,
    }


# Content fields of Objective that the interchange object carries (the rest are workflow data).
CONTENT_FIELDS = (
    "title",
    "weight",
    "responsibility_center",
    "kind",
    "transversal",
    "purpose",
    "motivation",
    "baseline_and_target",
    "beneficiaries",
    "actions",
)


def plan_as_document(plan, objectives) -> dict:
    """The schema's whole document for ``plan``: its strategic objectives with their linked objectives,
    and ``objectives`` (already filtered by who may see them), in code order so that an export is stable."""
    objectives = sorted(objectives, key=lambda o: o.code)
    linked: dict[int, list] = {}
    for o in objectives:
        if o.strategic_objective_id:
            linked.setdefault(o.strategic_objective_id, []).append(o)
    return {
        "body": plan.body.name,
        "year": plan.year,
        "strategic_objectives": [
            {
                "code": s.code,
                "title": s.title,
                "purposes": list(s.purposes),
                "linked_objectives": [
                    {"code": o.code, "title": o.title, "weight": _num(o.weight)} for o in linked.get(s.pk, [])
                ],
            }
            for s in plan.strategic_objectives.order_by("code")
        ],
        "objectives": [objective_as_dict(o) for o in objectives],
    }


OBJECTIVE_COLUMNS = [
    "code",
    "title",
    "strategic_objective",
    "weight",
    "responsible",
    "responsibility_center",
    "kind",
    "transversal",
    "purpose",
    "motivation",
    "baseline_and_target",
    "beneficiaries",
    "actions",
    "state",
]
PHASE_COLUMNS = [
    "objective",
    "position",
    "description",
    "weight",
    "start",
    "end",
    "responsible",
    "responsibility_center",
    "notes",
]
INDICATOR_COLUMNS = ["objective", "position", "description", "kind", "expected", "notes"]


def document_as_csv_tables(document: dict) -> dict[str, list[list]]:
    """The document as three tables (objectives, phases, indicators), each a header row plus data rows."""
    objectives = [OBJECTIVE_COLUMNS]
    phases = [PHASE_COLUMNS]
    indicators = [INDICATOR_COLUMNS]
    for o in document["objectives"]:
        objectives.append(["" if o.get(c) is None else o.get(c) for c in OBJECTIVE_COLUMNS])
        for n, p in enumerate(o["phases"], start=1):
            phases.append([o["code"], n] + ["" if p.get(c) is None else p.get(c) for c in PHASE_COLUMNS[2:]])
        for n, i in enumerate(o["indicators"], start=1):
            indicators.append([o["code"], n] + [i.get(c, "") for c in INDICATOR_COLUMNS[2:]])
    return {"obiettivi": objectives, "fasi": phases, "indicatori": indicators}


def csv_zip(document: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in document_as_csv_tables(document).items():
            text = io.StringIO()
            csv.writer(text).writerows(rows)
            archive.writestr(f"{name}.csv", "\ufeff" + text.getvalue())  # BOM: spreadsheets read UTF-8
    return buffer.getvalue()
