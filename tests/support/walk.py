"""Walking an objective along the approval path through the real service: the valid input of every
transition (the one table, keyed by transition), ``act``, ``walk_to`` and a ``snapshot`` of everything a
refused call or request must not touch."""

from __future__ import annotations

import datetime as dt

from approvals.models import AdoptionAct, PublishedRevision, Signature, StepRecord
from audit.models import AuditEntry
from flows.objective_flow import transition_label
from flows.services.transitions import objective_transition
from notifications.models import Notification
from workflow.models import Objective, Phase, State, Transition

from .files import pdf_upload

COMMENT = "Nota di prova"

# Input that each transition accepts (a comment everywhere, so the history reason can be checked). The
# pages post the same values as text (tests.support.pages.FORM_DATA).
VALID_INPUT = {
    Transition.SUBMIT: {"comment": COMMENT},
    Transition.APPROVE: {"comment": COMMENT},
    Transition.RETURN_TO_DRAFTING: {"comment": COMMENT},
    Transition.CLOSE_CONSULTATION: {"early_reason": "Scadenza di adozione imminente", "comment": COMMENT},
    Transition.SIGN: {"confirm": True, "comment": COMMENT},
    Transition.ADOPT: {"act_type": "decreto_presidente", "act_number": "12", "act_date": dt.date(2023, 3, 1),
                       "comment": COMMENT},
    Transition.TRANSMIT: {"receipt_reference": "DFP-2023-0001", "receipt_date": dt.date(2023, 3, 2),
                          "comment": COMMENT},
    Transition.PUBLISH: {"published_on": dt.date(2023, 3, 3), "url": "https://trasparenza.example.org/piao/2023",
                         "comment": COMMENT},
    Transition.WITHDRAW: {"comment": COMMENT},
    Transition.REVISE: {"comment": COMMENT},
    Transition.DISCARD_REVISION: {"comment": COMMENT},
}

# The uploads each transition needs, made fresh for every call (an upload is read once).
VALID_FILES = {
    Transition.ADOPT: lambda: {"act_file": pdf_upload()},
}

# Where each transition leaves an objective that starts from its usual source state (a first signature
# leaves it in signature: the other required signer is still missing).
TARGET = {
    Transition.SUBMIT: State.SUBMITTED,
    Transition.APPROVE: State.UNION_CONSULTATION,
    Transition.RETURN_TO_DRAFTING: State.DRAFTING,
    Transition.CLOSE_CONSULTATION: State.SIGNATURE,
    Transition.SIGN: State.SIGNATURE,
    Transition.ADOPT: State.TRANSMISSION,
    Transition.TRANSMIT: State.PUBLICATION,
    Transition.PUBLISH: State.PUBLISHED,
    Transition.WITHDRAW: State.WITHDRAWN,
    Transition.REVISE: State.DRAFTING,
    Transition.DISCARD_REVISION: State.PUBLISHED,
}

assert set(VALID_INPUT) == set(TARGET) == set(Transition), "every transition needs its valid input and target"


def files_for(name: str) -> dict:
    return VALID_FILES[name]() if name in VALID_FILES else {}


# The normal path: (transition, who). "responsible" stands for the objective's responsible dirigente.
PATH = [
    (Transition.SUBMIT, "responsible"),
    (Transition.APPROVE, "segreteria"),
    (Transition.CLOSE_CONSULTATION, "segreteria"),
    (Transition.SIGN, "responsible"),
    (Transition.SIGN, "segretario"),
    (Transition.ADOPT, "segreteria"),
    (Transition.TRANSMIT, "segreteria"),
    (Transition.PUBLISH, "segreteria"),
]

# The state each step of the normal path starts from.
PATH_SOURCE = {
    Transition.SUBMIT: State.DRAFTING,
    Transition.APPROVE: State.SUBMITTED,
    Transition.CLOSE_CONSULTATION: State.UNION_CONSULTATION,
    Transition.SIGN: State.SIGNATURE,
    Transition.ADOPT: State.DELIBERATION,
    Transition.TRANSMIT: State.TRANSMISSION,
    Transition.PUBLISH: State.PUBLICATION,
}

REVISION_IN_PROGRESS = "revision_in_progress"  # drafting, revision 2 of a published objective


def fresh(objective: Objective) -> Objective:
    return Objective.objects.get(pk=objective.pk)


def act(objective, name, by, *, data=None, lock_version="current", files=None, **extra) -> Objective:
    """Apply ``name`` through the real service with the lock version currently stored (unless given),
    with its valid input (unless ``data`` replaces it; keyword ``extra`` overrides single fields) and
    fresh valid uploads where the transition needs one (unless ``files`` says otherwise)."""
    if lock_version == "current":
        lock_version = fresh(objective).lock_version
    payload = VALID_INPUT[name] if data is None else data
    return objective_transition(objective_id=objective.pk, name=name, by=by, lock_version=lock_version,
                                data={**payload, **extra}, files=files_for(name) if files is None else files)


def walk_to(objective, state, people, *, revision_in_progress=False) -> Objective:
    """Move ``objective`` along the normal path, from wherever it stands on it, until it reaches ``state``.

    With ``revision_in_progress`` (or ``state`` given as REVISION_IN_PROGRESS, which means drafting) the
    objective is first published, revised and then walked again, so ``state`` is reached by revision 2 of
    an objective that has a published revision 1.
    """
    if state == REVISION_IN_PROGRESS:
        state, revision_in_progress = State.DRAFTING, True
    if revision_in_progress:
        walk_to(objective, State.PUBLISHED, people)
        act(objective, Transition.REVISE, people["segreteria"])
    for name, who in PATH:
        current = fresh(objective)
        if current.state == state:
            return current
        if current.state != PATH_SOURCE[name]:
            # already past this step (an objective walked part of the way, or moved on with an earlier
            # signature of a person holding both roles)
            continue
        user = current.responsible if who == "responsible" else people[who]
        act(objective, name, user)
    current = fresh(objective)
    assert current.state == state, f"could not walk {current.code} to {state}"
    return current


def snapshot(objective) -> dict:
    """Everything a refused call or an invalid request must leave exactly as it was."""
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
        "signatures": list(Signature.objects.filter(objective=o).values_list("pk", "voided_at")),
        "acts": AdoptionAct.objects.count(),
        "publications": PublishedRevision.objects.filter(objective=o).count(),
        "audit": AuditEntry.objects.count(),
        "notifications": Notification.objects.count(),
    }


def last_history(objective):
    return Objective.history.filter(id=objective.pk).order_by("-history_id").first()


def last_step(objective) -> StepRecord | None:
    return StepRecord.objects.filter(objective=objective).order_by("-id").first()


def reason(name: str, comment: str = COMMENT) -> str:
    """The history change reason the transition service writes."""
    label = transition_label(name)
    return f"{label}: {comment}" if comment else label
