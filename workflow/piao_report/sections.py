"""The report cut into its parts: the preamble, each strategic objective ("2023_OS01" and its
"OBIETTIVI COLLEGATI" table), each objective's section (from its title to the next part) and the final
table "DETERMINAZIONE DEL GRADO MEDIO DI RILEVANZA DEGLI OBIETTIVI"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ReportError
from .tokens import REPORT_HEADING, Line, PageHeader, normalise

OS_HEADING = re.compile(re.escape(REPORT_HEADING) + r"\s*\d{4}")
OS_CODE = re.compile(r"\d{4}_OS\d+")
FINAL_HEADING = "DETERMINAZIONE DEL GRADO MEDIO DI RILEVANZA DEGLI OBIETTIVI"


@dataclass
class Segment:
    kind: str  # "preamble", "strategic", "objective" or "final"
    items: list[Line | PageHeader]
    title: str = ""  # objectives: the bold run before "Responsabile", or the page header's title
    head: int = 0  # objectives: where "Responsabile <name> Tipo di Obiettivo ..." begins in items

    @property
    def lines(self) -> list[Line]:
        return [item for item in self.items if isinstance(item, Line)]

    @property
    def headers(self) -> list[PageHeader]:
        return [item for item in self.items if isinstance(item, PageHeader)]

    @property
    def first_no(self) -> int:
        return self.items[self.head].no if self.items else 0

    @property
    def last_no(self) -> int:
        return self.items[-1].no if self.items else 0


def split_segments(items: list[Line | PageHeader]) -> list[Segment]:
    """Cut the items where a strategic objective, an objective or the final table begins."""
    starts: list[tuple[int, str, str, int]] = []
    for i, item in enumerate(items):
        if not isinstance(item, Line):
            continue
        plain = item.plain
        if OS_HEADING.fullmatch(plain) and _next_line_is_os_code(items, i):
            starts.append((i, "strategic", "", i))
        elif plain == FINAL_HEADING:
            starts.append((i, "final", "", i))
        elif plain.startswith("Tipo di Obiettivo"):
            starts.append(_objective_start(items, i))
    starts.sort()
    bounds = [start[0] for start in starts] + [len(items)]
    segments = [Segment("preamble", items[: bounds[0]])]
    for (index, kind, title, head), end in zip(starts, bounds[1:], strict=True):
        segments.append(Segment(kind, items[index:end], title, head - index))
    return segments


def _next_line_is_os_code(items: list[Line | PageHeader], i: int) -> bool:
    following = items[i + 1] if i + 1 < len(items) else None
    return isinstance(following, Line) and bool(OS_CODE.fullmatch(following.plain))


def _objective_start(items: list[Line | PageHeader], i: int) -> tuple[int, str, str, int]:
    """Where the objective whose "Tipo di Obiettivo" is items[i] begins, its title, its head."""
    name_at = i - 1
    while (  # a name wrapped over lines is in bold pieces on consecutive lines
        name_at > 0 and i - name_at < 4
        and isinstance(items[name_at - 1], Line) and items[name_at - 1].bold
        and isinstance(items[name_at], Line) and items[name_at].no - items[name_at - 1].no == 1
    ):
        name_at -= 1
    resp_i = name_at - 1
    resp, name = (items[resp_i], items[name_at]) if resp_i >= 0 else (None, None)
    if not (isinstance(resp, Line) and resp.plain == "Responsabile" and isinstance(name, Line) and name.bold):
        raise ReportError(
            items[i].no, "«Tipo di Obiettivo» senza il responsabile", "«Responsabile <nome>» prima di esso"
        )
    start = resp_i
    while (
        start > 0
        and isinstance(items[start - 1], Line)
        and items[start - 1].bold
        and items[start].no - items[start - 1].no <= 1
    ):
        start -= 1
    if start < resp_i:
        title = normalise(" ".join(item.text for item in items[start:resp_i]))
    elif start > 0 and isinstance(items[start - 1], PageHeader) and items[start - 1].title:
        start -= 1
        title = items[start].title
    else:
        raise ReportError(resp.no, "manca il titolo dell'obiettivo", "il titolo prima di «Responsabile»")
    if start > 0 and isinstance(items[start - 1], PageHeader):
        start -= 1  # a page header right before an objective's title is that objective's
    return start, "objective", title, resp_i
