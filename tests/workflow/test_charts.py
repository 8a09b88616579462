"""The SVG charts of the monitoring dashboard (workflow.charts): valid markup, escaped text, the values
written the Italian way, and the edge cases (nothing, zero, None, over 100 %)."""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest

from workflow.charts import Bar, PhaseRow, bar_chart, percent_text, phases_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own markup
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-label")
    assert root.find(f"{SVG}title") is not None
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def rect_widths(root: ET.Element) -> list[float]:
    return [float(r.get("width")) for r in root.iter(f"{SVG}rect")]


@pytest.mark.parametrize(
    "value, text",
    [
        (D("72.5"), "72,5 %"),
        (D("72.50"), "72,5 %"),
        (D("72.555"), "72,56 %"),
        (D(100), "100 %"),
        (D("0.00"), "0 %"),
        (D("-0.001"), "0 %"),
        (120, "120 %"),
        (None, "—"),
    ],
)
def test_percent_text_is_italian_with_the_decimals_it_has(value, text):
    assert percent_text(value) == text


def test_bars_are_valid_svg_named_and_labelled_with_their_values():
    svg = bar_chart(
        [Bar("OS01 – Servizi", D("72.5")), Bar("OS02 – Territorio", D("40"))],
        title="Raggiungimento per obiettivo strategico",
        chart_id="grafico-os",
    )
    root = parse(svg)
    assert root.get("aria-label") == "Raggiungimento per obiettivo strategico"
    assert root.find(f"{SVG}title").text == "Raggiungimento per obiettivo strategico"
    labels = texts(root)
    assert "72,5 %" in labels and "40 %" in labels
    assert "OS01 – Servizi" in labels and "OS02 – Territorio" in labels
    small, large = sorted(rect_widths(root))
    assert large / small == pytest.approx(72.5 / 40, rel=0.01)  # bars in proportion to their values
    tips = [t.text for g in root.iter(f"{SVG}g") for t in g.findall(f"{SVG}title")]
    assert "OS01 – Servizi: 72,5 %" in tips


def test_titles_and_labels_are_escaped():
    nasty = 'Centro <script>alert("x")</script> & co'
    svg = bar_chart([Bar(nasty, D(50), note="<b>")], title=f"Titolo {nasty}", chart_id='x"y')
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)  # still well-formed
    assert root.find(f"{SVG}title").text == f"Titolo {nasty}"
    assert root.get("aria-label") == f"Titolo {nasty}"
    assert nasty in texts(root)


def test_zero_none_and_over_a_hundred():
    svg = bar_chart(
        [Bar("Nulla", D(0)), Bar("Ignoto", None), Bar("Oltre", D("135.5")), Bar("Pieno", D(100))],
        title="Prova",
        chart_id="p",
    )
    root = parse(svg)
    labels = texts(root)
    assert "0 %" in labels and "non calcolabile" in labels and "135,5 %" in labels
    widths = rect_widths(root)
    assert len(widths) == 3  # no bar for the value that cannot be computed
    zero, over, full = widths
    assert zero == 0 and over > full > 0
    assert over / full == pytest.approx(1.355, rel=0.01)  # the scale stretches past 100 %
    assert "140 %" in labels  # the scale's end


def test_nothing_to_draw():
    assert bar_chart([], title="Vuoto", chart_id="v") == ""
    assert phases_chart([], title="Vuoto", chart_id="v") == ""
    assert (
        phases_chart([PhaseRow("Obiettivo", heading=True), PhaseRow("Senza date")], title="V", chart_id="v")
        == ""
    )


def test_phases_planned_and_actual_with_the_reference_date():
    rows = [
        PhaseRow("2023_01 – Pagamenti <rapidi>", heading=True),
        PhaseRow(
            "1. Analisi",
            dt.date(2023, 1, 1),
            dt.date(2023, 3, 31),
            dt.date(2023, 1, 15),
            dt.date(2023, 4, 10),
            late=True,
            note="In ritardo",
        ),
        PhaseRow("2. Attuazione", dt.date(2023, 4, 1), dt.date(2023, 12, 31), dt.date(2023, 4, 1), None),
        PhaseRow("3. Verifica", dt.date(2023, 10, 1), dt.date(2023, 12, 31)),
        PhaseRow("4. Data impossibile", dt.date(2023, 1, 1), dt.date(9999, 12, 31)),
    ]
    svg = phases_chart(rows, title="Fasi & date", chart_id="f", reference=dt.date(2023, 6, 30))
    root = parse(svg)
    assert "&lt;rapidi&gt;" in svg and "<rapidi>" not in svg
    tips = [t.text for r in root.iter(f"{SVG}rect") for t in r.findall(f"{SVG}title")]
    assert "1. Analisi – prevista dal 01/01/2023 al 31/03/2023" in tips
    assert "1. Analisi – effettiva dal 15/01/2023 al 10/04/2023 (In ritardo)" in tips
    assert "2. Attuazione – effettiva dal 01/04/2023, in corso" in tips  # drawn up to the reference date
    assert len(tips) == 5  # three planned bars, two actual; the impossible date is left out
    assert "4. Data impossibile" not in svg
    assert "Data di riferimento: 30/06/2023" in svg


def test_a_running_phase_ends_at_the_reference_date():
    rows = [PhaseRow("Avvio", dt.date(2023, 1, 1), dt.date(2023, 12, 31), dt.date(2023, 1, 1), None)]
    root = parse(phases_chart(rows, title="T", chart_id="t", reference=dt.date(2023, 6, 30)))
    planned, actual = rect_widths(root)
    assert actual / planned == pytest.approx(181 / 365, rel=0.02)
