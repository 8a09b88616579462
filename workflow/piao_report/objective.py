"""One objective's section: its head, its text blocks, its phases, indicators and DUP links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .errors import ReportError
from .numbers import parse_date, parse_number
from .sections import Segment
from .tokens import Line, PageHeader, normalise

_HEAD = re.compile(
    r"Responsabile (?P<responsible>.+?) Tipo di Obiettivo OBIETTIVO (?P<kind>INDIVIDUALE|PERFORMANCE)"
    r" Collegato a OBIETTIVI STRATEGICI PERF \d{4}: (?P<strategic>\d{4}_OS\d+)(?P<strategic_name>.*?)"
    r" ?Peso sul totale di OBIETTIVI STRATEGICI PERF \d{4} (?P<weight>\d+(?:[.,]\d+)?) ?%"
)
BLOCKS_HEADING = "FINALITA', MOTIVAZIONI E TRAGUARDO ATTESO"
TEXT_HEADINGS = {
    "Finalità che si vogliono perseguire": "purpose",
    "Motivazioni": "motivation",
    "Situazione iniziale e traguardo atteso": "baseline_and_target",
    "DESTINATARI": "beneficiaries",
    "DESCRIZIONE DELLE AZIONI DA COMPIERE": "actions",
}
TEXT_FIELDS = tuple(TEXT_HEADINGS.values())
PHASES_HEADING = "FASI PREVISTE PER LA REALIZZAZIONE DELL'OBIETTIVO"
INDICATORS_HEADING = "INDICATORI"
_GANTT = "GANTT FASI PREVISTE"
_TRANSVERSAL = re.compile(r"OBIETTIVO TRASVERSALE A .*CENTRI DI RESPONSABILITA'?")
_DUP_VIEW = re.compile(r"Relazioni nella Vista (?P<ses>STRATEGIA SES )?DUP \d{4} - \d{4}")
_DUP_LABEL = re.compile(
    r"(MISSIONE|PROGRAMMA|OBIETTIVO OPERATIVO DI PROGRAM|OBIETTIVO STRATEGICO S\.E\.S\.DUP):\s*"
)
_DUP_LEVELS = {
    "MISSIONE": "missione",
    "PROGRAMMA": "programma",
    "OBIETTIVO OPERATIVO DI PROGRAM": "obiettivo_operativo",
    "OBIETTIVO STRATEGICO S.E.S.DUP": "obiettivo_strategico_ses",
}
_MISSION = re.compile(r"(\d{4}_MIS_\d{2})[ _](.*)")  # '2023_MIS_04_04 - ISTRUZIONE' is '2023_MIS_04'
_PHASE_COLUMNS = ["Descrizione", "Peso"]
_INDICATOR_COLUMNS = ["Descrizione", "Tipo"]


@dataclass
class ParsedObjective:
    """An objective as read from its section, with what the checks need to know about it."""

    data: dict
    line: int  # where its head ("Responsabile ... Tipo di Obiettivo") is
    headers: list[PageHeader]
    phase_lines: list[int] = field(default_factory=list)
    transversal_label: bool = False
    unlabelled_text: bool = False

    @property
    def code(self) -> str:
        return self.data["code"]


def parse_objective(segment: Segment) -> ParsedObjective:
    lines = segment.lines
    head_start = next(i for i, line in enumerate(lines) if line is segment.items[segment.head])
    blocks_at = next((i for i in range(head_start, len(lines)) if lines[i].plain == BLOCKS_HEADING), None)
    if blocks_at is None:
        raise _truncated(segment, f"«{BLOCKS_HEADING}»")
    head = " ".join(line.plain for line in lines[head_start:blocks_at])
    match = _HEAD.fullmatch(head)
    if not match:
        raise ReportError(
            lines[head_start].no,
            f"intestazione dell'obiettivo «{segment.title[:60]}» non riconosciuta («{head[:80]}»)",
            "«Responsabile», «Tipo di Obiettivo», «Collegato a» e «Peso sul totale»",
        )
    data = {
        "code": "",
        "title": segment.title,
        "strategic_objective": match["strategic"],
        "weight": parse_number(match["weight"], lines[blocks_at - 1].no, "un peso come «40,00%»"),
        "responsible": normalise(match["responsible"]),
        "responsibility_center": "",
        "kind": match["kind"].lower(),
        "transversal": False,
    }
    parsed = ParsedObjective(data, lines[head_start].no, segment.headers)
    body = _without_title_repeats(lines[blocks_at + 1 :], segment.title)
    _read_body(body, parsed, segment)
    return parsed


def _truncated(segment: Segment, expected: str) -> ReportError:
    return ReportError(
        segment.first_no,
        f"la sezione dell'obiettivo «{segment.title[:60]}» è incompleta "
        f"(finisce alla riga {segment.last_no})",
        expected,
    )


def _same_title(text: str, title: str) -> bool:
    if text == title:
        return True
    if abs(len(text) - len(title)) > max(2, len(title) // 30):
        return False
    return SequenceMatcher(None, text, title).ratio() >= 0.97  # one typo: 'contemimento'


def _without_title_repeats(lines: list[Line], title: str) -> list[Line]:
    """Drop the title the report repeats at the top of every page (on one line or on two)."""
    kept = []
    i = 0
    while i < len(lines):
        span = _title_span(lines, i, title)
        if not span:
            kept.append(lines[i])
        i += span or 1
    return kept


def _title_span(lines: list[Line], i: int, title: str) -> int:
    """How many pieces from lines[i] (on consecutive source lines) spell the title; 0 if none do."""
    for span in (1, 2, 3):
        chunk = lines[i : i + span]
        if len(chunk) < span or any("\t" in line.text for line in chunk):
            return 0
        if any(b.no - a.no > 1 for a, b in zip(chunk, chunk[1:], strict=False)):
            return 0
        if _same_title(normalise(" ".join(line.text for line in chunk)), title):
            return span
    return 0


def _read_body(lines: list[Line], parsed: ParsedObjective, segment: Segment) -> None:
    """The text blocks, then the phases, indicators and DUP tables, whatever the page breaks."""
    texts: dict[str, list[str]] = {name: [] for name in TEXT_FIELDS}
    phases: list[dict] = []
    indicators: list[dict] = []
    dup: list[tuple[str, Line]] = []
    mode, target, view = "text", "purpose", "dup"
    seen_phases = seen_indicators = labelled = False
    for line in lines:
        plain, cells = line.plain, line.cells
        if plain in TEXT_HEADINGS:
            mode, target, labelled = "text", TEXT_HEADINGS[plain], True
        elif plain == PHASES_HEADING or cells[:2] == _PHASE_COLUMNS:
            mode, seen_phases = "phases", True
        elif plain == INDICATORS_HEADING or cells[:2] == _INDICATOR_COLUMNS:
            mode, seen_indicators = "indicators", True
        elif plain == _GANTT:
            mode = "gantt"
        elif _TRANSVERSAL.fullmatch(plain):
            parsed.transversal_label = True
        elif (found := _dup_views(plain)) and (found[0].start() == 0 or mode == "dup"):
            # a view's heading, alone or (as some PDF-to-text tools write it) glued to the links
            if found[0].start():
                dup.append((view, Line(line.no, plain[: found[0].start()])))
            for match, following in zip(found, [*found[1:], None], strict=True):
                mode, view = "dup", "ses" if match["ses"] else "dup"
                rest = plain[match.end() : following.start() if following else len(plain)].strip()
                if rest:
                    dup.append((view, Line(line.no, rest)))
        elif mode == "phases" and "\t" in line.text:
            phases.append(_phase(line))
            parsed.phase_lines.append(line.no)
        elif mode == "indicators" and "\t" in line.text:
            indicators.append(_indicator(line))
        elif mode == "dup":
            dup.append((view, line))
        elif mode == "text":
            parsed.unlabelled_text |= not labelled  # text under FINALITA' with no sub-heading: purpose
            texts[target].append(plain)
        else:
            raise ReportError(
                line.no, f"testo inatteso «{plain[:60]}» dopo le tabelle", _expected_after(mode)
            )
    if not seen_phases:
        raise _truncated(segment, f"la tabella «{PHASES_HEADING}»")
    if not seen_indicators:
        raise _truncated(segment, f"la tabella «{INDICATORS_HEADING}»")
    for name in TEXT_FIELDS:
        parsed.data[name] = normalise(" ".join(texts[name]))
    parsed.data["phases"] = phases
    parsed.data["indicators"] = indicators
    parsed.data["dup_links"] = _dup_links(dup)


def _dup_views(plain: str) -> list[re.Match]:
    return list(_DUP_VIEW.finditer(plain)) if "Relazioni nella Vista" in plain else []


def _expected_after(mode: str) -> str:
    return {
        "phases": "una riga della tabella delle fasi (7 colonne separate da tabulazioni)",
        "indicators": "una riga della tabella degli indicatori (4 colonne separate da tabulazioni)",
    }.get(mode, "una tabella o le relazioni DUP")


def _row(line: Line, size: int, what: str) -> list[str]:
    cells = line.cells
    if len(cells) > size:
        raise ReportError(line.no, f"riga di {what} con {len(cells)} colonne", f"{size} colonne")
    return cells + [""] * (size - len(cells))


def _phase(line: Line) -> dict:
    description, weight, start, end, responsible, centre, notes = _row(line, 7, "fase")
    return {
        "description": description,
        "weight": parse_number(weight, line.no, "un peso come «25,00» o nessun peso") if weight else None,
        "start": parse_date(start, line.no) if start else None,
        "end": parse_date(end, line.no) if end else None,
        "responsible": responsible,
        "responsibility_center": centre,
        "notes": notes,
    }


def _indicator(line: Line) -> dict:
    description, kind, expected, notes = _row(line, 4, "indicatore")
    return {"description": description, "kind": kind, "expected": expected, "notes": notes}


def _dup_links(dup: list[tuple[str, Line]]) -> list[dict]:
    """'MISSIONE: 2023_MIS_01 01-SERVIZI ...' lines, also when glued on one line, per view."""
    runs: list[tuple[str, list[str]]] = []
    for view, line in dup:
        if not runs or runs[-1][0] != view:
            runs.append((view, []))
        runs[-1][1].append(line.plain)
    links = []
    for view, texts in runs:
        text = " ".join(texts)
        labels = list(_DUP_LABEL.finditer(text))
        for label, following in zip(labels, labels[1:] + [None], strict=True):
            value = text[label.end() : following.start() if following else len(text)].strip()
            level = _DUP_LEVELS[label.group(1)]
            mission = _MISSION.fullmatch(value) if level == "missione" else None
            code, _, title = value.partition(" ") if not mission else (mission[1], "", mission[2])
            links.append({"level": level, "code": code, "title": normalise(title), "view": view})
    return links
