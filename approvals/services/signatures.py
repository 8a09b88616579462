"""Writing the signatures' records: the PDF frozen when objectives enter signature, each accepted upload.
Called by flows/ inside the step's transaction."""

from __future__ import annotations

from django.utils import timezone

from ..models import SignedDocument, SignedDocumentObjective, StoredFile
from .files import stored_file_create


def document_create(*, body, objectives, content: bytes, name: str, content_hash: str, by, batch=None):
    """One document for ``objectives`` (their current revisions): the original is also the current file."""
    original = stored_file_create(name=name, content=content, by=by)
    document = SignedDocument.objects.create(
        body=body,
        original=original,
        current=original,
        content_hash=content_hash,
        batch=batch,
        created_by=by,
        created_at=timezone.now(),
    )
    SignedDocumentObjective.objects.bulk_create(
        [SignedDocumentObjective(document=document, objective=o, revision=o.revision) for o in objectives]
    )
    return document


def document_advance(*, document: SignedDocument, file: StoredFile) -> SignedDocument:
    """The accepted upload becomes the file the next signer signs."""
    document.current = file
    document.save(update_fields=["current"])
    return document
