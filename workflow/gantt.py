"""The phases' Gantt chart as an SVG drawn on the server (pure: phases in, markup out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from .rules import date_in_range

ROW = 26
LABEL_W = 260
CHART_W = 560
TOP = 28
MONTHS = ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"]


def _short(text: str, limit: int = 42) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _drawable(phase) -> bool:
    start, end = phase.start, phase.end
    return bool(start and end and start <= end and date_in_range(start) and date_in_range(end))


def month_grid(
    first: dt.date, last: dt.date, x: Callable[[dt.date], float], *, top: int, bottom: int
) -> list[str]:
    """The months from ``first`` (a 1st of the month) to ``last`` as grid lines from ``top`` to ``bottom``,
    labelled above ``top``: every month within a year, every quarter or half year over longer spans."""
    parts = []
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = 1 if months <= 12 else 3 if months <= 36 else 6  # labels stay readable over several years
    month = first
    n = 0
    while month <= last:
        mx = x(month)
        strong = n % step == 0
        parts.append(
            f'<line x1="{mx:.1f}" y1="{top - 6}" x2="{mx:.1f}" y2="{bottom - 4}" '
            f'stroke="{"#c5c7c9" if strong else "#ebeced"}"/>'
        )
        if strong:
            year = "" if month.year == first.year and step == 1 else f" {month.year % 100:02d}"
            parts.append(
                f'<text x="{mx + 3:.1f}" y="{top - 10}" font-size="11" fill="#3a4149">'
                f"{MONTHS[month.month - 1]}{year}</text>"
            )
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        n += 1
    return parts


def gantt_svg(phases, *, title: str = "Diagramma di Gantt delle fasi") -> str:
    # (number in the phases table, phase) for the phases that can be drawn. A date outside the years a plan
    # can have (stored before the forms refused it) stays in the table but out of the chart: its bar would
    # squash every other one, and the day after 31/12/9999 does not exist.
    dated = [(k, p) for k, p in enumerate(phases, start=1) if _drawable(p)]
    if not dated:
        return ""
    first = min(p.start for _, p in dated).replace(day=1)
    title = f"{title} ({first.year})"
    last = max(p.end for _, p in dated)
    span = max((last - first).days + 1, 1)
    height = TOP + ROW * len(dated) + 8
    width = LABEL_W + CHART_W + 10

    def x(day: dt.date) -> float:
        return LABEL_W + (day - first).days / span * CHART_W

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="gantt-title" '
        f'viewBox="0 0 {width} {height}" width="100%" class="gantt" preserveAspectRatio="xMinYMin meet">',
        f'<title id="gantt-title">{escape(title)}</title>',
        *month_grid(first, last, x, top=TOP, bottom=height),
    ]
    for n, (number, p) in enumerate(dated):
        y = TOP + n * ROW
        x0, x1 = x(p.start), x(p.end + dt.timedelta(days=1))
        label = f"{p.description} – dal {p.start:%d/%m/%Y} al {p.end:%d/%m/%Y}"
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="12" fill="#1a1a1a">'
            f"{number}. {escape(_short(p.description))}</text>"
            f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 2):.1f}" height="16" rx="3" fill="#0066cc">'
            f"<title>{escape(label)}</title></rect>"
        )
    parts.append("</svg>")
    return "".join(parts)
