"""The interchange format (workflow/data/piao-performance.schema.json, the shared one extended with the
indicators' measure as version 2): plain data out."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

from .content import DUP_LINK_KEYS, FORMAT_VERSION, INDICATOR, OBJECTIVE, PHASE, to_interchange


def _num(value: Decimal | None):
    return to_interchange(OBJECTIVE["weight"], value)


def objective_content(objective) -> dict:
    """The schema's objective object: the exported fields (workflow.content), with the strategic objective
    as its code and the responsible as printed, then its phases, indicators and DUP links."""
    content = {}
    for f in OBJECTIVE.exported:
        if f.name == "strategic_objective":
            content[f.name] = objective.strategic_objective.code if objective.strategic_objective else ""
        elif f.name == "responsible":
            content[f.name] = objective.responsible_name or (
                objective.responsible.get_full_name() if objective.responsible else ""
            )
        else:
            content[f.name] = to_interchange(f, getattr(objective, f.name))
    content["phases"] = [_row(PHASE, p) for p in objective.phases.all()]
    content["indicators"] = [_row(INDICATOR, i) for i in objective.indicators.all()]
    content["dup_links"] = [{k: getattr(d, k) for k in DUP_LINK_KEYS} for d in objective.dup_links.all()]
    return content


def _row(fields, row) -> dict:
    return {f.name: to_interchange(f, getattr(row, f.name)) for f in fields.exported}


def objective_as_dict(objective) -> dict:
    """The schema's objective object, including the workflow state."""
    return {**objective_content(objective), "state": objective.state}


def plan_as_document(plan, objectives) -> dict:
    """The schema's whole document for ``plan``: its strategic objectives with their linked objectives,
    and ``objectives`` (already filtered by who may see them), in code order so that an export is stable.
    It is written in the current version of the format."""

    objectives = sorted(objectives, key=lambda o: o.code)
    linked: dict[int, list] = {}
    for o in objectives:
        if o.strategic_objective_id:
            linked.setdefault(o.strategic_objective_id, []).append(o)
    return {
        "format_version": FORMAT_VERSION,
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


# The columns of the CSV tables: the exported fields, the state; each row after its objective and place.
OBJECTIVE_COLUMNS = [*(f.name for f in OBJECTIVE.exported), "state"]
PHASE_COLUMNS = ["objective", "position", *(f.name for f in PHASE.exported)]
INDICATOR_COLUMNS = ["objective", "position", *(f.name for f in INDICATOR.exported)]


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
            indicators.append(
                [o["code"], n] + ["" if i.get(c) is None else i.get(c) for c in INDICATOR_COLUMNS[2:]]
            )
    return {"obiettivi": objectives, "fasi": phases, "indicatori": indicators}


def csv_zip(document: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in document_as_csv_tables(document).items():
            text = io.StringIO()
            csv.writer(text).writerows(rows)
            archive.writestr(f"{name}.csv", "\ufeff" + text.getvalue())  # BOM: spreadsheets read UTF-8
    return buffer.getvalue()
