"""Charts drawn on the server as SVG: plain data in, markup out, every text escaped. No script.

- ``bar_chart``: horizontal bars of percentages (achievement by strategic objective, by centro), each bar
  labelled with its value the Italian way ("72,5 %"), a line at 100 %, the scale stretched when a value
  passes it;
- ``phases_chart``: planned and actual phases on one time line (the Gantt of workflow.gantt, whose month
  grid it shares), two bars per phase, and the period's reference date.

Each chart is an ``<svg role="img">`` named by its ``aria-label`` and ``<title>``; the page puts a table
with the same values after it, for whoever does not see the picture. Nothing to draw gives "".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from html import escape

from django.utils.formats import number_format

from .gantt import month_grid
from .rules import date_in_range

HUNDRED = Decimal(100)
NOT_COMPUTED = "non calcolabile"

# Colours with at least 3:1 contrast on white (WCAG 1.4.11, graphical objects).
BLUE = "#0066cc"
GREEN = "#00805a"
ORANGE = "#a65c00"
RED = "#c3243a"
GREY = "#5c6f82"
GRID = "#c5c7c9"
TEXT = "#1a1a1a"


def _short(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _attr(text: str) -> str:
    return escape(str(text), quote=True)


def percent_text(value: Decimal | int | float | None) -> str:
    """A percentage the Italian way with the decimals it has, up to two: "72,5 %", "100 %", "—" for none."""
    if value is None:
        return "—"
    d = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) + 0  # + 0: never "-0"
    d = d.normalize() if d != d.to_integral_value() else d.to_integral_value()
    places = max(0, -d.as_tuple().exponent)
    return f"{number_format(d, places, use_l10n=True)} %"


def _svg_open(chart_id: str, title: str, width: int, height: int, css: str) -> list[str]:
    cid = _attr(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_attr(title)}" '
        f'viewBox="0 0 {width} {height}" width="100%" class="{css}" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{cid}-title">{escape(title)}</title>',
    ]


# -- bars ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None  # a percentage; None: not computed
    note: str = ""  # added to the bar's tooltip


BAR_LABEL_W = 300
BAR_CHART_W = 440
BAR_VALUE_W = 110
BAR_ROW = 28
BAR_TOP = 26


def _scale_max(values: Iterable[Decimal]) -> Decimal:
    """100, or the largest value rounded up to the next ten when one passes 100."""
    top = max([HUNDRED, *values])
    return HUNDRED if top <= HUNDRED else (top / 10).to_integral_value(rounding=ROUND_CEILING) * 10


def bar_chart(bars: Sequence[Bar], *, title: str, chart_id: str) -> str:
    """Horizontal bars of percentages, one row per ``Bar``; "" when there is none."""
    if not bars:
        return ""
    known = [Decimal(b.value) for b in bars if b.value is not None]
    top = _scale_max(max(v, Decimal(0)) for v in known)
    height = BAR_TOP + BAR_ROW * len(bars) + 6
    width = BAR_LABEL_W + BAR_CHART_W + BAR_VALUE_W

    def x(value: Decimal) -> float:
        return BAR_LABEL_W + float(max(value, Decimal(0)) / top) * BAR_CHART_W

    parts = _svg_open(chart_id, title, width, height, "grafico grafico-barre")
    # the scale's end gets a label of its own when it is far enough from 100 % not to overlap it
    ticks = [Decimal(t) for t in (0, 25, 50, 75, 100)] + ([top] if top >= HUNDRED + 20 else [])
    for tick in ticks:
        tx = x(tick)
        strong = tick == HUNDRED
        dashes = ' stroke-dasharray="4 3"' if strong else ""
        parts.append(
            f'<line x1="{tx:.1f}" y1="{BAR_TOP - 6}" x2="{tx:.1f}" y2="{height - 2}" '
            f'stroke="{GREY if strong else GRID}"{dashes}/>'
            f'<text x="{tx:.1f}" y="{BAR_TOP - 10}" font-size="11" text-anchor="middle" fill="#3a4149">'
            f"{escape(percent_text(tick))}</text>"
        )
    for n, bar in enumerate(bars):
        y = BAR_TOP + n * BAR_ROW
        value_text = percent_text(bar.value) if bar.value is not None else NOT_COMPUTED
        tooltip = f"{bar.label}: {value_text}" + (f" ({bar.note})" if bar.note else "")
        parts.append(f"<g><title>{escape(tooltip)}</title>")
        parts.append(
            f'<text x="0" y="{y + 17}" font-size="12" fill="{TEXT}">{escape(_short(bar.label, 46))}</text>'
        )
        if bar.value is None:
            parts.append(
                f'<text x="{BAR_LABEL_W + 4}" y="{y + 17}" font-size="12" font-style="italic" '
                f'fill="{GREY}">{escape(value_text)}</text>'
            )
        else:
            value = Decimal(bar.value)
            x1 = x(value)
            fill = RED if value < 50 else ORANGE if value < HUNDRED else GREEN
            parts.append(
                f'<rect x="{BAR_LABEL_W}" y="{y + 5}" width="{max(x1 - BAR_LABEL_W, 0):.1f}" height="16" '
                f'fill="{fill}"/>'
                f'<text x="{x1 + 5:.1f}" y="{y + 17}" font-size="12" font-weight="bold" fill="{TEXT}">'
                f"{escape(value_text)}</text>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


# -- phases planned and actual ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PhaseRow:
    label: str
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    late: bool = False  # drawn in the colour of a late phase
    note: str = ""  # added to the actual bar's tooltip (status, completion)
    heading: bool = False  # a row that only names what follows (an objective)


PH_LABEL_W = 300
PH_CHART_W = 560
PH_ROW = 30
PH_HEADING = 22
PH_TOP = 30


def _day(value: dt.date | None) -> dt.date | None:
    return value if value is not None and date_in_range(value) else None


def _span(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date] | None:
    start, end = _day(start), _day(end)
    return (start, end) if start and end and start <= end else None


def _fmt(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def phases_chart(
    rows: Sequence[PhaseRow], *, title: str, chart_id: str, reference: dt.date | None = None
) -> str:
    """Each phase as two bars on one time line: planned (above) and actual (below). An actual phase begun
    and not ended runs to ``reference`` (the period's reference date), with an open outline. Phases with no
    date a plan can have are left out (their table keeps them); "" when nothing can be drawn."""
    reference = _day(reference)

    def actual_of(row: PhaseRow) -> tuple[dt.date, dt.date, bool] | None:
        done = _span(row.actual_start, row.actual_end)
        if done:
            return done[0], done[1], False
        start = _day(row.actual_start)
        if start and row.actual_end is None and reference and start <= reference:
            return start, reference, True
        return None

    drawn = []
    for row in rows:
        if row.heading:
            drawn.append((row, None, None))
            continue
        planned, actual = _span(row.planned_start, row.planned_end), actual_of(row)
        if planned or actual:
            drawn.append((row, planned, actual))
    # headings with nothing under them go
    drawn = [
        d
        for k, d in enumerate(drawn)
        if not d[0].heading or (k + 1 < len(drawn) and not drawn[k + 1][0].heading)
    ]
    days = [day for _, p, a in drawn for span in (p, a) if span for day in span[:2]]
    if not days:
        return ""
    if reference:
        days.append(reference)
    first = min(days).replace(day=1)
    last = max(days)
    total = max((last - first).days + 1, 1)
    height = PH_TOP + sum(PH_HEADING if r.heading else PH_ROW for r, _, _ in drawn) + 8
    width = PH_LABEL_W + PH_CHART_W + 10

    def x(day: dt.date) -> float:
        return PH_LABEL_W + (day - first).days / total * PH_CHART_W

    parts = _svg_open(chart_id, title, width, height, "grafico gantt gantt-confronto")
    parts += month_grid(first, last, x, top=PH_TOP, bottom=height)
    y = PH_TOP
    for row, planned, actual in drawn:
        if row.heading:
            parts.append(
                f'<text x="0" y="{y + 16}" font-size="12" font-weight="bold" fill="{TEXT}">'
                f"{escape(_short(row.label, 110))}<title>{escape(row.label)}</title></text>"
            )
            y += PH_HEADING
            continue
        parts.append(
            f'<text x="8" y="{y + 18}" font-size="12" fill="{TEXT}">{escape(_short(row.label, 40))}'
            f"<title>{escape(row.label)}</title></text>"
        )
        if planned:
            x0, x1 = x(planned[0]), x(planned[1] + dt.timedelta(days=1))
            tip = f"{row.label} – prevista dal {_fmt(planned[0])} al {_fmt(planned[1])}"
            parts.append(
                f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 2):.1f}" height="10" rx="2" '
                f'fill="{BLUE}"><title>{escape(tip)}</title></rect>'
            )
        if actual:
            start, end, running = actual
            x0, x1 = x(start), x(end + dt.timedelta(days=1))
            colour = RED if row.late else GREEN
            if running:
                tip = f"{row.label} – effettiva dal {_fmt(start)}, in corso"
                look = f'fill="#ffffff" stroke="{colour}" stroke-width="2" stroke-dasharray="4 2"'
            else:
                tip = f"{row.label} – effettiva dal {_fmt(start)} al {_fmt(end)}"
                look = f'fill="{colour}"'
            tip += f" ({row.note})" if row.note else ""
            parts.append(
                f'<rect x="{x0:.1f}" y="{y + 16}" width="{max(x1 - x0, 2):.1f}" height="10" rx="2" {look}>'
                f"<title>{escape(tip)}</title></rect>"
            )
        y += PH_ROW
    if reference:
        rx = x(reference + dt.timedelta(days=1))
        parts.append(
            f'<line x1="{rx:.1f}" y1="{PH_TOP - 4}" x2="{rx:.1f}" y2="{height - 2}" stroke="{TEXT}" '
            f'stroke-width="1.5" stroke-dasharray="2 2"><title>Data di riferimento: {_fmt(reference)}'
            f"</title></line>"
        )
    parts.append("</svg>")
    return "".join(parts)
