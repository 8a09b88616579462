"""Small helpers the flow tests share: walking an objective along the approval path through the real
service, the valid input of every transition, and a snapshot of everything a refused call must not touch."""

from __future__ import annotations

import datetime as dt

from approvals.models import AdoptionAct, PublishedRevision, Signature, StepRecord
from audit.models import AuditEntry
from flows.objective_flow import transition_label
from flows.services.transitions import objective_transition
from notifications.models import Notification
from workflow.models import Objective, State

COMMENT = "Nota di prova"

# Input that each transition accepts (a comment everywhere, so the history reason can be checked).
VALID_INPUT = {
    "submit": {"comment": COMMENT},
    "approve": {"comment": COMMENT},
    "return_to_drafting": {"comment": COMMENT},
    "close_consultation": {"early_reason": "Scadenza di adozione imminente", "comment": COMMENT},
    "sign": {"confirm": True, "comment": COMMENT},
    "adopt": {"act_type": "decreto_presidente", "act_number": "12", "act_date": dt.date(2023, 3, 1),
              "comment": COMMENT},
    "transmit": {"receipt_reference": "DFP-2023-0001", "receipt_date": dt.date(2023, 3, 2),
                 "comment": COMMENT},
    "publish": {"published_on": dt.date(2023, 3, 3), "url": "https://trasparenza.example.org/piao/2023",
                "comment": COMMENT},
    "withdraw": {"comment": COMMENT},
    "revise": {"comment": COMMENT},
    "discard_revision": {"comment": COMMENT},
}


def small_pdf(text: str = "") -> bytes:
    """A real one-page PDF, as every PDF field accepts (each parses what it receives), with ``text``
    kept in its document information so two files can differ."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Subject": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


SMALL_PDF = small_pdf()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    """A real image in ``fmt`` (PNG or JPEG), as a screenshot of the portal's receipt would be."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (0, 102, 204)).save(out, format=fmt)
    return out.getvalue()


def pdf_upload(name: str = "atto.pdf", content: bytes = SMALL_PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


# The uploads each transition needs, made fresh for every call (an upload is read once).
VALID_FILES = {
    "adopt": lambda: {"act_file": pdf_upload()},
}


def files_for(name: str) -> dict:
    return VALID_FILES[name]() if name in VALID_FILES else {}


# The normal path: (transition, who). "responsible" stands for the objective's responsible dirigente.
PATH = [
    ("submit", "responsible"),
    ("approve", "segreteria"),
    ("close_consultation", "segreteria"),
    ("sign", "responsible"),
    ("sign", "segretario"),
    ("adopt", "segreteria"),
    ("transmit", "segreteria"),
    ("publish", "segreteria"),
]


def fresh(objective: Objective) -> Objective:
    return Objective.objects.get(pk=objective.pk)


def act(objective, name, by, *, data=None, lock_version="current", files=None, **extra) -> Objective:
    """Apply ``name`` through the real service with the lock version currently stored (unless given),
    with fresh valid uploads where the transition needs one (unless ``files`` says otherwise)."""
    if lock_version == "current":
        lock_version = fresh(objective).lock_version
    payload = VALID_INPUT[name] if data is None else data
    return objective_transition(objective_id=objective.pk, name=name, by=by, lock_version=lock_version,
                                data={**payload, **extra}, files=files_for(name) if files is None else files)


def walk_to(objective, state, people, *, revision_in_progress=False) -> Objective:
    """Move ``objective`` along the normal path until it reaches ``state``.

    With ``revision_in_progress`` the objective is first published, revised and then walked again, so
    ``state`` is reached by revision 2 of an objective that has a published revision 1.
    """
    if revision_in_progress:
        walk_to(objective, State.PUBLISHED, people)
        act(objective, "revise", people["segreteria"])
    for name, who in PATH:
        current = fresh(objective)
        if current.state == state:
            return current
        if name == "sign" and current.state != State.SIGNATURE:
            continue  # the objective moved on with an earlier signature (a person holding both roles)
        user = current.responsible if who == "responsible" else people[who]
        act(objective, name, user)
    current = fresh(objective)
    assert current.state == state, f"could not walk {current.code} to {state}"
    return current


def snapshot(objective) -> dict:
    """Everything a refused call must leave as it was."""
    o = fresh(objective)
    return {
        "state": o.state,
        "lock_version": o.lock_version,
        "revision": o.revision,
        "steps": StepRecord.objects.filter(objective=o).count(),
        "history": Objective.history.filter(id=o.pk).count(),
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
