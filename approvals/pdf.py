"""The PDF of a set of objectives (the whole section 2.2 of a plan, or the objectives moving together),
laid out like the PIAO report: strategic objectives with their linked objectives and weights, then each
objective with its texts, phases and Gantt, indicators and DUP links.

The document prints the body, the plan's year, the revisions and a content hash: the SHA-256 of the
canonical JSON of the objectives as exported (``workflow.export.objective_as_dict`` without the
workflow state, in code order), so anyone holding the export can check which content was signed.
Rendered with WeasyPrint (Debian's Pango; DejaVu fonts).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from workflow import progress
from workflow.export import objective_as_dict
from workflow.gantt import gantt_svg


def _objectives(objectives) -> list:
    return sorted(objectives, key=lambda o: o.code)


def content_data(objectives) -> list[dict]:
    """The exported data the hash covers: each objective's schema object without its workflow state."""
    data = []
    for o in _objectives(objectives):
        item = objective_as_dict(o)
        item.pop("state", None)
        data.append(item)
    return data


def canonical_json(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def content_hash(objectives) -> str:
    """SHA-256 of the canonical JSON of the objectives' exported content (see the module docstring)."""
    return hashlib.sha256(canonical_json(content_data(objectives))).hexdigest()


def ready_for_signatures(pdf: bytes) -> bytes:
    """Append an empty signature form (an indirect ``/AcroForm`` with no fields, ``/SigFlags 3``) as an
    incremental update, so that each signature added later is a pure form-filling change that pyHanko's
    difference analysis can tell apart from a change of the content (approvals.signatures checks it)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    # an indirect object: a tool that rewrites the catalog (poppler's pdfsig) then keeps the form the
    # signature was added to, where a dictionary inside the catalog came back with its old empty /Fields
    writer.root["/AcroForm"] = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Fields"): generic.ArrayObject(),
                generic.NameObject("/SigFlags"): generic.NumberObject(3),
            }
        )
    )
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class RenderedPdf:
    content: bytes
    content_hash: str
    filename: str


def _strategic_sections(objectives) -> list[dict]:
    """The strategic objectives the printed objectives are linked to, each with its linked objectives."""
    groups: dict[int, dict] = {}
    for o in objectives:
        s = o.strategic_objective
        if s is None:
            continue
        group = groups.setdefault(s.pk, {"strategic": s, "linked": [], "total": 0})
        group["linked"].append(o)
        group["total"] += o.weight or 0
    return [groups[k] for k in sorted(groups, key=lambda k: groups[k]["strategic"].code)]


def _objective_block(o) -> dict:
    phases = list(o.phases.all())
    return {
        "objective": o,
        "phases": phases,
        # one id per chart: the document holds many
        "gantt": gantt_svg(phases, title=f"Gantt delle fasi di {o.code}").replace(
            "gantt-title", f"gantt-title-{o.pk}"
        ),
        "indicators": list(o.indicators.all()),
        "dup_links": list(o.dup_links.all()),
    }


def render_objectives_pdf(*, plan, objectives, title: str = "", generated_at: dt.datetime | None = None):
    """The PDF of ``objectives`` (all of ``plan``). Returns the bytes, the content hash and a file name."""
    objectives = _objectives(objectives)
    digest = content_hash(objectives)
    generated_at = generated_at or timezone.now()
    revisions = sorted({o.revision for o in objectives})
    html = render_to_string(
        "approvals/pdf/objectives.html",
        {
            "plan": plan,
            "body": plan.body,
            "title": title or "Obiettivi di performance – P.I.A.O. sezione 2.2",
            "objectives": objectives,
            "strategic": _strategic_sections(objectives),
            "blocks": [_objective_block(o) for o in objectives],
            "revisions": revisions,
            "content_hash": digest,
            "generated_at": timezone.localtime(generated_at),
        },
    )
    from weasyprint import HTML  # loads Pango only when a PDF is made

    progress.report(15, "Impaginazione del documento da firmare")
    laid_out = HTML(string=html, base_url=".").render()
    progress.report(65, "Scrittura del PDF")
    content = ready_for_signatures(laid_out.write_pdf())
    progress.report(85, "Registrazione dei passaggi e del documento")
    codes = objectives[0].code if len(objectives) == 1 else f"{len(objectives)}-obiettivi"
    filename = f"piao-{plan.year}-{plan.body.ipa_code}-{codes}-{digest[:8]}.pdf"
    return RenderedPdf(content=content, content_hash=digest, filename=filename)
