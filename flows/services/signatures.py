"""The document to sign and the signatures uploaded on it.

Entering ``signature`` freezes one PDF for the objectives that moved together (``document_freeze``,
called by the transition service once per call); it is never regenerated. In a body with qualified
signatures each required signer downloads the document's current file, signs it with their own tool and
uploads it: the ``sign`` step (flows.steps.objective) reads it (``read_upload``), checks it
(``verify``, with approvals.signatures) and, when accepted, signs every objective of the document that
waits for this person's signature; the upload becomes the file the next signer signs.
"""

from __future__ import annotations

import audit.services as audit
from approvals import signatures as verification
from approvals import uploads
from approvals.models import SignedDocument
from approvals.pdf import content_hash, render_objectives_pdf
from approvals.selectors import signatures as documents
from approvals.services import signatures as records
from workflow.models import Identity, Objective, State
from workflow.selectors import objectives_visible_to

from .. import errors, forms
from ..objective_flow import ObjectiveFlow

UPLOAD_TOO_BIG = "Il file supera la dimensione massima di {mb} MB."
UPLOAD_MISSING = "Carica il PDF firmato digitalmente."
NO_DOCUMENT = "Per questo obiettivo non c'è un documento da firmare."
LOGIN_MODE = forms.SIGN_LOGIN_MODE
DOCUMENT_NOT_FOUND = "Documento non trovato."


class UploadRefused(errors.InvalidInput):
    """The uploaded file was refused: the page shows why next to its file field."""

    field = "signed_pdf"


def _printable(objective_ids):
    return (
        Objective.objects.filter(pk__in=objective_ids)
        .select_related("plan__body", "strategic_objective", "responsible")
        .prefetch_related("phases", "indicators", "dup_links")
        .order_by("code")
    )


def _by_body(objectives) -> dict[int, list[int]]:
    by_body: dict[int, list[int]] = {}
    for o in objectives:
        by_body.setdefault(o.plan.body_id, []).append(o.pk)
    return by_body


def _render(printable):
    title = (
        f"Obiettivo {printable[0].code} – P.I.A.O. sezione 2.2 Performance"
        if len(printable) == 1
        else f"Obiettivi di performance – P.I.A.O. sezione 2.2 ({len(printable)} obiettivi)"
    )
    return render_objectives_pdf(plan=printable[0].plan, objectives=printable, title=title)


def closing_candidates(*, objective_ids, by, data=None, lock_versions=None) -> list[Objective]:
    """The objectives of ``objective_ids`` a closing of the consultation by ``by`` can move now: seen by
    them, in consultation, its conditions met, allowed, and (for those ``lock_versions`` names) still at
    the version the page showed. Read without locks: the step decides again inside its transaction."""
    versions = lock_versions or {}
    return [
        o
        for o in objectives_visible_to(by)
        .filter(pk__in=objective_ids, state=State.UNION_CONSULTATION)
        .select_related("plan__body")
        if versions.get(o.pk, o.lock_version) == o.lock_version
        and ObjectiveFlow(o, by=by, data=data or {}).close_consultation.can_proceed()
        and ObjectiveFlow(o, by=by).close_consultation.has_perm(by)
    ]


def documents_prerender(*, objective_ids, by, data=None) -> dict:
    """The PDFs a closing of the consultation will freeze, rendered before its transaction (no lock is
    held while WeasyPrint works), keyed by the hash of the content they print. Only for objectives the
    closing can move now, so a call that will be refused does not wait for a render first."""
    candidates = closing_candidates(objective_ids=objective_ids, by=by, data=data)
    if len(candidates) != len(set(objective_ids)):
        return {}  # the call will be refused (or move fewer objectives): render inside it, if at all
    prepared = {}
    for ids in _by_body(candidates).values():
        printable = list(_printable(ids))
        pdf = _render(printable)
        prepared[pdf.content_hash] = pdf
    return prepared


def document_freeze(*, objectives, by, batch=None, prepared=None) -> list[SignedDocument]:
    """One PDF for the objectives that entered signature together (one per body, in practice one).
    ``prepared`` holds PDFs rendered before the transaction; one is used only when the content it
    prints is the content of the objectives as they are now, locked; otherwise the PDF is rendered here."""
    made = []
    for ids in _by_body(objectives).values():
        printable = list(_printable(ids))
        plan = printable[0].plan
        pdf = (prepared or {}).get(content_hash(printable)) or _render(printable)
        document = records.document_create(
            body=plan.body,
            objectives=printable,
            content=pdf.content,
            name=pdf.filename,
            content_hash=pdf.content_hash,
            by=by,
            batch=batch,
        )
        audit.record(
            action="signature.document",
            by=by,
            body_id=plan.body_id,
            data={
                "document": document.pk,
                "objectives": [o.code for o in printable],
                "sha256": document.original.sha256,
                "content_hash": pdf.content_hash,
                "batch": str(batch) if batch else None,
            },
        )
        made.append(document)
    return made


def document_download(*, user, objective_id: int, document_id: int, which: str):
    """The original or current file of a document covering an objective ``user`` may see; raises
    Objective.DoesNotExist (so: 404) for anything else."""
    objective = objectives_visible_to(user).get(pk=objective_id)
    stored = documents.document_file(objective, document_id, which)
    if stored is None:
        raise Objective.DoesNotExist(DOCUMENT_NOT_FOUND)
    return stored


def read_upload(upload) -> bytes:
    """The uploaded file's bytes, once it passed the checks of every uploaded PDF (approvals.uploads):
    the signature checks then look at a file known to parse, without scripts, launch actions, embedded
    files or a content that expands beyond the limit."""
    if upload is None:
        raise UploadRefused(UPLOAD_MISSING)
    limit = uploads.max_upload_bytes()
    too_big = UploadRefused(UPLOAD_TOO_BIG.format(mb=uploads.megabytes(limit)))
    if isinstance(upload, bytes):
        content = upload
    else:
        if upload.size > limit:
            raise too_big
        upload.seek(0)
        content = upload.read()
        upload.seek(0)
    if len(content) > limit:
        raise too_big
    if not content:
        raise UploadRefused(UPLOAD_MISSING)
    try:
        uploads.check_pdf(content)
    except uploads.FileRefused as exc:
        raise UploadRefused(exc.message, problems=[exc.message]) from exc
    return content


def _expected(user) -> verification.ExpectedSigner:
    identity = Identity.objects.filter(user=user).first()
    return verification.ExpectedSigner(
        first_name=user.first_name,
        last_name=user.last_name,
        fiscal_code=(identity.fiscal_code if identity else "").strip().upper(),
    )


def verify(content: bytes, *, document: SignedDocument, body, by) -> verification.VerifiedSignature:
    """Check ``content`` as ``by``'s PAdES signature of ``document``'s current file (the caller holds the
    document's lock); a refusal says why, next to the file field."""
    try:
        return verification.verify_upload(
            upload=content,
            current=bytes(document.current.content),
            original=bytes(document.original.content),
            trust_roots_pem=body.trust_roots,
            expected=_expected(by),
            match=body.signer_match,
        )
    except verification.SignatureRefused as exc:
        raise UploadRefused(exc.message, problems=[exc.message]) from exc
