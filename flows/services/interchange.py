"""Importing a plan from the interchange document (parsed from a report, or a JSON export), and
exporting it.

A document of an earlier version of the format is read as the current one (workflow.interchange.upgraded):
the indicators of the report and of a version-1 file get their measure from their expected value, and
those whose expected value gives no target are flagged "da completare".

One transaction: either the whole document lands or nothing does. Importing the same document again
changes nothing; a changed one updates only what changed, each change a history version with reason
"import"; objectives past drafting are never overwritten: their differences are listed as conflicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify
from guardian.shortcuts import assign_perm

import audit.services as audit
from workflow import access
from workflow.content import (
    DUP_LINK_KEYS,
    INDICATOR,
    OBJECTIVE,
    PHASE,
    REFERENCE,
    from_interchange,
    normalised,
)
from workflow.export import objective_content, plan_as_document
from workflow.interchange import name_key, schema_problems, upgraded
from workflow.models import (
    Body,
    Indicator,
    Objective,
    Phase,
    Plan,
    Role,
    State,
    StrategicObjective,
)
from workflow.selectors import objectives_visible_to

from .. import errors
from .common import save_with_history
from .content import dup_links_replace, rows_from_interchange, rows_sync

IMPORT_REASON = "import"
IMPORT_FORBIDDEN = "Solo la Segreteria Generale dell'ente può importare il piano."
WRONG_YEAR = "Il documento è del {found}, non del {expected}."
INVALID_DOCUMENT = "Il documento non rispetta il formato di interscambio: {problems}"


@dataclass
class ImportResult:
    year: int
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    strategic: int = 0
    phases: int = 0
    indicators: int = 0
    to_complete: int = 0  # indicators flagged "da completare"
    dry_run: bool = False

    @property
    def objectives(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged) + len(self.conflicts)


def body_for_import(*, name: str, ipa_code: str | None = None) -> Body:
    """The body named in a command-line import, created when the installation does not have it yet."""
    body = Body.objects.filter(name__iexact=name.strip()).first()
    if body is None and ipa_code:
        body = Body.objects.filter(ipa_code=ipa_code).first()
    if body is None:
        with transaction.atomic():
            body = Body.objects.create(name=name.strip(), ipa_code=(ipa_code or slugify(name))[:20])
            audit.record(action="body.create", body_id=body.pk, obj=body, data={"name": body.name})
    return body


class _DryRun(Exception):
    pass


def plan_import(
    *,
    by,
    body: Body,
    year: int,
    document: dict,
    source: str,
    dry_run: bool = False,
    warnings: list[str] | None = None,
) -> ImportResult:
    """Import ``document`` into ``body``'s plan for ``year`` (created if missing).

    ``by`` is the acting user (the Segreteria of the body), or None for the command line, whose operator
    is trusted with the server itself. With ``dry_run`` everything is computed and nothing is kept.
    """
    if by is not None and not access.is_segreteria(by, body):
        raise errors.Forbidden(IMPORT_FORBIDDEN)
    problems = schema_problems(document)
    if problems:
        raise errors.InvalidInput(
            INVALID_DOCUMENT.format(problems="; ".join(problems[:5])), problems=problems
        )
    if document["year"] != year:
        raise errors.InvalidInput(WRONG_YEAR.format(found=document["year"], expected=year))
    document = upgraded(document)
    result = ImportResult(year=year, warnings=list(warnings or []), dry_run=dry_run)
    try:
        with transaction.atomic():
            _import(by=by, body=body, year=year, document=document, source=source, result=result)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _import(*, by, body, year, document, source, result: ImportResult) -> None:
    plan, _ = Plan.objects.get_or_create(body=body, year=year, defaults={"triennium": f"{year}-{year + 2}"})
    strategic = {}
    for data in document["strategic_objectives"]:
        so, created = StrategicObjective.objects.get_or_create(
            plan=plan,
            code=data["code"],
            defaults={"title": data["title"], "purposes": data.get("purposes", [])},
        )
        if not created and (so.title, so.purposes) != (data["title"], data.get("purposes", [])):
            so.title, so.purposes = data["title"], data.get("purposes", [])
            so.save(update_fields=["title", "purposes"])
        strategic[so.code] = so
    result.strategic = len(strategic)
    people = _dirigenti_by_name(body)
    for data in document["objectives"]:
        result.phases += len(data["phases"])
        result.indicators += len(data["indicators"])
        result.to_complete += sum(1 for row in data["indicators"] if row.get("to_complete"))
        so = strategic.get(data["strategic_objective"])
        if so is None and data["strategic_objective"]:
            result.warnings.append(
                f"{data['code']}: l'obiettivo strategico {data['strategic_objective']} non è nel documento."
            )
        person = _match(people, data.get("responsible", ""))
        _import_objective(by=by, plan=plan, strategic=so, data=data, person=person, result=result)
    audit.record(
        action="plan.import",
        by=by,
        obj=plan,
        body_id=body.pk,
        data={
            "source": source,
            "year": year,
            "created": result.created,
            "updated": result.updated,
            "conflicts": result.conflicts,
            "unmatched": result.unmatched,
        },
    )


def _dirigenti_by_name(body: Body) -> dict[tuple, list]:
    """The body's active Dirigenti (those who may be responsible for its objectives) by the key of their
    name. Nobody outside the body: a namesake with an account elsewhere in the installation is neither
    linked nor revealed."""
    people: dict[tuple, list] = {}
    dirigenti = get_user_model().objects.filter(
        is_active=True, memberships__body=body, memberships__role=Role.DIRIGENTE
    )
    for user in dirigenti.distinct().order_by("pk"):
        key = name_key(f"{user.first_name} {user.last_name}")
        if key:
            people.setdefault(key, []).append(user)
    return people


def _match(people, printed: str):
    """The one Dirigente of the body a printed name stands for; None when nobody, or several alike, match."""
    candidates = people.get(name_key(printed), [])
    return candidates[0] if len(candidates) == 1 else None


def _import_objective(*, by, plan, strategic, data, person, result: ImportResult) -> None:
    code = data["code"]
    if person is None and data.get("responsible") and data["responsible"] not in result.unmatched:
        result.unmatched.append(data["responsible"])
    objective = Objective.objects.select_for_update().filter(plan=plan, code=code).first()
    if objective is None:
        objective = Objective(plan=plan, code=code, state=State.DRAFTING)
        _set_content(objective, strategic, data)
        save_with_history(objective, by=by, reason=IMPORT_REASON)
        _sync_all(objective, data, by)
        result.created.append(code)
    elif objective_content(objective) == _content_of_data(data, strategic):
        result.unchanged.append(code)
    elif objective.state != State.DRAFTING:
        result.conflicts.append(f"{code} ({objective.get_state_display()})")
    else:
        _set_content(objective, strategic, data)
        _sync_all(objective, data, by)  # rows first: the objective's history record closes the change
        save_with_history(objective, by=by, reason=IMPORT_REASON)
        result.updated.append(code)
    if person is not None and objective.responsible_id is None:
        _link_responsible(objective, person, by)
        result.linked.append(code)


def _set_content(objective, strategic, data) -> None:
    objective.strategic_objective = strategic
    objective.responsible_name = data.get("responsible", "")
    for f in OBJECTIVE.content:
        if f.kind != REFERENCE:
            setattr(objective, f.name, from_interchange(f, data.get(f.name)))


def _sync_all(objective, data, by) -> None:
    """Phases and indicators as in ``data``, row by row in order; only rows that differ are written."""
    for model, fields, rows in ((Phase, PHASE, data["phases"]), (Indicator, INDICATOR, data["indicators"])):
        existing = list(
            model.objects.filter(objective=objective).order_by("position", "id").values_list("pk", flat=True)
        )
        wanted = [
            {"id": existing[n] if n < len(existing) else None, **values}
            for n, values in enumerate(rows_from_interchange(fields, rows))
        ]
        wanted += [{"id": pk, "delete": True} for pk in existing[len(rows) :]]
        rows_sync(objective=objective, model=model, rows=wanted, by=by, reason=IMPORT_REASON)
    dup_links_replace(objective, data.get("dup_links", []))


def _content_of_data(data, strategic) -> dict:
    """The document's objective as the export would write it back, to compare it with the objective."""
    content = {f.name: normalised(f, data.get(f.name)) for f in OBJECTIVE.exported}
    content["strategic_objective"] = strategic.code if strategic else ""
    for fields, key in ((PHASE, "phases"), (INDICATOR, "indicators")):
        content[key] = [
            {f.name: normalised(f, row.get(f.name)) for f in fields.exported} for row in data[key]
        ]
    content["dup_links"] = [{k: d.get(k) or "" for k in DUP_LINK_KEYS} for d in data.get("dup_links", [])]
    return content


def _link_responsible(objective, person, by) -> None:
    objective.responsible = person
    save_with_history(objective, by=by, reason=f"{IMPORT_REASON}: responsabile {objective.responsible_name}")
    assign_perm("workflow.manage_objective", person, objective)
    assign_perm("workflow.change_objective", person, objective)
    audit.record(
        action="permission.responsible",
        by=by,
        obj=objective,
        body_id=objective.plan.body_id,
        data={"code": objective.code, "to": person.get_username(), "source": IMPORT_REASON},
    )


def plan_export(*, by, plan: Plan, fmt: str) -> dict:
    """The plan as an interchange document, with what ``by`` may see of it (everything for the command
    line, ``by=None``); every export is logged."""
    visible = plan.objectives.all() if by is None else objectives_visible_to(by, plan.body).filter(plan=plan)
    objectives = visible.select_related("strategic_objective", "responsible").prefetch_related(
        "phases", "indicators", "dup_links"
    )
    document = plan_as_document(plan, objectives)
    with transaction.atomic():
        audit.record(
            action="plan.export",
            by=by,
            obj=plan,
            body_id=plan.body_id,
            data={"format": fmt, "objectives": len(document["objectives"])},
        )
    return document
