"""The Relazione sulla performance as a file: a PDF/A-3b rendered with WeasyPrint from the Relazione's data
(workflow.relazione), carrying the same data as its embedded attachment ``relazione.json`` (the published
open data, byte for byte) and its content hash printed on the cover; at publication the body's electronic
seal is added (approvals.seal), as for the plan's documents.

``verify`` is what ``manage.py verify_relazione`` and the public verification page run: is this file a
Relazione this installation published, which one, is its seal intact, does its data match the open data.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe

from workflow import relazione as relazione_data
from workflow.charts import Bar, bar_chart
from workflow.richtext import render_markdown

from . import uploads

ATTACHMENT_NAME = "relazione.json"
PDF_VARIANT = "pdf/a-3b"


@dataclass
class RenderedRelazione:
    content: bytes
    filename: str
    pages: int


def _bars(rows: list[dict]) -> list[Bar]:
    return [
        Bar(
            _short(r["label"]),
            None if r["score"]["value"] is None else Decimal(str(r["score"]["value"])),
            note=f"{r['objectives']} obiettivi",
        )
        for r in rows
    ]


def _short(label: str, size: int = 34) -> str:
    """A bar's label as the chart has room for it (the table under the chart gives it in full)."""
    return label if len(label) <= size else label[: size - 1].rstrip() + "…"


def _charts(data: dict) -> list[dict]:
    charts = []
    for key, chart_id, title in [
        ("by_strategic_objective", "os", "Raggiungimento per obiettivo strategico"),
        ("by_responsibility_center", "cdr", "Raggiungimento per centro di responsabilità"),
    ]:
        svg = bar_chart(_bars(data["summaries"][key]), title=title, chart_id=f"relazione-{chart_id}")
        charts.append({"title": title, "svg": mark_safe(svg)})  # noqa: S308 - escaped by workflow.charts
    return charts


def filename(data: dict) -> str:
    return f"relazione-performance-{data['year']}-{data['body']['ipa_code']}-v{data['version']}.pdf"


def render(data: dict) -> RenderedRelazione:
    """The PDF/A of the Relazione whose data is ``data`` (as built by workflow.relazione)."""
    from pypdf import PdfReader
    from weasyprint import HTML, Attachment  # loads Pango only when a PDF is made

    digest = relazione_data.content_hash(data)
    generated_at = parse_datetime(data["generated_at"]) or timezone.now()
    html = render_to_string(
        "approvals/pdf/relazione.html",
        {
            "data": data,
            "presentation": render_markdown(data["presentation"]),
            "context": render_markdown(data["context"]),
            "charts": _charts(data),
            "validated": [o for o in data["objectives"] if o["outcome"] == relazione_data.VALIDATED],
            "strategic": _strategic_sections(data),
            "content_hash": digest,
            "generated_at": timezone.localtime(generated_at),
        },
    )
    attachment = Attachment(
        string=relazione_data.open_data_json(data),
        name=ATTACHMENT_NAME,
        description="Dati della Relazione sulla performance (JSON)",
        relationship="Data",
    )
    content = HTML(string=html, base_url=".").write_pdf(
        pdf_variant=PDF_VARIANT,
        attachments=[attachment],
    )
    pages = len(PdfReader(io.BytesIO(content)).pages)
    return RenderedRelazione(content=content, filename=filename(data), pages=pages)


def _strategic_sections(data: dict) -> list[dict]:
    """The validated objectives grouped by strategic objective, in code order (those without one last)."""
    groups: dict[str, dict] = {}
    for o in data["objectives"]:
        so = o["strategic_objective"]
        key = so["code"] if so else "\uffff"
        group = groups.setdefault(key, {"strategic": so, "objectives": []})
        group["objectives"].append(o)
    return [groups[k] for k in sorted(groups)]


# -- reading a file back -------------------------------------------------------------------------------------
def embedded_data(content: bytes) -> dict | None:
    """The data embedded in a Relazione's PDF, or None when the file carries none (or is no PDF)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        found = reader.attachments.get(ATTACHMENT_NAME)
        if not found:
            return None
        data = json.loads(found[0].decode("utf-8"))
    except Exception:  # any damage: no readable data
        return None
    if not isinstance(data, dict) or data.get("kind") != "relazione_sulla_performance":
        return None
    return data


@dataclass
class SealCheck:
    present: bool
    intact: bool = False
    covers_whole_file: bool = False
    subject: str = ""


def check_seal(content: bytes) -> SealCheck:
    """Whether the file carries a seal, and whether it is intact and covers the whole file (no trust
    decision: the seal's certificate is compared with the one the installation applied, by subject)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    from .signatures import holder_label, run_coroutine

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception:
        return SealCheck(present=False)
    if not signatures:
        return SealCheck(present=False)
    sig = signatures[-1]
    try:
        status = run_coroutine(lambda: async_validate_pdf_signature(sig))
    except Exception:
        return SealCheck(present=True)
    return SealCheck(
        present=True,
        intact=bool(status.intact and status.valid),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        subject=holder_label(status.signing_cert.subject.native),
    )


VALID = "valid"
MODIFIED = "modified"
NOT_OURS = "not_ours"


@dataclass
class Verdict:
    outcome: str  # VALID, MODIFIED, NOT_OURS
    headline: str
    details: list[str] = field(default_factory=list)
    publication: object | None = None  # the PublishedRelazione the file is, or claims to be

    @property
    def valid(self) -> bool:
        return self.outcome == VALID


def verify(content: bytes, *, publications) -> Verdict:
    """Check ``content`` against the Relazioni this installation published (``publications``: a
    queryset of PublishedRelazione)."""
    digest = hashlib.sha256(content).hexdigest()
    if not content.startswith(b"%PDF-"):
        return Verdict(NOT_OURS, "Il file non è un PDF.")
    try:  # a damaged, encrypted or oversized file is refused before any library reads it
        uploads.check_pdf(content, embedded_files=True)
    except uploads.FileRefused as exc:
        return Verdict(NOT_OURS, "Il file non si può verificare.", [exc.message])
    publication = publications.select_related("body", "file", "adoption").filter(file__sha256=digest).first()
    data = embedded_data(content)
    seal = check_seal(content)
    if publication is not None:
        published = timezone.localtime(publication.published_at)
        details = [
            f"È la Relazione sulla performance {publication.year}, versione {publication.version}, di "
            f"{publication.body.name}, pubblicata il {published:%d/%m/%Y}.",
            "Il file è identico, byte per byte, a quello pubblicato (impronta SHA-256 " + digest + ").",
        ]
        if seal.present:
            details.append(
                f"Il sigillo elettronico di {seal.subject} è integro e copre l'intero file."
                if seal.intact and seal.covers_whole_file
                else "Il sigillo elettronico non risulta integro."
            )
        else:
            details.append("La Relazione è stata pubblicata senza sigillo elettronico (l'ente non ne aveva).")
        same = data == publication.data
        details.append(
            "I dati incorporati coincidono con i dati aperti pubblicati."
            if same
            else "I dati incorporati NON coincidono con i dati aperti pubblicati."
        )
        ok = same and (not seal.present or (seal.intact and seal.covers_whole_file))
        headline = (
            "Valida: è una Relazione pubblicata da questa piattaforma."
            if ok
            else "Il file coincide con quello pubblicato, ma un controllo non è superato."
        )
        return Verdict(VALID if ok else MODIFIED, headline, details, publication)

    if data is None:
        return Verdict(
            NOT_OURS,
            "Non è una Relazione pubblicata da questa piattaforma.",
            ["Il file non contiene i dati di una Relazione sulla performance (allegato «relazione.json»)."],
        )
    claimed = (
        publications.select_related("body", "file", "adoption")
        .filter(
            body__ipa_code=str((data.get("body") or {}).get("ipa_code", "")),
            year=data.get("year") if isinstance(data.get("year"), int) else -1,
            version=data.get("version") if isinstance(data.get("version"), int) else -1,
        )
        .first()
    )
    if claimed is None:
        return Verdict(
            NOT_OURS,
            "Non è una Relazione pubblicata da questa piattaforma.",
            [
                "Il file dichiara di essere la Relazione "
                f"{data.get('year')} (versione {data.get('version')}) dell'ente con codice IPA "
                f"«{(data.get('body') or {}).get('ipa_code', '')}», che qui non risulta pubblicata."
            ],
        )
    details = [
        f"Il file dichiara di essere la Relazione sulla performance {claimed.year}, versione "
        f"{claimed.version}, di {claimed.body.name}, ma non è identico al file pubblicato "
        f"(impronta {digest} invece di {claimed.file.sha256}).",
    ]
    if not seal.present:
        details.append(
            "Il file non porta il sigillo elettronico che porta la Relazione pubblicata."
            if claimed.seal_subject
            else "La Relazione è stata pubblicata senza sigillo elettronico: conta l'impronta del file, "
            "che è diversa."
        )
    elif not seal.intact:
        details.append("Il sigillo elettronico non è integro: il contenuto firmato è stato alterato.")
    elif not seal.covers_whole_file:
        details.append(
            "Il sigillo elettronico è integro ma non copre l'intero file: il documento è stato modificato "
            "dopo l'apposizione del sigillo."
        )
    else:
        details.append(f"Il sigillo elettronico di {seal.subject} è integro, ma su un file diverso.")
    details.append(
        "I dati incorporati coincidono con i dati aperti pubblicati."
        if data == claimed.data
        else "I dati incorporati NON coincidono con i dati aperti pubblicati."
    )
    return Verdict(
        MODIFIED,
        "Non valida: il file è una copia modificata della Relazione pubblicata.",
        details,
        claimed,
    )
