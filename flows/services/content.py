"""Content use cases: creating and editing objectives with their phases and indicators, the responsible
dirigente, delegations, and restoring content from a published revision."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from guardian.shortcuts import assign_perm, get_user_perms, remove_perm

import audit.services as audit
from notifications.services import notify_transition
from workflow import access
from workflow.content import DUP_LINK_KEYS, INDICATOR, OBJECTIVE, PHASE, REFERENCE, from_interchange
from workflow.interchange import objective_upgraded
from workflow.models import DupLink, Indicator, Objective, Phase, Plan, Role, State, StrategicObjective

from .. import errors
from . import report_rows
from .common import check_fresh, delete_with_history, lock_objective, save_with_history

# The content an edit writes (workflow.content): the objective's fields, then its rows.
OBJECTIVE_FIELDS = tuple(f.name for f in OBJECTIVE.content)
ROW_FIELDS = {Phase: PHASE, Indicator: INDICATOR}
ROW_NOT_OURS = "Una riga modificata non appartiene a questo obiettivo: ricarica la pagina."


def _grant_responsible(objective, user) -> None:
    assign_perm("workflow.manage_objective", user, objective)
    assign_perm("workflow.change_objective", user, objective)


def _revoke_responsible(objective, user) -> None:
    remove_perm("workflow.manage_objective", user, objective)
    remove_perm("workflow.change_objective", user, objective)


def _check_strategic(plan, strategic) -> None:
    if strategic is not None and strategic.plan_id != plan.pk:
        raise errors.InvalidInput("L'obiettivo strategico scelto appartiene a un altro piano.")


def objective_create(
    *, by, plan: Plan, code: str, title: str, responsible=None, fields: dict | None = None, note: str = ""
) -> Objective:
    """A new draft. The Segreteria names any dirigente of the body; a dirigente creates their own."""
    body = plan.body
    if not access.can_create_in(by, body):
        raise errors.Forbidden(errors.CREATE_FORBIDDEN)
    roles = access.roles_in(by, body)
    if not roles & access.SEGRETERIA_ROLES:
        responsible = by  # a dirigente drafts for their own centro
    if responsible is None or Role.DIRIGENTE not in access.roles_in(responsible, body):
        raise errors.InvalidInput(errors.RESPONSIBLE_NOT_DIRIGENTE)
    fields = dict(fields or {})
    _check_strategic(plan, fields.get("strategic_objective"))
    if not fields.get("responsibility_center"):
        center = (
            responsible.memberships.filter(body=body, role=Role.DIRIGENTE)
            .values_list("responsibility_center", flat=True)
            .first()
        )
        fields["responsibility_center"] = center or ""
    objective = Objective(
        plan=plan,
        code=code.strip(),
        title=title.strip(),
        responsible=responsible,
        responsible_name=_printed_name(responsible),
        state=State.DRAFTING,
    )
    for name in OBJECTIVE_FIELDS:
        if name in fields and name != "title":
            setattr(objective, name, fields[name])
    try:
        with transaction.atomic():
            save_with_history(objective, by=by, reason="Creazione" + (f": {note}" if note else ""))
            _grant_responsible(objective, responsible)
            audit.record(
                action="objective.create",
                by=by,
                obj=objective,
                body_id=body.pk,
                data={
                    "code": objective.code,
                    "title": objective.title,
                    "responsible": responsible.get_username(),
                },
            )
    except IntegrityError as exc:
        raise errors.InvalidInput(errors.DUPLICATE_CODE.format(code=code)) from exc
    return objective


def _printed_name(user) -> str:
    return f"{user.last_name} {user.first_name}".strip().upper() or user.get_username()


def objective_update(
    *,
    objective_id: int,
    by,
    lock_version: int | None,
    fields: dict,
    phases: list[dict] | None = None,
    indicators: list[dict] | None = None,
    note: str = "",
) -> Objective:
    """Edit a draft's content, phases and indicators in one go. Rows are dicts with ``id`` (None for a
    new row) and ``delete``; only rows that really change get a history record."""
    reason = "Modifica del contenuto" + (f": {note}" if note else "")
    with transaction.atomic():
        objective = lock_objective(objective_id=objective_id, by=by)
        check_fresh(objective, lock_version, by=by)
        if not access.can_edit(by, objective):
            raise errors.Forbidden(errors.NOT_EDITABLE)
        _check_strategic(objective.plan, fields.get("strategic_objective", objective.strategic_objective))
        changed = [n for n in OBJECTIVE_FIELDS if n in fields and getattr(objective, n) != fields[n]]
        for name in changed:
            setattr(objective, name, fields[name])
        rows_changed = 0
        for model, rows in ((Phase, phases), (Indicator, indicators)):
            if rows is not None:
                rows_changed += rows_sync(objective=objective, model=model, rows=rows, by=by, reason=reason)
        # The objective is saved even when only its rows changed: its lock version guards them too.
        if changed or rows_changed:
            save_with_history(objective, by=by, reason=reason)
            audit.record(
                action="objective.update",
                by=by,
                obj=objective,
                body_id=objective.plan.body_id,
                data={"code": objective.code, "fields": changed, "rows_changed": rows_changed, "note": note},
            )
            notify_transition(objective=objective, transition="update", by=by)
    return objective


def rows_sync(*, objective, model, rows: list[dict], by, reason: str, revive: bool = False) -> int:
    """Make the objective's phases or indicators (``model``) what ``rows`` says, in order, writing only the
    rows that change; returns how many were written (deleted, added or changed).

    Each row is a dict: ``id`` (None for a new row), ``delete``, and model values for the declared fields
    it carries (the others keep their value; no value of a field that is not nullable is an empty text).
    Its position is ``position`` when given, else its place among the rows kept. An ``id`` that is not one
    of the objective's rows is refused, unless ``revive``: a restore brings a deleted row back with its
    own id, so that a diff shows it as the row it was."""
    fields = ROW_FIELDS[model]
    existing = {row.pk: row for row in model.objects.filter(objective=objective)}
    changed = 0
    position = 0
    for data in rows:
        pk = data.get("id")
        if pk is not None and pk not in existing and not revive:
            raise errors.InvalidInput(ROW_NOT_OURS)
        if data.get("delete"):
            if pk in existing:
                report_rows.release(existing[pk], by=by, reason=reason)
                delete_with_history(existing[pk], by=by, reason=reason)
                changed += 1
            continue
        position += 1
        values = {
            f.name: "" if data[f.name] is None and not f.nullable else data[f.name]
            for f in fields
            if f.name in data
        }
        values["position"] = data.get("position", position)
        row = existing.get(pk)
        if row is not None and all(getattr(row, n) == v for n, v in values.items()):
            continue
        if row is None:
            row = model(pk=pk, objective=objective)  # a new row, or a deleted one brought back
        for n, v in values.items():
            setattr(row, n, v)
        save_with_history(row, by=by, reason=reason, force_insert=row.pk is not None and pk not in existing)
        changed += 1
    return changed


def rows_from_interchange(fields, rows: list[dict]) -> list[dict]:
    """Rows of the interchange document (``phases`` or ``indicators``) as model values for rows_sync."""
    return [{f.name: from_interchange(f, row.get(f.name)) for f in fields.exported} for row in rows]


def restore_content(*, objective: Objective, content: dict, by, reason: str) -> None:
    """Put back the content of an exported objective (a published revision) as new history rows. The rows
    are written first and the objective last, as in every content service, so that the objective's history
    record closes the operation (audit.versions reads a version's rows as of that record). A revision
    published before the indicators had a measure gets it as an import would (workflow.interchange)."""
    plan = objective.plan
    content = objective_upgraded(content)
    for f in OBJECTIVE.content:
        if f.kind != REFERENCE and f.name in content:
            setattr(objective, f.name, from_interchange(f, content[f.name]))
    code = content.get("strategic_objective")
    objective.strategic_objective = (
        StrategicObjective.objects.filter(plan=plan, code=code).first() if code else None
    )
    for model, key in ((Phase, "phases"), (Indicator, "indicators")):
        # in place, by position: a phase or an indicator keeps its id, and with it what the progress reports
        # of the year declared about it; only rows beyond the restored ones are deleted
        current = list(
            model.objects.filter(objective=objective).order_by("position", "pk").values_list("pk", flat=True)
        )
        wanted = rows_from_interchange(ROW_FIELDS[model], content.get(key, []))
        rows = [{**row, "id": current[i]} if i < len(current) else row for i, row in enumerate(wanted)]
        rows += [{"id": pk, "delete": True} for pk in current[len(wanted) :]]
        rows_sync(objective=objective, model=model, rows=rows, by=by, reason=reason)
    if "dup_links" in content:
        dup_links_replace(objective, content["dup_links"])
    save_with_history(objective, by=by, reason=reason)


def dup_links_replace(objective, links: list[dict]) -> None:
    """The objective's DUP links as ``links`` (interchange dicts). They carry no history of their own."""
    objective.dup_links.all().delete()
    DupLink.objects.bulk_create(
        DupLink(objective=objective, **{k: d.get(k) or "" for k in DUP_LINK_KEYS}) for d in links
    )


def objective_assign_responsible(
    *, objective_id: int, by, responsible, lock_version: int | None
) -> Objective:
    with transaction.atomic():
        objective = lock_objective(objective_id=objective_id, by=by)
        check_fresh(objective, lock_version, by=by)
        body = objective.plan.body
        if not access.is_segreteria(by, body) or objective.state != State.DRAFTING:
            raise errors.Forbidden("Solo la Segreteria può cambiare il responsabile di una bozza.")
        if Role.DIRIGENTE not in access.roles_in(responsible, body):
            raise errors.InvalidInput(errors.RESPONSIBLE_NOT_DIRIGENTE)
        previous = objective.responsible
        if previous == responsible:
            return objective
        if previous is not None:
            _revoke_responsible(objective, previous)
        objective.responsible = responsible
        objective.responsible_name = _printed_name(responsible)
        save_with_history(objective, by=by, reason=f"Nuovo responsabile: {objective.responsible_name}")
        _grant_responsible(objective, responsible)
        audit.record(
            action="permission.responsible",
            by=by,
            obj=objective,
            body_id=body.pk,
            data={
                "code": objective.code,
                "from": previous.get_username() if previous else None,
                "to": responsible.get_username(),
            },
        )
        notify_transition(objective=objective, transition="responsible_assigned", by=by, subject=responsible)
    return objective


def objective_delegate(*, objective_id: int, by, delegate) -> Objective:
    """The responsible dirigente lets a funzionario of the body edit this draft."""
    with transaction.atomic():
        objective = lock_objective(objective_id=objective_id, by=by)
        if not access.can_delegate(by, objective):
            raise errors.Forbidden(errors.DELEGATE_FORBIDDEN)
        if Role.FUNZIONARIO not in access.roles_in(delegate, objective.plan.body_id):
            raise errors.InvalidInput(errors.DELEGATE_NOT_FUNZIONARIO)
        name = delegate.get_full_name() or delegate.get_username()
        if delegate.has_perm("workflow.change_objective", objective) and _object_perm(delegate, objective):
            raise errors.InvalidInput(errors.ALREADY_DELEGATED.format(who=name))
        assign_perm("workflow.change_objective", delegate, objective)
        audit.record(
            action="permission.delegate",
            by=by,
            obj=objective,
            body_id=objective.plan.body_id,
            data={"code": objective.code, "delegate": delegate.get_username()},
        )
        notify_transition(objective=objective, transition="delegation_granted", by=by, subject=delegate)
    return objective


def objective_revoke_delegation(*, objective_id: int, by, delegate) -> Objective:
    with transaction.atomic():
        objective = lock_objective(objective_id=objective_id, by=by)
        if not access.is_responsible(by, objective):
            raise errors.Forbidden(errors.DELEGATE_FORBIDDEN)
        name = delegate.get_full_name() or delegate.get_username()
        if not _object_perm(delegate, objective) or access.is_responsible(delegate, objective):
            raise errors.InvalidInput(errors.NOT_DELEGATED.format(who=name))
        remove_perm("workflow.change_objective", delegate, objective)
        audit.record(
            action="permission.revoke",
            by=by,
            obj=objective,
            body_id=objective.plan.body_id,
            data={"code": objective.code, "delegate": delegate.get_username()},
        )
        notify_transition(objective=objective, transition="delegation_revoked", by=by, subject=delegate)
    return objective


def _object_perm(user, objective) -> bool:
    return "change_objective" in get_user_perms(user, objective)
