"""From the report's raw text to clean pieces of lines.

The text is a PDF converted to text: every page repeats a header ("OBIETTIVI PERFORMANCE 2023", the
objective's code, its Centro di Responsabilità, its Responsabile and its title), sometimes glued to the
next content ("2023_5501TCentro di Responsabilità", "FARONI BARBARA**Contribuire ..."), and bold text is
marked with `**`. Here the page headers become `PageHeader` items (they tell which code a section
belongs to) and every other line is cut at its `**` markers into `Line` pieces that remember whether
they were bold (the title before "Responsabile" is the bold run). Tabs are kept: they separate cells.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import ReportError

REPORT_HEADING = "Obiettivi di Performance - P.I.A.O. Sez. 2.2."
_PAGE_HEADER = re.compile(r"OBIETTIVI PERFORMANCE \d{4}")
_HEADER_CODE = re.compile(r"(\d{4}_[0-9A-Z]+?)\s*(Centro di Responsabilit\S*)?")
_CENTRE_LABEL = re.compile(r"Centro di Responsabilit\S*")
_MARKER = re.compile(r"(\*{2,})")
_YEAR = re.compile(r"Esercizio\t\s*(\d{4})\s*")
_HEADING_YEAR = re.compile(re.escape(REPORT_HEADING) + r"\s*(\d{4})")
_HEAD_LINES = 40  # the report's heading and parameters come first


@dataclass(frozen=True)
class Line:
    """One piece of a source line between `**` markers. `no` is the 1-based line in the source."""

    no: int
    text: str
    bold: bool = False

    @property
    def plain(self) -> str:
        """Whitespace-normalised, tabs included."""
        return " ".join(self.text.split())

    @property
    def cells(self) -> list[str]:
        return [" ".join(cell.split()) for cell in self.text.split("\t")]


@dataclass(frozen=True)
class PageHeader:
    """A page header taken out of the text. `title` is empty when the title was glued to content."""

    no: int
    code: str
    centre: str
    responsible: str
    title: str


def normalise(text: str) -> str:
    """Runs of whitespace become one space; `*` markers left over at the ends go."""
    return " ".join(text.replace("**", " ").split()).strip("*").strip()


def source_lines(text: str) -> list[str]:
    """The text as lines, refused when empty, binary or not a PIAO section 2.2 report."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if not text.strip():
        raise ReportError(1, "il testo è vuoto", f"il testo del report «{REPORT_HEADING}»")
    _refuse_binary(lines)
    _require_heading(lines)
    return lines


def _is_garbage(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")


def _refuse_binary(lines: list[str]) -> None:
    chars = garbage = 0
    first = None
    for no, line in enumerate(lines, 1):
        bad = sum(1 for ch in line if _is_garbage(ch))
        if bad and first is None:
            first = no
        if "\x00" in line:
            raise ReportError(no, "il file contiene byte nulli (è un file binario)", "testo semplice")
        chars += len(line)
        garbage += bad
    if first is not None and garbage * 20 > chars:  # more than 5% non-printable
        raise ReportError(
            first, "il file contiene caratteri non stampabili (è un file binario)", "testo semplice"
        )


def _require_heading(lines: list[str]) -> None:
    filled = [(no, line.strip()) for no, line in enumerate(lines, 1) if line.strip()]
    if not any(line.startswith(REPORT_HEADING) for _, line in filled[:_HEAD_LINES]):
        no, first = filled[0]
        raise ReportError(
            no,
            f"questo non è un report PIAO: il testo comincia con «{first[:60]}»",
            f"l'intestazione «{REPORT_HEADING}» all'inizio del testo",
        )


def report_year(lines: list[str]) -> tuple[int, int]:
    """(year, line number): the 'Esercizio' parameter, else the year after the heading."""
    for pattern in (_YEAR, _HEADING_YEAR):
        for no, line in enumerate(lines[: _HEAD_LINES * 2], 1):
            match = pattern.fullmatch(line.strip() if pattern is _HEADING_YEAR else line)
            if match:
                return int(match.group(1)), no
    raise ReportError(
        1, "l'esercizio del report non è indicato", "la riga «Esercizio <anno>» fra i parametri"
    )


def tokenize(lines: list[str]) -> list[Line | PageHeader]:
    """Page headers out (as `PageHeader`), every other line cut at its `**` markers."""
    items: list[Line | PageHeader] = []
    bold = False
    i = 0
    while i < len(lines):
        raw = lines[i]
        if _PAGE_HEADER.fullmatch(raw.strip()):
            header, i, rest = _read_page_header(lines, i)
            items.append(header)
            bold = False
            if rest:
                pieces, bold = _pieces(rest[0], rest[1], False)
                items.extend(pieces)
            continue
        pieces, bold = _pieces(i + 1, raw, bold)
        items.extend(pieces)
        i += 1
    return items


def _pieces(no: int, raw: str, bold: bool) -> tuple[list[Line], bool]:
    pieces = []
    for k, part in enumerate(_MARKER.split(raw)):
        if k % 2:  # a marker: '**' or '***' opens or closes bold, '****' closes and reopens it
            bold ^= len(part) <= 3
            continue
        text = part.strip(" \u00a0")
        if text.strip():
            pieces.append(Line(no, text, bold))
    return pieces, bold


def _next_filled(lines: list[str], i: int, start: int, expected: str) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines):
        raise ReportError(start + 1, "il testo finisce dentro un'intestazione di pagina", expected)
    return i


def _read_page_header(lines: list[str], start: int) -> tuple[PageHeader, int, tuple[int, str] | None]:
    """Read the header beginning at `start`; return it, the next index, and content glued to its end."""
    i = _next_filled(lines, start + 1, start, "il codice dell'obiettivo")
    match = _HEADER_CODE.fullmatch(lines[i].strip())
    if not match:
        raise ReportError(
            i + 1,
            f"intestazione di pagina senza codice («{lines[i].strip()[:60]}»)",
            "un codice come 2023_5501T",
        )
    code = match.group(1)
    if not match.group(2):
        i = _next_filled(lines, i + 1, start, "«Centro di Responsabilità»")
        if not _CENTRE_LABEL.fullmatch(lines[i].strip()):
            raise ReportError(i + 1, "intestazione di pagina incompleta", "«Centro di Responsabilità»")
    centre: list[str] = []
    while True:
        i = _next_filled(lines, i + 1, start, "«Responsabile» nell'intestazione di pagina")
        line = lines[i].strip()
        if line.endswith("Responsabile"):
            centre.append(line[: -len("Responsabile")])
            break
        centre.append(line)
        if len(centre) > 6:
            raise ReportError(i + 1, "intestazione di pagina troppo lunga", "«Responsabile» dopo il centro")
    i = _next_filled(lines, i + 1, start, "il nome del responsabile")
    name_no, name_line = i + 1, lines[i]
    rest = None
    title: list[str] = []
    if "**" in name_line:
        name, glued = name_line.split("**", 1)
        rest = (name_no, "**" + glued)
        i += 1
    else:
        name = name_line
        i = _next_filled(lines, i + 1, start, "il titolo dell'obiettivo")
        while (
            i < len(lines) and lines[i].strip() and "\t" not in lines[i] and len(title) < 3
            and not lines[i].lstrip().startswith(("**", "Responsabile "))  # the objective's own head
        ):
            title.append(lines[i])
            i += 1
    header = PageHeader(
        start + 1, code, normalise(" ".join(centre)), normalise(name), normalise(" ".join(title))
    )
    return header, i, rest
