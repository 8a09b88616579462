"""The shared interchange format (../shared/schemas/piao-performance.schema.json): plain data out."""

from __future__ import annotations

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
