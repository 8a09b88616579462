"""An objective's versions, the differences between two of them, and a plan as it stood at a moment.

Built on the simple-history records (DESIGN.md, "Versions: four words, four things"): one record of the
objective per save is one version. A version's phases and indicators are the rows as they stood at the
moment of its record, read from the rows' own history tables, so deleted rows are still there to compare.
Services save the rows of an operation before the objective, so the objective's record comes last; the
one exception is the creation of an objective with its rows (an import), whose rows follow the creation
record: those are counted in the version they complete (same person, same reason, nothing in between).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst

from workflow.content import INDICATOR, OBJECTIVE, PHASE
from workflow.measures import measure_text
from workflow.models import Indicator, Objective, Phase, Plan, StrategicObjective

# What a version shows and a diff compares, in the order of the objective's page (workflow.content):
# every declared field of the objective, of its phases and of its indicators. A restore writes the content
# fields only: not the workflow (state, revision) nor the responsible.
DECLARED = {Objective: OBJECTIVE, Phase: PHASE, Indicator: INDICATOR}

HISTORY_TYPES = {"+": "creazione", "~": "modifica", "-": "eliminazione"}


@dataclass
class Version:
    record: models.Model  # the HistoricalObjective row
    number: int
    cutoff: dt.datetime = None  # the moment its phases and indicators are read at

    @property
    def history_id(self) -> int:
        return self.record.history_id

    @property
    def date(self) -> dt.datetime:
        return self.record.history_date

    @property
    def label(self) -> str:
        when = formats.date_format(timezone.localtime(self.date), "d/m/Y H:i:s")
        return f"Versione {self.number} del {when}"


def _row_history(objective_id: int) -> dict[type, list]:
    return {
        model: list(model.history.filter(objective_id=objective_id).order_by("history_date", "history_id"))
        for model in (Phase, Indicator)
    }


def _same_hand(a, b) -> bool:
    return (a.history_user_id, a.history_change_reason or "") == (
        b.history_user_id,
        b.history_change_reason or "",
    )


def _cutoffs(versions: list[Version], rows: dict[type, list]) -> None:
    merged = sorted((r for records in rows.values() for r in records), key=lambda r: r.history_date)
    for i, version in enumerate(versions):
        version.cutoff = version.date
        if version.record.history_type != "+":
            continue
        following = versions[i + 1].date if i + 1 < len(versions) else None
        for r in merged:
            if r.history_date <= version.date:
                continue
            if (following is not None and r.history_date >= following) or not _same_hand(r, version.record):
                break
            version.cutoff = r.history_date


def objective_versions(objective_id: int) -> list[Version]:
    """Every version of the objective, oldest first (version 1 is its creation)."""
    records = list(
        Objective.history.filter(id=objective_id)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    versions = [Version(record=r, number=n) for n, r in enumerate(records, start=1)]
    _cutoffs(versions, _row_history(objective_id))
    return versions


def rows_at(records: list, moment: dt.datetime) -> list:
    """The rows as they stood at ``moment``: the last record of each row up to then, unless a deletion;
    in position order."""
    latest = {}
    for r in records:  # ordered by (history_date, history_id)
        if r.history_date <= moment:
            latest[r.id] = r
    alive = [r for r in latest.values() if r.history_type != "-"]
    return sorted(alive, key=lambda r: (r.position, r.id))


@dataclass
class Snapshot:
    """An objective's version: its own record and its rows as they stood."""

    version: Version
    phases: list
    indicators: list


def snapshot(objective_id: int, history_id: int, versions: list[Version] | None = None) -> Snapshot:
    """The version ``history_id`` of the objective; raises LookupError if it is not one of its versions."""
    versions = versions if versions is not None else objective_versions(objective_id)
    version = next((v for v in versions if v.history_id == history_id), None)
    if version is None:
        raise LookupError(history_id)
    rows = _row_history(objective_id)
    return Snapshot(
        version=version,
        phases=rows_at(rows[Phase], version.cutoff),
        indicators=rows_at(rows[Indicator], version.cutoff),
    )


# -- showing values ------------------------------------------------------------------------------------
def _is_long(model, name) -> bool:
    f = model._meta.get_field(name)
    return isinstance(f, models.TextField) or (isinstance(f, models.CharField) and (f.max_length or 0) >= 200)


class _Names:
    """Display names of the strategic objectives and people versions point at (two queries at most)."""

    def __init__(self, records):
        strategic_ids = {getattr(r, "strategic_objective_id", None) for r in records} - {None}
        user_ids = {getattr(r, "responsible_id", None) for r in records} - {None}
        self.strategic = {s.pk: str(s) for s in StrategicObjective.objects.filter(pk__in=strategic_ids)}
        self.users = {
            u.pk: u.get_full_name() or u.get_username()
            for u in get_user_model().objects.filter(pk__in=user_ids)
        }


def display(model, name, record, names: _Names | None = None) -> str:
    f = model._meta.get_field(name)
    if isinstance(f, models.ForeignKey):
        pk = getattr(record, f.attname)
        if pk is None:
            return "—"
        table = names.strategic if f.related_model is StrategicObjective else names.users
        return table.get(pk, f"n. {pk}") if names else f"n. {pk}"
    value = getattr(record, name)
    if value is None or value == "":
        return "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Sì" if value else "No"
    if isinstance(value, dt.date):
        return formats.date_format(value, "d/m/Y")
    if isinstance(value, Decimal):  # "40,00"; a target's further decimals are kept ("0,125")
        return measure_text(value)
    return str(value)


def _comparable(model, name, record):
    f = model._meta.get_field(name)
    return getattr(record, f.attname)


# -- diffs -----------------------------------------------------------------------------------------------
_TOKENS = re.compile(r"\S+\s*|\s+")  # a word with the spaces after it


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """``after`` against ``before`` word by word: a list of (``equal`` | ``delete`` | ``insert``, text),
    adjacent pieces of one kind merged."""
    a, b = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    pieces: list[tuple[str, str]] = []

    def add(kind, tokens):
        text = "".join(tokens)
        if not text:
            return
        if pieces and pieces[-1][0] == kind:
            pieces[-1] = (kind, pieces[-1][1] + text)
        else:
            pieces.append((kind, text))

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            add("equal", a[i1:i2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return pieces


@dataclass
class FieldChange:
    name: str
    label: str
    before: str
    after: str
    words: list[tuple[str, str]] | None = None  # for long texts


@dataclass
class RowChange:
    kind: str  # "added", "removed", "changed"
    label: str
    changes: list[FieldChange] = field(default_factory=list)
    masculine: bool = False  # the row's noun: "indicatore aggiunto", "fase aggiunta"

    @property
    def kind_label(self) -> str:
        word = {"added": "aggiunt", "removed": "eliminat", "changed": "modificat"}[self.kind]
        return word + ("o" if self.masculine else "a")


@dataclass
class ObjectiveDiff:
    older: Version
    newer: Version
    fields: list[FieldChange]
    phases: list[RowChange]
    indicators: list[RowChange]

    @property
    def empty(self) -> bool:
        return not (self.fields or self.phases or self.indicators)


def _field_changes(model, fields, old, new, names: _Names) -> list[FieldChange]:
    changes = []
    for f in fields:
        name = f.name
        if (
            old is not None
            and new is not None
            and _comparable(model, name, old) == _comparable(model, name, new)
        ):
            continue
        before = display(model, name, old, names) if old is not None else "—"
        after = display(model, name, new, names) if new is not None else "—"
        if old is not None and new is not None and before == after:
            continue
        words = None
        if _is_long(model, name) and old is not None and new is not None:
            words = word_diff(getattr(old, name) or "", getattr(new, name) or "")
        changes.append(FieldChange(name, f.label, before, after, words))
    return changes


def _row_label(model, record) -> str:
    noun = capfirst(DECLARED[model].noun)
    text = (record.description or "").strip().replace("\n", " ")
    return f"{noun} «{text[:80]}{'…' if len(text) > 80 else ''}»"


def _row_changes(model, old_rows, new_rows, names) -> list[RowChange]:
    fields = DECLARED[model]
    old = {r.id: r for r in old_rows}
    new = {r.id: r for r in new_rows}
    out = []
    for r in new_rows:
        if r.id not in old:
            values = [
                FieldChange(f.name, f.label, "—", display(model, f.name, r))
                for f in fields
                if display(model, f.name, r) != "—"
            ]
            out.append(RowChange("added", _row_label(model, r), values, fields.masculine))
        else:
            changes = _field_changes(model, fields, old[r.id], r, names)
            if changes:
                out.append(RowChange("changed", _row_label(model, r), changes, fields.masculine))
    for r in old_rows:
        if r.id not in new:
            values = [
                FieldChange(f.name, f.label, display(model, f.name, r), "—")
                for f in fields
                if display(model, f.name, r) != "—"
            ]
            out.append(RowChange("removed", _row_label(model, r), values, fields.masculine))
    return out


def objective_diff(objective_id: int, first: int, second: int) -> ObjectiveDiff:
    """What changed from one version to another (given by history id, in either order)."""
    versions = objective_versions(objective_id)
    a = snapshot(objective_id, first, versions)
    b = snapshot(objective_id, second, versions)
    if (a.version.number) > (b.version.number):
        a, b = b, a
    names = _Names([a.version.record, b.version.record])
    return ObjectiveDiff(
        older=a.version,
        newer=b.version,
        fields=_field_changes(Objective, OBJECTIVE, a.version.record, b.version.record, names),
        phases=_row_changes(Phase, a.phases, b.phases, names),
        indicators=_row_changes(Indicator, a.indicators, b.indicators, names),
    )


def restore_preview(objective_id: int, history_id: int) -> ObjectiveDiff:
    """What restoring version ``history_id`` would change, from the current version to that one: the fields
    a restore writes (the content fields: not the state, the revision nor the responsible), the phases and
    the indicators."""
    versions = objective_versions(objective_id)
    current = snapshot(objective_id, versions[-1].history_id, versions)
    target = snapshot(objective_id, history_id, versions)
    before, after = current.version.record, target.version.record
    names = _Names([before, after])
    return ObjectiveDiff(
        older=current.version,
        newer=target.version,
        fields=_field_changes(Objective, OBJECTIVE.content, before, after, names),
        phases=_row_changes(Phase, current.phases, target.phases, names),
        indicators=_row_changes(Indicator, current.indicators, target.indicators, names),
    )


# -- the plan at a moment ---------------------------------------------------------------------------------
@dataclass
class ObjectiveAsOf:
    record: models.Model
    strategic: str
    responsible: str
    phases: list
    indicators: list
    gone_phases: set[int]
    gone_indicators: set[int]


def _latest(records) -> dict[int, models.Model]:
    latest = {}
    for r in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        latest[r.id] = r
    return {pk: r for pk, r in latest.items() if r.history_type != "-"}


def plan_as_of(plan: Plan, moment: dt.datetime) -> list[ObjectiveAsOf]:
    """Every objective of ``plan`` as it stood at ``moment``, in code order, with its phases and indicators
    (rows deleted since then included, and flagged). Five queries, whatever the moment."""
    objectives = _latest(Objective.history.filter(plan_id=plan.pk, history_date__lte=moment).latest_of_each())
    ids = list(objectives)
    phases = _latest(Phase.history.filter(objective_id__in=ids, history_date__lte=moment).latest_of_each())
    indicators = _latest(
        Indicator.history.filter(objective_id__in=ids, history_date__lte=moment).latest_of_each()
    )
    phases_now = set(Phase.objects.filter(pk__in=list(phases)).values_list("pk", flat=True))
    indicators_now = set(Indicator.objects.filter(pk__in=list(indicators)).values_list("pk", flat=True))
    names = _Names(objectives.values())
    by_objective: dict[int, dict[str, list]] = {pk: {"phases": [], "indicators": []} for pk in ids}
    for r in phases.values():
        by_objective[r.objective_id]["phases"].append(r)
    for r in indicators.values():
        by_objective[r.objective_id]["indicators"].append(r)
    out = []
    for record in sorted(objectives.values(), key=lambda r: r.code):
        rows = by_objective[record.id]
        out.append(
            ObjectiveAsOf(
                record=record,
                strategic=display(Objective, "strategic_objective", record, names),
                responsible=(names.users.get(record.responsible_id) if record.responsible_id else None)
                or record.responsible_name
                or "—",
                phases=sorted(rows["phases"], key=lambda r: (r.position, r.id)),
                indicators=sorted(rows["indicators"], key=lambda r: (r.position, r.id)),
                gone_phases={r.id for r in rows["phases"]} - phases_now,
                gone_indicators={r.id for r in rows["indicators"]} - indicators_now,
            )
        )
    return out
