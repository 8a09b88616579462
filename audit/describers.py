"""One line of the change log per entry: what happened, to what, why. Each action (or a whole family of
actions) has a small describer that reads the entry's data; an action without one shows only its label.

Entries are never rewritten, so a describer reads every shape its action was ever recorded with (a change
of value: ``from``/``to``, older entries ``da``/``a``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from workflow.models import (
    Body,
    MeasurementSystem,
    Objective,
    RelazioneState,
    ReportState,
    Role,
    State,
    Transition,
)

from . import actions
from .models import AuditEntry


@dataclass(frozen=True)
class Description:
    details: str = ""
    reason: str = ""
    highlighted: bool = False  # pointed out to the auditors ("Da verificare")


# A describer reads an entry's data and, for a transition, the approvals step record it points to (or None).
Describer = Callable[[dict, Any], Description]

# Keyed by action code, or by a family as the filter names it (``transition.``): the action's own first.
DESCRIBERS: dict[str, Describer] = {}


def describes(*keys: str):
    def register(describer: Describer) -> Describer:
        for key in keys:
            DESCRIBERS[key] = describer
        return describer

    return register


def describer_for(action: str) -> Describer | None:
    return DESCRIBERS.get(action) or DESCRIBERS.get(f"{actions.family_of(action)}.")


# -- reading values ----------------------------------------------------------------------------------------
def change(value: dict) -> tuple[Any, Any]:
    """The old and the new value of a change: ``{"from": …, "to": …}``, or ``da``/``a`` in older entries."""
    if "from" in value or "to" in value:
        return value.get("from"), value.get("to")
    return value.get("da"), value.get("a")


def _state(code) -> str:
    try:
        return State(code).label
    except ValueError:
        return code or "—"


def _transition(name) -> str:
    return Transition(name).label if name in Transition.values else name


def _field_names(model, names) -> str:
    labels = []
    for n in names or []:
        try:
            labels.append(str(model._meta.get_field(n).verbose_name))
        except Exception:  # noqa: BLE001 - a field removed since the entry was written
            labels.append(n)
    return ", ".join(labels)


def _setting(name, value) -> str:
    """A body setting's value as its page shows it: a choice by its label."""
    if value in (None, ""):
        return "—"
    try:
        choices = dict(Body._meta.get_field(name).flatchoices)
    except Exception:  # noqa: BLE001 - a setting removed since the entry was written
        choices = {}
    return str(choices.get(value, value))


def _codes(objectives) -> str:
    """Objective codes as recorded: plain codes, or [code, revision] pairs (transmissions)."""
    return ", ".join(
        f"{o[0]} (revisione {o[1]})" if isinstance(o, list | tuple) and len(o) == 2 else str(o)
        for o in objectives or []
    )


# -- the describers ----------------------------------------------------------------------------------------
@describes("transition.")
def _a_transition(data, step):
    reason = data.get("comment") or ""
    highlighted = False
    if step is not None:
        early = (step.data or {}).get("early_reason")
        if early:
            reason = f"{reason} · Chiusura anticipata: {early}" if reason else f"Chiusura anticipata: {early}"
        highlighted = step.highlighted
    source, target = change(data)
    return Description(f"{_state(source)} → {_state(target)}", reason, highlighted)


@describes("batch_transition")
def _a_batch(data, step):
    n = len(data.get("objectives") or [])
    count = ngettext("%(n)d obiettivo", "%(n)d obiettivi", n) % {"n": n}
    return Description(f"{_transition(data.get('transition', ''))}: {count}")


@describes("objective.create")
def _objective_created(data, step):
    return Description(data.get("title", ""))


@describes("objective.update")
def _objective_updated(data, step):
    parts = []
    if data.get("fields"):
        parts.append(f"campi: {_field_names(Objective, data['fields'])}")
    if data.get("rows_changed"):
        parts.append(f"fasi e indicatori cambiati: {data['rows_changed']}")
    return Description("; ".join(parts), data.get("note") or "")


@describes("objective.restore")
def _objective_restored(data, step):
    return Description(f"ripristinata la versione {data.get('version')}", data.get("reason") or "")


@describes("permission.delegate", "permission.revoke")
def _delegation(data, step):
    return Description(f"funzionario: {data.get('delegate', '')}")


@describes("permission.responsible")
def _responsible(data, step):
    old, new = change(data)
    return Description(f"da {old or '—'} a {new or '—'}")


@describes("permission.role_grant", "permission.role_revoke")
def _role(data, step):
    role = data.get("role", "")
    role_label = Role(role).label if role in Role.values else role
    return Description(f"{data.get('user', '')}: {role_label}")


@describes("plan.create", "strategic_objective.create")
def _plan_created(data, step):
    return Description(str(data.get("code") or data.get("year") or ""))


@describes("plan.deadline")
def _deadline(data, step):
    old, new = change(data)
    return Description(f"da {old or '31 gennaio'} a {new or '31 gennaio'}")


@describes("plan.import")
def _plan_imported(data, step):
    details = (
        f"creati {len(data.get('created') or [])}, aggiornati {len(data.get('updated') or [])}, "
        f"conflitti {len(data.get('conflicts') or [])}"
    )
    return Description(details, f"file «{data['source']}»" if data.get("source") else "")


@describes("plan.export", "audit.export")
def _exported(data, step):
    return Description(f"formato {data.get('format', '')}")


@describes("consultation.observation", "consultation.answer", "consultation.request")
def _consultation_text(data, step):
    details = f"obiettivi {', '.join(data['objectives'])}" if data.get("objectives") else ""
    return Description(details, data.get("text") or "")


@describes("consultation.information")
def _information(data, step):
    recipients = ", ".join(data.get("recipients") or []) or "nessuno"
    return Description(f"obiettivi {', '.join(data.get('objectives') or [])}; destinatari: {recipients}")


@describes("consultation.meeting")
def _meeting(data, step):
    held_on = str(data.get("held_on", ""))[:10]
    return Description(f"incontro del {held_on}; partecipanti: {data.get('participants', '')}")


@describes("signature.")
def _signature(data, step):
    parts = [f"obiettivi {_codes(data['objectives'])}"] if data.get("objectives") else []
    if data.get("certificate_subject"):
        parts.append(f"firmatario: {data['certificate_subject']}")
    return Description("; ".join(parts))


@describes("transmission.")
def _transmission(data, step):
    parts = [f"obiettivi {_codes(data['objectives'])}"] if data.get("objectives") else []
    if data.get("attempt"):
        outcome = f": {data['outcome']}" if data.get("outcome") else ""
        parts.append(f"tentativo {data['attempt']}{outcome}")
    if data.get("receipt_reference"):
        parts.append(f"ricevuta {data['receipt_reference']}")
    return Description("; ".join(parts))


@describes("body.create")
def _body_created(data, step):
    return Description(data.get("name", ""))


@describes("body.settings")
def _body_settings(data, step):
    parts = []
    for name, value in (data.get("settings") or {}).items():
        old, new = change(value)
        parts.append(f"{_field_names(Body, [name])}: {_setting(name, old)} → {_setting(name, new)}")
    for username, value in (data.get("fiscal_codes") or {}).items():
        old, new = change(value)
        parts.append(f"codice fiscale di {username}: {old or '—'} → {new or '—'}")
    return Description("; ".join(parts))


@describes("body.seal")
def _body_seal(data, step):
    return Description(
        f"titolare {data.get('subject', '')}, emesso da {data.get('issuer', '')}, valido fino al "
        f"{data.get('not_after', '')[:10]}, impronta {data.get('fingerprint', '')[:16]}…"
    )


@describes("body.seal_remove")
def _body_seal_removed(data, step):
    return Description(f"titolare {data.get('subject', '')}")


@describes("auth.")
def _access(data, step):
    return Description(f"indirizzo {data['ip']}" if data.get("ip") else "")


@describes("auth.login_failed")
def _login_failed(data, step):
    return Description(f"nome utente provato: «{data.get('username', '')}»")


@describes("auth.unlock")
def _unlock(data, step):
    return Description(f"nome utente: «{data.get('username', '')}»", data.get("reason") or "")


# -- the monitoring ----------------------------------------------------------------------------------------
def _report_state(code) -> str:
    try:
        return ReportState(code).label
    except ValueError:
        return code or "—"


@describes("report.")
def _a_report_step(data, step):
    """A step of a progress report (its step record is not the approval path's: ``step`` is not read)."""
    source, target = change(data)
    return Description(f"{_report_state(source)} → {_report_state(target)}", data.get("comment") or "")


@describes("report.update")
def _report_values(data, step):
    changed = data.get("changed") or {}
    parts = []
    if changed.get("phases"):
        n = len(changed["phases"])
        parts.append(ngettext("%(n)d fase", "%(n)d fasi", n) % {"n": n})
    if changed.get("indicators"):
        n = len(changed["indicators"])
        parts.append(ngettext("%(n)d indicatore", "%(n)d indicatori", n) % {"n": n})
    if changed.get("report"):
        parts.append("scostamenti e azioni correttive")
    return Description("valori salvati: " + ", ".join(parts) if parts else "")


@describes("report.evidence_add", "report.evidence_withdraw")
def _report_evidence(data, step):
    return Description(f"«{data.get('name', '')}» SHA-256 {str(data.get('sha256', ''))[:12]}…".strip())


@describes("report.open")
def _reports_opened(data, step):
    n = len(data.get("objectives") or [])
    count = ngettext("%(n)d rendicontazione", "%(n)d rendicontazioni", n) % {"n": n}
    return Description(f"{data.get('name', '')}: {count}")


@describes("report.period_save", "report.period_delete")
def _period(data, step):
    periods = data.get("periods") or [data.get("after") or data]
    return Description(
        "; ".join(
            f"{p.get('name', '')} al {p.get('reference_date', '')}, scadenza {p.get('due_date', '')}"
            for p in periods
            if isinstance(p, dict)
        )
    )


@describes("report.measurement_system")
def _smvp(data, step):
    before, after = data.get("before") or {}, data.get("after") or {}
    changes = [
        f"{_field_names(MeasurementSystem, [k])}: {before.get(k)} → {v}"
        for k, v in after.items()
        if before.get(k) != v
    ]
    return Description("; ".join(changes))


# -- the Relazione sulla performance ---------------------------------------------------------------------
def _relazione_state(code) -> str:
    try:
        return RelazioneState(code).label
    except ValueError:
        return code or "—"


@describes("relazione.")
def _a_relazione_step(data, step):
    """A step of a Relazione (its step record is not the approval path's: ``step`` is not read)."""
    source, target = change(data)
    details = f"{_relazione_state(source)} → {_relazione_state(target)}"
    if data.get("outcome_label"):
        details += f" ({data['outcome_label']})"
    return Description(details, data.get("comment") or "")


@describes("relazione.create")
def _relazione_created(data, step):
    return Description(f"versione {data.get('version', '')}", data.get("reason") or "")


@describes("relazione.update")
def _relazione_texts(data, step):
    changed = data.get("changed") or []
    labels = {"presentation": "presentazione", "context": "contesto"}
    return Description("testi salvati: " + ", ".join(labels.get(c, c) for c in changed) if changed else "")


@describes("relazione.deadline")
def _relazione_deadline(data, step):
    source, target = change(data)
    return Description(f"{source or 'predefinita'} → {target or 'predefinita'}")


# -- one row -----------------------------------------------------------------------------------------------
def _object(entry: AuditEntry, data: dict) -> tuple[str, str]:
    if entry.object_type == "workflow.objective":
        label = data.get("code") or f"obiettivo n. {entry.object_id}"
        return label, reverse("audit:versions", args=[entry.object_id])
    if entry.object_type == "workflow.progressreport":
        return (data.get("code") or f"rendicontazione n. {entry.object_id}"), ""
    if entry.object_type == "workflow.relazione":
        return (data.get("code") or f"Relazione n. {entry.object_id}"), ""
    if entry.object_type == "workflow.plan":
        return (f"piano {data.get('year')}" if data.get("year") else "piano"), ""
    if entry.object_type == "auth.user":
        return data.get("username") or entry.actor_name, ""
    return "", ""


def step_id(entry: AuditEntry) -> int | None:
    """The approvals step record a transition's entry points to."""
    data = entry.payload.get("data")
    return data.get("step") if isinstance(data, dict) else None


def describe(entry: AuditEntry, steps: dict[int, Any]) -> dict:
    """One row of the change log; ``steps``: the approvals step records of the page, by id."""
    data = entry.payload.get("data", {}) or {}
    describer = describer_for(entry.action)
    step = steps.get(data.get("step")) if data.get("step") else None
    description = describer(data, step) if describer else Description()
    object_label, object_url = _object(entry, data)
    return {
        "entry": entry,
        "action_label": actions.label(entry.action),
        "object_label": object_label,
        "object_url": object_url,
        "reason": description.reason,
        "details": description.details,
        "highlighted": description.highlighted,
    }
