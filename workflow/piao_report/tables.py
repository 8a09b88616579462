"""The strategic objectives' blocks and the final table "DETERMINAZIONE DEL GRADO MEDIO DI RILEVANZA"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ReportError
from .numbers import parse_number
from .sections import Segment
from .tokens import Line, normalise

LINKED_HEADING = "OBIETTIVI COLLEGATI"
_TAGS = re.compile(r"<[^>]*>")
_GLUED_BULLET = re.compile(r"(?<=\S)-\s+")  # '<ul>- Supportare ...- Qualificare ...'
_CENTRE = re.compile(r"(?P<code>S[0-9A-Z]{2})\s*[–-]\s*(?P<name>.+)")


@dataclass
class ParsedStrategic:
    data: dict
    line: int
    total: float | None
    total_line: int
    linked_lines: dict[str, int]


@dataclass
class CentreRow:
    """One row of the final table: 'S31 – Settore Risorse economiche e finanziarie  3  40,67  100,00%'."""

    code: str
    name: str
    count: int
    average: float
    line: int

    @property
    def prefix(self) -> str:
        """'S31' -> '31', the two characters after the year in its objectives' codes."""
        return self.code[1:]


def parse_strategic(segment: Segment) -> ParsedStrategic:
    lines = segment.lines
    code = lines[1].plain
    at = next((i for i, line in enumerate(lines) if line.plain == LINKED_HEADING), None)
    if at is None:
        raise ReportError(
            lines[-1].no, f"l'obiettivo strategico {code} non ha la tabella", f"«{LINKED_HEADING}»"
        )
    title = normalise(" ".join(line.text for line in lines[2:at]))
    linked, linked_lines = [], {}
    total, total_line = None, lines[at].no
    i = at + 1
    while i < len(lines) and "\t" in lines[i].text:
        cells = lines[i].cells
        if cells[0] == "Codice":
            pass
        elif cells[0] == "Totale:":
            total, total_line = parse_number(cells[-1], lines[i].no, "un totale come «819,50 %»"), lines[i].no
        elif len(cells) == 3:
            weight = parse_number(cells[2], lines[i].no, "un peso come «40,50 %»")
            linked.append({"code": cells[0], "title": cells[1], "weight": weight})
            linked_lines[cells[0]] = lines[i].no
        else:
            raise ReportError(
                lines[i].no, f"riga di {LINKED_HEADING} con {len(cells)} colonne", "codice, titolo, peso"
            )
        i += 1
        if total is not None:
            break
    data = {
        "code": code,
        "title": title,
        "purposes": _purposes(lines[i:], code, title),
        "linked_objectives": linked,
    }
    return ParsedStrategic(data, lines[0].no, total, total_line, linked_lines)


def _purposes(lines: list[Line], code: str, title: str) -> list[str]:
    """The bullets under 'Finalità' (also as an HTML list); a page break may split one bullet."""
    purposes: list[str] = []
    in_list = False  # inside an HTML list, which a printed page may wrap over lines
    for line in lines:
        text = line.plain
        if text in ("Finalità", code, title):  # the heading, and the page's repeated code and title
            continue
        if text.startswith("<") or (in_list and purposes and not text.startswith("- ")):
            wrapped = not text.startswith("<")
            in_list = "</ul>" not in text and "</ol>" not in text
            text = _TAGS.sub("", text).strip()
            parts = [normalise(part) for part in _GLUED_BULLET.split(text.removeprefix("-")) if part.strip()]
            if wrapped and parts:  # the first part goes on with the bullet the line before began
                purposes[-1] = normalise(f"{purposes[-1]} {parts.pop(0)}")
            purposes.extend(parts)
        elif text.startswith("- ") or not purposes:
            purposes.append(normalise(text.removeprefix("- ")))
        else:
            purposes[-1] = normalise(f"{purposes[-1]} {text}")
    return purposes


def parse_final_table(segment: Segment) -> list[CentreRow]:
    lines = segment.lines
    rows = []
    for line in lines[1:]:
        if "\t" not in line.text:
            if rows:
                break
            continue
        cells = line.cells
        if cells[0].upper().startswith("CENTRO DI RESPONSABILIT"):
            continue
        match = _CENTRE.fullmatch(cells[0])
        if not match or len(cells) < 3 or not cells[1].isdigit():
            raise ReportError(
                line.no,
                f"riga della tabella finale non riconosciuta («{line.plain[:60]}»)",
                "«S31 – Settore ...», il numero di obiettivi e il grado medio di rilevanza",
            )
        average = parse_number(cells[2], line.no, "un grado medio come «40,67»")
        rows.append(CentreRow(match["code"], match["name"], int(cells[1]), average, line.no))
    if not rows:
        raise ReportError(
            lines[0].no, "la tabella finale non ha righe", "una riga per centro di responsabilità"
        )
    return rows
