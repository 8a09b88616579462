"""What the HTTP-level tests share: the POST data of every transition and of the edit form, walking an
objective to a state through the real services, and a snapshot of what a refused request must not touch."""

from __future__ import annotations

import html
import re

from django.urls import reverse

from approvals.models import StepRecord
from audit.models import AuditEntry
from notifications.models import Notification
from tests import helpers
from tests.helpers import fresh
from workflow.models import Indicator, Objective, Phase, State

# What a person types in each transition's form (the same strings the page would post).
FORM_DATA = {
    "submit": {"comment": "Pronto per la revisione"},
    "approve": {"comment": "Contenuti coerenti con il DUP"},
    "return_to_drafting": {"comment": "Manca l'indicatore di efficienza"},
    "close_consultation": {"early_reason": "Scadenza di adozione imminente", "comment": ""},
    "sign": {"confirm": "on", "comment": ""},
    "adopt": {"act_type": "decreto_presidente", "act_number": "12", "act_date": "2023-03-01", "comment": ""},
    "transmit": {"receipt_reference": "DFP-2023-0001", "receipt_date": "2023-03-02", "comment": ""},
    "publish": {"published_on": "2023-03-03", "url": "https://trasparenza.example.org/piao/2023",
                "comment": ""},
    "withdraw": {"comment": "Obiettivo superato dalla riorganizzazione"},
    "revise": {"comment": "Aggiornamento dei tempi"},
    "discard_revision": {"comment": "Revisione non più necessaria"},
}

# Where each transition leaves an objective that starts from its usual source state (a first signature
# leaves it in signature: the other required signer is still missing).
TARGET = {
    "submit": State.SUBMITTED,
    "approve": State.UNION_CONSULTATION,
    "return_to_drafting": State.DRAFTING,
    "close_consultation": State.SIGNATURE,
    "sign": State.SIGNATURE,
    "adopt": State.TRANSMISSION,
    "transmit": State.PUBLICATION,
    "publish": State.PUBLISHED,
    "withdraw": State.WITHDRAWN,
    "revise": State.DRAFTING,
    "discard_revision": State.PUBLISHED,
}

REVISION_IN_PROGRESS = "revision_in_progress"  # drafting, revision 2 of a published objective


def act(objective, name, by, **data) -> Objective:
    """Apply ``name`` through the real transition service with what its form would post."""
    return helpers.act(objective, name, by, data={**FORM_DATA[name], **data})


def walk_to(objective, state, people) -> Objective:
    """Move ``objective`` along the normal path until it is in ``state`` (or REVISION_IN_PROGRESS)."""
    if state == REVISION_IN_PROGRESS:
        return helpers.walk_to(objective, State.DRAFTING, people, revision_in_progress=True)
    return helpers.walk_to(objective, state, people)


def snapshot(objective) -> dict:
    """What a refused or invalid request must leave exactly as it was."""
    o = fresh(objective)
    return {
        "state": o.state,
        "lock_version": o.lock_version,
        "revision": o.revision,
        "title": o.title,
        "steps": StepRecord.objects.filter(objective=o).count(),
        "history": Objective.history.filter(id=o.pk).count(),
        "phases": list(Phase.objects.filter(objective=o).order_by("pk").values_list(
            "pk", "description", "start", "end", "weight")),
        "phase_history": Phase.history.filter(objective_id=o.pk).count(),
        "audit": AuditEntry.objects.count(),
        "notifications": Notification.objects.count(),
    }


def transition_url(objective, name) -> str:
    return reverse("workflow:objective_transition", args=[objective.pk, name])


def detail_url(objective) -> str:
    return reverse("workflow:objective_detail", args=[objective.pk])


def edit_url(objective) -> str:
    return reverse("workflow:objective_edit", args=[objective.pk])


def form_data(name) -> dict:
    """What the action form of ``name`` posts, with fresh uploads where it needs one."""
    return {**FORM_DATA[name], **helpers.files_for(name)}


def transition_post(objective, name, **overrides) -> dict:
    """The POST of the action form on the detail page, with the lock version the page showed."""
    return {"lock_version": fresh(objective).lock_version, **form_data(name), **overrides}


def _value(v) -> str:
    if v is None:
        return ""
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def edit_post(objective, **overrides) -> dict:
    """The POST of the edit page as a browser sends it, unchanged unless ``overrides`` say otherwise."""
    o = fresh(objective)
    data = {
        "lock_version": o.lock_version, "title": o.title,
        "strategic_objective": _value(o.strategic_objective_id),
        "weight": _value(o.weight), "kind": o.kind, "purpose": o.purpose, "motivation": o.motivation,
        "baseline_and_target": o.baseline_and_target, "beneficiaries": o.beneficiaries, "actions": o.actions,
        "note": "",
    }
    if o.transversal:
        data["transversal"] = "on"
    phase_fields = ("description", "weight", "start", "end", "responsibility_center", "notes")
    rows = {
        "fasi": (list(o.phases.all()), phase_fields),
        "indicatori": (list(o.indicators.all()), ("description", "kind", "expected", "notes")),
    }
    for prefix, (items, fields) in rows.items():
        data.update({f"{prefix}-TOTAL_FORMS": str(len(items) + 1), f"{prefix}-INITIAL_FORMS": str(len(items)),
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
        for i, item in enumerate(items):
            data[f"{prefix}-{i}-id"] = str(item.pk)
            data[f"{prefix}-{i}-objective"] = str(o.pk)
            for f in fields:
                data[f"{prefix}-{i}-{f}"] = _value(getattr(item, f))
        # The blank extra row, as rendered: empty but for the model's defaults (an indicator's kind).
        data[f"{prefix}-{len(items)}-objective"] = str(o.pk)
        model = (Phase if prefix == "fasi" else Indicator)
        for f in fields:
            data[f"{prefix}-{len(items)}-{f}"] = _value(model._meta.get_field(f).get_default())
    data.update({k: _value(v) for k, v in overrides.items()})
    return data


def text(response) -> str:
    """The page as a reader sees its characters (entities such as &#x27; turned back into quotes)."""
    return html.unescape(response.content.decode())


def block(page: str, testid: str) -> str:
    """The HTML of the element carrying ``data-testid=testid`` (up to the end of its tag name's element)."""
    m = re.search(rf'<(\w+)[^>]*data-testid="{re.escape(testid)}"', page)
    assert m, f"no element with data-testid={testid}"
    tag = m.group(1)
    end = page.find(f"</{tag}>", m.end())
    assert end != -1
    return page[m.start():end]
