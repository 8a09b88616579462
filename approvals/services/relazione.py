"""What the steps of the Relazione sulla performance leave behind (approvals.models.relazione)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from .. import relazione_pdf, seal
from ..models import (
    BodySeal,
    PublishedRelazione,
    RelazioneAdoption,
    RelazioneStepRecord,
    RelazioneValidation,
)
from .files import stored_file_create

SEAL_REASON = "Relazione sulla performance pubblicata in Amministrazione Trasparente"


def relazione_step_record(
    *, relazione, transition, source, target, by, at, comment="", data=None, batch=None, highlighted=False
) -> RelazioneStepRecord:
    return RelazioneStepRecord.objects.create(
        relazione=relazione,
        transition=transition,
        source=source,
        target=target,
        by=by,
        at=at,
        revision=relazione.revision,
        comment=comment,
        data=data or {},
        highlighted=highlighted,
    )


def adoption_record(
    *, relazione, step, act_type, act_number, act_date, act_file, rendered, data: dict, content_hash: str
) -> RelazioneAdoption:
    """The adoption: the act's PDF and the document it adopted, both stored with their SHA-256."""
    act_stored = stored_file_create(name=act_file.name, content=act_file.content, by=step.by)
    document = stored_file_create(name=rendered.filename, content=rendered.content, by=step.by)
    return RelazioneAdoption.objects.create(
        relazione=relazione,
        revision=step.revision,
        act_type=act_type,
        act_number=act_number,
        act_date=act_date,
        act_file=act_stored,
        document=document,
        data=data,
        content_hash=content_hash,
        step=step,
    )


def current_adoption(relazione) -> RelazioneAdoption | None:
    return relazione.adoptions.select_related("document").order_by("-revision").first()


def validation_record(*, adoption, step, outcome, observations, document) -> RelazioneValidation:
    stored = stored_file_create(name=document.name, content=document.content, by=step.by)
    return RelazioneValidation.objects.create(
        adoption=adoption, outcome=outcome, observations=observations, document=stored, step=step
    )


@dataclass
class SealedDocument:
    content: bytes
    name: str
    sealed_by: str


def sealed_document(adoption: RelazioneAdoption, *, now=None) -> SealedDocument:
    """The adopted PDF/A as it is published: with the body's electronic seal when the body has a valid one
    (an expired seal would make a signature no verifier accepts: the document then goes out unsealed)."""
    relazione = adoption.relazione
    body = relazione.plan.body
    content = bytes(adoption.document.content)
    body_seal = BodySeal.objects.filter(body=body, not_after__gt=now or timezone.now()).first()
    name = adoption.document.name.removesuffix(".pdf") + "-pubblicata.pdf"
    if body_seal is None:
        return SealedDocument(content=content, name=name, sealed_by="")
    content = seal.seal_pdf(
        content,
        certificates_pem=body_seal.certificates,
        encrypted_key=bytes(body_seal.encrypted_key),
        reason=SEAL_REASON,
        location=body.name,
    )
    return SealedDocument(content=content, name=name, sealed_by=body_seal.subject)


def publication_record(*, relazione, step, sealed: SealedDocument, url: str) -> PublishedRelazione:
    adoption = current_adoption(relazione)
    validation = adoption.validation
    stored = stored_file_create(name=sealed.name, content=sealed.content, by=step.by)
    return PublishedRelazione.objects.create(
        relazione=relazione,
        body_id=relazione.plan.body_id,
        year=relazione.plan.year,
        version=relazione.version,
        adoption=adoption,
        validation=validation,
        file=stored,
        seal_subject=sealed.sealed_by,
        published_at=step.at,
        url=url,
        step=step,
    )


def verify_file(content: bytes) -> relazione_pdf.Verdict:
    return relazione_pdf.verify(content, publications=PublishedRelazione.objects.all())
