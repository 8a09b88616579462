"""Writing the approvals records. Called by flows/ inside the transition's transaction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.utils import timezone

from workflow.export import objective_as_dict

from .. import attestation, seal
from ..models import (
    AdoptionAct,
    BodySeal,
    PublishedRevision,
    Signature,
    SignatureMethod,
    StepRecord,
    StoredFile,
)
from ..selectors.signatures import current_links
from ..selectors.steps import signer_capacities
from ..selectors.transmission import latest_transmissions
from .files import stored_file_create


def step_record(
    *, objective, transition, source, target, by, at, comment="", data=None, batch=None, highlighted=False
) -> StepRecord:
    return StepRecord.objects.create(
        objective=objective,
        transition=transition,
        source=source,
        target=target,
        by=by,
        at=at,
        revision=objective.revision,
        comment=comment,
        data=data or {},
        batch=batch,
        highlighted=highlighted,
    )


def step_records(items: list[tuple]) -> list[StepRecord]:
    """The step records of many objectives moved together, in one statement: ``items`` are (objective,
    the keyword arguments of ``step_record``), the records returned in the same order with their ids."""
    return StepRecord.objects.bulk_create(
        StepRecord(
            objective=objective,
            transition=kwargs["transition"],
            source=kwargs["source"],
            target=kwargs["target"],
            by=kwargs["by"],
            at=kwargs["at"],
            revision=objective.revision,
            comment=kwargs.get("comment", ""),
            data=kwargs.get("data") or {},
            batch=kwargs.get("batch"),
            highlighted=kwargs.get("highlighted", False),
        )
        for objective, kwargs in items
    )


def signature_record(*, objective, signer, step, method=SignatureMethod.LOGIN, **pades) -> Signature:
    """``pades``: for a signature by upload, the document, the accepted file and the certificate_* fields."""
    return Signature.objects.create(
        objective=objective,
        revision=objective.revision,
        signer=signer,
        capacities=sorted(signer_capacities(objective, signer)),
        method=method,
        signed_at=step.at,
        step=step,
        **pades,
    )


def signatures_void(*, objective, step) -> int:
    """Void the signatures given so far to the work in progress (they are kept, marked void, for the
    record). The signatures of a published revision stay valid: that revision is still the public one."""
    n = 0
    published = PublishedRevision.objects.filter(objective=objective).values("revision")
    for signature in Signature.objects.filter(objective=objective, voided_at__isnull=True).exclude(
        revision__in=published
    ):
        signature.voided_at = timezone.now()
        signature.voided_by_step = step
        signature.save(update_fields=["voided_at", "voided_by_step"])
        n += 1
    return n


def act_create(*, body_id, act_type, number, date, by, file_name="", file_content=None) -> AdoptionAct:
    """The act, with its PDF stored once (one act may cover a whole batch)."""
    stored = (
        stored_file_create(name=file_name or "atto.pdf", content=file_content, by=by)
        if file_content
        else None
    )
    return AdoptionAct.objects.create(
        body_id=body_id, act_type=act_type, number=number, date=date, created_by=by, file=stored
    )


def _strategic_snapshot(objective) -> dict:
    s = objective.strategic_objective
    return {"code": s.code, "title": s.title, "purposes": list(s.purposes)} if s else {}


def publication_records(items: list[tuple], *, published_on, url, prepared=None) -> list[PublishedRevision]:
    """What is published of the revisions of the objectives of one call: ``items`` are (objective, its
    publish step record). Their records are read together, whatever their number: the act and the receipt
    of the steps that led there, their transmissions, the PDF signed for each revision, their content.
    The file published for a document is made once and shared by its objectives; ``prepared`` holds
    attestation pages rendered before the transaction (``publication_prerender``), used when they
    print what would be printed now."""
    objectives = [objective for objective, _step in items]
    ids = [o.pk for o in objectives]
    # The act and the receipt of the steps that led here, not the act with the latest date: an act adopting
    # revision 2 may bear an earlier date than the one that adopted revision 1.
    last: dict[tuple[int, str], StepRecord] = {}
    for record in StepRecord.objects.filter(
        objective_id__in=ids, transition__in=["adopt", "transmit"]
    ).order_by("-at", "-id"):
        last.setdefault((record.objective_id, record.transition), record)
    act_ids = {r.data.get("act_id") for (_pk, t), r in last.items() if t == "adopt"} - {None}
    acts = AdoptionAct.objects.in_bulk(sorted(act_ids)) if act_ids else {}
    transmissions = latest_transmissions(objectives)
    frozen = _current_items(objectives)
    unsigned = [o.pk for o in objectives if o.pk not in frozen]
    loose: dict[tuple[int, int], list] = {}
    if unsigned:
        rows = Signature.objects.filter(objective_id__in=unsigned, voided_at__isnull=True).select_related(
            "signer"
        )
        for signature in rows.order_by("signed_at", "id"):
            loose.setdefault((signature.objective_id, signature.revision), []).append(signature)
    prefetch_related_objects(objectives, "phases", "indicators", "dup_links")
    made: dict = {}  # the file published for each document, made once
    records = []
    for objective, step in items:
        adopt, transmit = last.get((objective.pk, "adopt")), last.get((objective.pk, "transmit"))
        act = acts.get(adopt.data.get("act_id")) if adopt else None
        receipt = transmit.data if transmit else {}
        sent = transmissions.get(objective.pk)
        if not receipt.get("receipt_reference") and sent is not None and sent.receipt_reference:
            # sent through an intermediary: the receipt is the one its answer carried
            receipt = {"receipt_reference": sent.receipt_reference, "receipt_date": sent.receipt_date}
        # The PDF signed for this very revision (the last document frozen for it, with its signatures).
        item = frozen.get(objective.pk)
        published = None
        if item is not None:
            published = _published_document(
                item.document, objective, by=step.by, made=made, prepared=prepared
            )
            signatures = published.signatures.get((objective.pk, objective.revision), [])
        else:
            signatures = loose.get((objective.pk, objective.revision), [])
        records.append(
            PublishedRevision(
                objective=objective,
                revision=objective.revision,
                content=objective_as_dict(objective),
                adoption_act=act,
                receipt_reference=receipt.get("receipt_reference", ""),
                receipt_date=receipt.get("receipt_date"),
                signed_pdf_id=published.file.pk if published else None,
                signers=attestation.signer_rows(signatures),
                attestation=bool(published and published.attested),
                seal_subject=published.sealed_by if published else "",
                strategic=_strategic_snapshot(objective),
                published_on=published_on,
                url=url,
                step=step,
            )
        )
    return PublishedRevision.objects.bulk_create(records)


@dataclass
class _Published:
    file: StoredFile
    attested: bool
    sealed_by: str
    signatures: dict  # (objective id, revision) -> its valid signatures, for every objective of the document


SEAL_REASON = "Sigillo elettronico dell'ente sul documento pubblicato"


def _current_items(objectives) -> dict:
    """The link to the PDF frozen for each objective's current revision (the last one, with its
    signatures), for those of ``objectives`` that have one: {objective id: link}."""
    return current_links(objectives, "document__original")


def _document_signatures(document) -> tuple[list, dict, bool]:
    """The document's objectives, their valid signatures by (objective id, revision), and whether any of
    those is digital (then the file is published as signed)."""
    entries = list(document.items.select_related("objective").order_by("objective__code"))
    signed: dict[tuple[int, int], list] = {}
    rows = Signature.objects.filter(
        objective_id__in=[e.objective_id for e in entries], voided_at__isnull=True
    ).select_related("signer")
    for signature in rows.order_by("signed_at", "id"):
        signed.setdefault((signature.objective_id, signature.revision), []).append(signature)
    revisions = {(e.objective_id, e.revision) for e in entries}
    digital = any(s.method == SignatureMethod.PADES for key in revisions for s in signed.get(key, []))
    return entries, signed, digital


def _attestation_of(document, plan, entries, signed, now) -> tuple[list[dict], BodySeal | None, str]:
    """What the attestation page prints (its items), the body's seal in force, and the key of the page."""
    # an expired seal would make a signature no verifier accepts: the attestation goes out alone
    body_seal = BodySeal.objects.filter(body=plan.body, not_after__gt=now).first()
    items = [
        {
            "code": e.objective.code,
            "title": e.objective.title,
            "revision": e.revision,
            "signers": attestation.signer_rows(signed.get((e.objective_id, e.revision), [])),
        }
        for e in entries
    ]
    sealed_by = body_seal.subject if body_seal else ""
    printed = {"document": document.pk, "plan": plan.pk, "items": items, "sealed_by": sealed_by}
    key = hashlib.sha256(json.dumps(printed, sort_keys=True, default=str).encode()).hexdigest()
    return items, body_seal, key


def publication_prerender(objectives) -> dict[str, bytes]:
    """The attestation pages a publication of ``objectives`` will append, rendered before its transaction
    (no lock is held while WeasyPrint works), keyed by what they print."""
    pages: dict[str, bytes] = {}
    seen = set()
    now = timezone.now()
    frozen = _current_items(objectives)
    for objective in objectives:
        item = frozen.get(objective.pk)
        if item is None or item.document_id in seen:
            continue
        seen.add(item.document_id)
        document = item.document
        entries, signed, digital = _document_signatures(document)
        if digital:
            continue
        plan = objective.plan
        items, body_seal, key = _attestation_of(document, plan, entries, signed, now)
        pages[key] = attestation.attestation_pdf(
            body=plan.body,
            plan=plan,
            document=document,
            items=items,
            sealed_by=body_seal.subject if body_seal else "",
            generated_at=now,
        )
    return pages


def _published_document(document, objective, *, by, made: dict, prepared=None) -> _Published:
    """The file published for ``document``: as signed when it carries digital signatures; otherwise the
    frozen PDF with the "Attestazione delle approvazioni" as its last page, sealed with the body's seal
    when one is configured. Made once per document in a publication of many objectives (``made``, by
    document id)."""
    if document.pk not in made:
        entries, signed, digital = _document_signatures(document)
        if digital:
            made[document.pk] = _Published(
                file=document.current, attested=False, sealed_by="", signatures=signed
            )
        else:
            made[document.pk] = _attested(document, objective, entries, signed, by=by, prepared=prepared)
    return made[document.pk]


def _attested(document, objective, entries, signed, *, by, prepared=None) -> _Published:
    plan = objective.plan
    body = plan.body
    now = timezone.now()
    items, body_seal, key = _attestation_of(document, plan, entries, signed, now)
    sealed_by = body_seal.subject if body_seal else ""
    page = (prepared or {}).get(key)
    if page is None:  # not rendered before the transaction, or what it prints changed since
        page = attestation.attestation_pdf(
            body=body, plan=plan, document=document, items=items, sealed_by=sealed_by, generated_at=now
        )
    content = attestation.append_pages(bytes(document.original.content), page)
    if body_seal is not None:
        content = seal.seal_pdf(
            content,
            certificates_pem=body_seal.certificates,
            encrypted_key=bytes(body_seal.encrypted_key),
            reason=SEAL_REASON,
            location=body.name,
        )
    name = document.original.name.removesuffix(".pdf") + "-pubblicato.pdf"
    return _Published(
        file=stored_file_create(name=name, content=content, by=by),
        attested=True,
        sealed_by=sealed_by,
        signatures=signed,
    )
