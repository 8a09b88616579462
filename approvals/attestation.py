"""The "Attestazione delle approvazioni": the last page of a document published after approvals given
with authenticated access (no digital signature in the file), naming each signer, capacity, date and
time and method; appended to the frozen PDF without touching its pages (plain data in, bytes out)."""

from __future__ import annotations

import datetime as dt
import io

from django.template.loader import render_to_string
from django.utils import timezone

from .models import SignatureMethod

CAPACITY_LABELS = {"responsabile": "Dirigente responsabile", "segretario": "Segretario Generale"}


def capacity_label(capacities) -> str:
    return ", ".join(CAPACITY_LABELS.get(c, c) for c in capacities)


def signer_rows(signatures) -> list[dict]:
    """What the attestation and the public page show of each signature, as kept in the publication
    (plain JSON: the public page reads it from there, not from the live records)."""
    return [
        {
            "name": s.signer.get_full_name() or s.signer.username,
            "capacities": capacity_label(s.capacities),
            "signed_at": timezone.localtime(s.signed_at).isoformat(),
            "method": str(SignatureMethod(s.method).label),
        }
        for s in signatures
    ]


def _shown(rows: list[dict]) -> list[dict]:
    return [{**r, "signed_at": dt.datetime.fromisoformat(r["signed_at"])} for r in rows]


def attestation_pdf(*, body, plan, document, items: list[dict], sealed_by: str, generated_at) -> bytes:
    """The attestation page(s): ``items`` holds, per objective of the document, its code, title,
    revision and signer rows."""
    from weasyprint import HTML  # loads Pango only when a PDF is made

    html = render_to_string(
        "approvals/pdf/attestation.html",
        {
            "body": body,
            "plan": plan,
            "document": document,
            "items": [{**i, "signers": _shown(i["signers"])} for i in items],
            "sealed_by": sealed_by,
            "generated_at": timezone.localtime(generated_at),
        },
    )
    return HTML(string=html, base_url=".").write_pdf()


def append_pages(original: bytes, extra: bytes) -> bytes:
    """``original`` followed by the pages of ``extra``, its metadata kept (a new file: the frozen one is
    not signed with a digital signature, and is kept as it is beside this one)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(original)))
    for page in PdfReader(io.BytesIO(extra)).pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
