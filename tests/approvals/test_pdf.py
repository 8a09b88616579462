"""The PDF of the objectives: the real 2023 plan of the Provincia di Cremona, and the content hash."""

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from approvals.pdf import content_hash, render_objectives_pdf
from flows.services.interchange import body_for_import, plan_import
from workflow.interchange import read_document
from workflow.models import Objective, Phase, Plan

REPORT = Path(__file__).resolve().parents[2] / "workflow" / "data" / "piao-2023-sez-2-2-provincia-cremona.txt"

pytestmark = pytest.mark.django_db


def _objectives(plan):
    return list(
        plan.objectives.select_related("strategic_objective", "responsible", "plan__body").prefetch_related(
            "phases", "indicators", "dup_links"
        )
    )


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_real_2023_plan_prints_every_objective_code():
    document, warnings = read_document(REPORT.read_bytes(), "report", 2023)
    body = body_for_import(name="Provincia di Cremona", ipa_code="p_cr")
    plan_import(by=None, body=body, year=2023, document=document, source=REPORT.name, warnings=warnings)
    plan = Plan.objects.get(body=body, year=2023)
    objectives = _objectives(plan)
    assert len(objectives) == 51
    pdf = render_objectives_pdf(plan=plan, objectives=objectives)
    text = _text(pdf.content)
    codes = {o.code for o in objectives}
    assert {code for code in codes if code in text} == codes
    # the strategic objectives with their linked objectives, the body, the year and the full hash
    assert "2023_OS01" in text and "VALORIZZAZIONE DELLA STRUTTURA ORGANIZZATIVA" in text
    assert "Provincia di Cremona" in text and "2023" in text
    assert pdf.content_hash in re.sub(r"\s", "", text)
    assert pdf.content_hash == content_hash(objectives)
    assert pdf.filename.startswith("piao-2023-p_cr-51-obiettivi-")


def test_the_content_hash_follows_the_content_not_the_state(draft):
    objectives = [Objective.objects.get(pk=draft.pk)]
    first = content_hash(objectives)
    Objective.objects.filter(pk=draft.pk).update(state="signature")
    assert content_hash([Objective.objects.get(pk=draft.pk)]) == first
    Objective.objects.filter(pk=draft.pk).update(title="Un altro titolo")
    assert content_hash([Objective.objects.get(pk=draft.pk)]) != first


def test_one_objective_prints_its_phases_indicators_and_revision(draft):
    o = Objective.objects.get(pk=draft.pk)
    pdf = render_objectives_pdf(plan=o.plan, objectives=[o])
    text = _text(pdf.content)
    phase = o.phases.first()
    indicator = o.indicators.first()
    assert o.code in text and phase.description[:30] in text and indicator.description[:30] in text
    assert "revisione 1" in text.lower()
    if any(p.start and p.end for p in o.phases.all()):
        assert "gantt" in text.lower()


def test_an_indicator_prints_its_targets_and_measure_under_its_row(draft):
    draft.indicators.update(
        unit="giorni",
        polarity="lower",
        baseline_value=Decimal("42.5"),
        baseline_year=2022,
        target_1=Decimal("30"),
        target_3=Decimal("27.5"),
        data_source="Piattaforma dei crediti commerciali",
        to_complete=True,
    )
    o = Objective.objects.get(pk=draft.pk)
    text = " ".join(_text(render_objectives_pdf(plan=o.plan, objectives=[o]).content).split())
    assert "Target 2023: 30,00 · 2024: — · 2025: 27,50 (giorni)" in text
    assert "più basso è meglio · partenza 42,50 (2022)" in text
    assert "rilevazione semestrale" in text and "Fonte: Piattaforma dei crediti commerciali" in text
    assert "(da completare)" in text


def test_a_phase_stored_with_an_end_in_year_9999_still_prints(draft):
    phase = draft.phases.first()
    Phase.objects.filter(pk=phase.pk).update(end=dt.date(9999, 12, 30))  # stored before the bounds existed
    o = Objective.objects.get(pk=draft.pk)
    text = _text(render_objectives_pdf(plan=o.plan, objectives=[o]).content)
    assert o.code in text and "30/12/9999" in text


def _header_overflows(html: str) -> list[str]:
    """The table headers whose text runs past their cell (into the next column), as laid out by WeasyPrint."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    overflows = []
    for page in HTML(string=html).render().pages:
        for cell in page._page_box.descendants():
            if not isinstance(cell, boxes.TableCellBox) or cell.element_tag != "th":
                continue
            right = cell.content_box_x() + cell.width
            for text in cell.descendants():
                if isinstance(text, boxes.TextBox) and text.position_x + text.width > right + 0.5:
                    overflows.append(f"«{text.text}» ({text.position_x + text.width - right:.1f} px over)")
    return overflows


def test_the_tables_headers_stay_inside_their_columns():
    document, warnings = read_document(REPORT.read_bytes(), "report", 2023)
    body = body_for_import(name="Provincia di Cremona", ipa_code="p_cr")
    plan_import(by=None, body=body, year=2023, document=document, source=REPORT.name, warnings=warnings)
    plan = Plan.objects.get(body=body, year=2023)
    objectives = _objectives(plan)[:2]  # phases with every column, indicators, linked objectives
    with mock.patch("approvals.pdf.render_to_string", wraps=render_to_string) as rendered:
        render_objectives_pdf(plan=plan, objectives=objectives)
    html = render_to_string(*rendered.call_args.args, **rendered.call_args.kwargs)
    assert "<th>Responsabile</th>" in html
    assert _header_overflows(html) == []
