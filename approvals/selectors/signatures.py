"""Reads over the documents to sign and their signatures."""

from __future__ import annotations

from django.db.models import Q

from workflow.models import SignatureMode, State

from ..models import (
    AdoptionAct,
    Signature,
    SignatureMethod,
    SignedDocument,
    SignedDocumentObjective,
    StoredFile,
)
from .steps import missing_signatures, signer_capacities


def current_document(objective) -> SignedDocument | None:
    """The latest document frozen for the objective's current revision (``None`` before signature)."""
    link = current_links([objective], "document__original", "document__current").get(objective.pk)
    return link.document if link else None


def current_links(objectives, *related: str) -> dict[int, SignedDocumentObjective]:
    """For each of ``objectives`` frozen in a PDF for its current revision, the link to the latest such
    document, read together in one query (``related``: what to read with it, as ``select_related``):
    {objective id: link}. Objectives never frozen for their current revision are left out."""
    if not objectives:
        return {}  # (an empty Q would match every row)
    current = Q()
    for o in objectives:
        current |= Q(objective_id=o.pk, revision=o.revision)
    found: dict[int, SignedDocumentObjective] = {}
    rows = SignedDocumentObjective.objects.filter(current).select_related("document", *related)
    for item in rows.order_by("-document__created_at", "-document_id"):
        found.setdefault(item.objective_id, item)  # the latest first
    return found


def document_file(objective, document_id: int, which: str) -> StoredFile | None:
    """The original or current file of a document that covers ``objective`` (any revision of it)."""
    document = (
        SignedDocument.objects.filter(pk=document_id, items__objective=objective)
        .select_related("original", "current")
        .first()
    )
    if document is None:
        return None
    return {"originale": document.original, "corrente": document.current}.get(which)


def document_objectives(document: SignedDocument):
    return document.items.select_related("objective").order_by("objective__code")


def pades_signatures(document: SignedDocument):
    return (
        Signature.objects.filter(document=document, method=SignatureMethod.PADES)
        .select_related("signer", "objective")
        .order_by("signed_at", "id")
    )


def act_file(objective, act_id: int) -> StoredFile | None:
    """The PDF of an adoption act that covers ``objective``."""
    act = AdoptionAct.objects.filter(pk=act_id, objectives=objective).select_related("file").first()
    return act.file if act and act.file_id else None


def signature_panel(user, objective) -> dict | None:
    """What the objective page shows about the document to sign: the current document of the objective's
    revision, the PAdES signatures on it, whether ``user`` is a signer still expected, the body's mode."""
    document = current_document(objective)
    if document is None:
        return None
    body = objective.plan.body
    pending = objective.state == State.SIGNATURE and bool(
        signer_capacities(objective, user) & missing_signatures(objective)
    )
    return {
        "document": document,
        "codes": [item.objective.code for item in document_objectives(document)],
        "signatures": list(pades_signatures(document)),
        "qualified": body.signature_mode == SignatureMode.QUALIFIED,
        "pending": pending,
    }
