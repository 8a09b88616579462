"""parse_report: the report's text in, the interchange document (the shared schema) out."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import checks
from .errors import ReportError
from .objective import ParsedObjective, parse_objective
from .sections import FINAL_HEADING, split_segments
from .tables import ParsedStrategic, parse_final_table, parse_strategic
from .tokens import REPORT_HEADING, report_year, source_lines, tokenize


@dataclass
class ParseResult:
    document: dict  # {"year", "strategic_objectives", "objectives"}: piao-performance.schema.json
    warnings: list[str] = field(default_factory=list)  # Italian, one sentence each
    stats: dict[str, int] = field(
        default_factory=dict
    )  # strategic_objectives, objectives, phases, indicators


def parse_report(text: str, *, expected_year: int | None = None) -> ParseResult:
    """Read an "Obiettivi di Performance - P.I.A.O. Sez. 2.2." report. Raises ReportError."""
    lines = source_lines(text)
    year, year_line = report_year(lines)
    if expected_year is not None and year != expected_year:
        raise ReportError(year_line, f"il report è dell'esercizio {year}", f"l'esercizio {expected_year}")
    segments = split_segments(tokenize(lines))
    strategic = [parse_strategic(s) for s in segments if s.kind == "strategic"]
    objectives = [parse_objective(s) for s in segments if s.kind == "objective"]
    if not objectives:
        raise ReportError(
            len(lines),
            "il report non contiene obiettivi",
            "almeno una sezione «Responsabile ... Tipo di Obiettivo»",
        )
    finals = [s for s in segments if s.kind == "final"]
    if not finals:
        raise ReportError(
            _last_line(lines),
            "il testo finisce prima della tabella finale (report troncato?)",
            f"la tabella «{FINAL_HEADING}»",
        )
    centres = parse_final_table(finals[0])

    warnings: list[str] = []
    warnings += _assign_codes(objectives, strategic)
    warnings += _fill_centres(objectives)
    warnings += checks.strategic_totals(strategic)
    warnings += checks.links(strategic, objectives)
    warnings += checks.centre_table(centres, objectives)
    for obj in objectives:
        warnings += checks.objective_details(obj)
    warnings += [f"Obiettivo {code}: il codice compare in più sezioni." for code in _duplicates(objectives)]

    document = {
        "year": year,
        "strategic_objectives": [os.data for os in strategic],
        "objectives": [obj.data for obj in objectives],
    }
    stats = {
        "strategic_objectives": len(strategic),
        "objectives": len(objectives),
        "phases": sum(len(obj.data["phases"]) for obj in objectives),
        "indicators": sum(len(obj.data["indicators"]) for obj in objectives),
    }
    return ParseResult(document, warnings, stats)


def _last_line(lines: list[str]) -> int:
    return max((no for no, line in enumerate(lines, 1) if line.strip()), default=1)


def _assign_codes(objectives: list[ParsedObjective], strategic: list[ParsedStrategic]) -> list[str]:
    """A section's code is its page headers'; without one, the next code of its strategic objective's
    "OBIETTIVI COLLEGATI" table after the sections already read (checked against title and weight)."""
    warnings = []
    claimed = {obj.headers[0].code for obj in objectives if obj.headers}
    linked = {os.data["code"]: os.data["linked_objectives"] for os in strategic}
    position: dict[str, int] = {}  # per strategic objective, where in its table the last section was
    for obj in objectives:
        os_code = obj.data["strategic_objective"]
        table = linked.get(os_code, [])
        if obj.headers:
            obj.data["code"] = obj.headers[0].code
            obj.data["responsibility_center"] = obj.headers[0].centre
            others = sorted({h.code for h in obj.headers} - {obj.data["code"]})
            if others:
                warnings.append(
                    f"Obiettivo {obj.code} (riga {obj.line}): la sezione ha anche intestazioni di pagina "
                    f"con i codici {', '.join(others)}; vale la prima."
                )
        else:
            taken = claimed | {o.code for o in objectives if o.code}
            start = position.get(os_code, -1) + 1
            candidates = [item for item in table[start:] if item["code"] not in taken]
            choice = next(
                (item for item in candidates if _fits(obj, item)), candidates[0] if candidates else None
            )
            if choice is None:
                raise ReportError(
                    obj.line,
                    f"la sezione «{obj.data['title'][:60]}» non ha un'intestazione di pagina e nessun "
                    f"codice libero di {os_code} le corrisponde",
                    "l'intestazione «OBIETTIVI PERFORMANCE» con il codice dell'obiettivo",
                )
            obj.data["code"] = choice["code"]
            warnings.append(
                f"Obiettivo {obj.code} (riga {obj.line}): la sezione non ha un'intestazione di pagina; "
                f"codice dedotto dall'ordine degli obiettivi collegati di {os_code}"
                + ("." if _fits(obj, choice) else ", ma titolo o peso non corrispondono a quelli elencati.")
            )
        obj.data["transversal"] = obj.code.endswith("T")
        codes = [item["code"] for item in table]
        if obj.code in codes:
            position[os_code] = codes.index(obj.code)
    return warnings


def _fits(obj: ParsedObjective, item: dict) -> bool:
    return item["title"] == obj.data["title"] and abs(item["weight"] - obj.data["weight"]) < 0.01


def _fill_centres(objectives: list[ParsedObjective]) -> list[str]:
    """A section without a page header takes the centro of the other objectives of its code group."""
    warnings = []
    for obj in objectives:
        if obj.data["responsibility_center"]:
            continue
        prefix = checks.centre_prefix(obj.code)
        centres = {
            o.data["responsibility_center"]
            for o in objectives
            if o.data["responsibility_center"] and checks.centre_prefix(o.code) == prefix
        }
        if len(centres) == 1:
            obj.data["responsibility_center"] = centres.pop()
            warnings.append(
                f"Obiettivo {obj.code}: centro di responsabilità «{obj.data['responsibility_center']}» "
                f"dedotto dagli altri obiettivi {prefix}xx."
            )
        else:
            warnings.append(f"Obiettivo {obj.code}: centro di responsabilità non indicato nel report.")
    return warnings


def _duplicates(objectives: list[ParsedObjective]) -> list[str]:
    seen: set[str] = set()
    repeated = []
    for obj in objectives:
        if obj.code in seen and obj.code not in repeated:
            repeated.append(obj.code)
        seen.add(obj.code)
    return repeated


__all__ = ["REPORT_HEADING", "ParseResult", "ReportError", "parse_report"]
