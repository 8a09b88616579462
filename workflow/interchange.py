"""Checking an interchange document (../shared/schemas/piao-performance.schema.json; the project's copy in
workflow/data/ extends it), bringing an older document to the current format, and matching printed names
to people. Plain data in, plain data out.

The format has versions, named by the document's ``format_version`` (a document without one is version
1, as every file written before the field existed). Version 2 adds the indicator's measure (unit,
polarity, baseline, targets, tolerance, weight, formula, data source, frequency, "da completare"), each
optional. ``upgraded`` reads a version-1 document as version 2: every indicator that carries none of
those fields gets them from its expected value (workflow.measures.read_expected), never guessed.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from functools import cache
from pathlib import Path

import jsonschema

from .content import FORMAT_VERSION, INDICATOR, INDICATOR_MEASURES, to_interchange
from .measures import read_expected
from .rules import FIRST_YEAR, LAST_YEAR, date_in_range

TOO_NEW = (
    "Il documento è nel formato di interscambio versione {found}, più recente di quello che questa "
    "applicazione legge (fino alla versione {current})."
)

# An export nests five levels (document, objectives, objective, phases, phase). Far deeper is not a plan,
# and would exhaust Python's recursion in the JSON parser or in the schema validator.
MAX_DEPTH = 20
JSON_TOO_DEEP = "Il JSON è annidato troppo in profondità: non è un'esportazione di un piano."
PHASE_DATE_OUT_OF_RANGE = "data fuori dagli anni ammessi per un piano ({first}–{last})"
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "piao-performance.schema.json"


@cache
def _validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def too_deep(document) -> bool:
    """Whether ``document`` nests lists and objects more than MAX_DEPTH levels (walked without recursion)."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def schema_problems(document) -> list[str]:
    """Where ``document`` breaks the schema, as Italian messages naming the place (empty when valid)."""
    if too_deep(document):
        return [JSON_TOO_DEEP]
    found = document.get("format_version") if isinstance(document, dict) else None
    if isinstance(found, int) and not isinstance(found, bool) and found > FORMAT_VERSION:
        return [TOO_NEW.format(found=found, current=FORMAT_VERSION)]
    problems = []
    for error in sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(documento)"
        problems.append(f"{where}: {error.message}")
    if not problems:
        problems = _phase_date_problems(document)
    return problems


def _phase_date_problems(document) -> list[str]:
    """The phase dates of a valid document that fall outside the years a plan can have."""
    problems = []
    message = PHASE_DATE_OUT_OF_RANGE.format(first=FIRST_YEAR, last=LAST_YEAR)
    for i, objective in enumerate(document["objectives"]):
        for j, phase in enumerate(objective["phases"]):
            for key in ("start", "end"):
                try:
                    day = dt.date.fromisoformat(phase.get(key) or "")
                except ValueError:  # empty (a note, not a dated phase); a malformed date fails the schema
                    continue
                if not date_in_range(day):
                    problems.append(f"objectives/{i}/phases/{j}/{key}: {message}")
    return problems


def format_version(document: dict) -> int:
    """The version of the interchange format ``document`` is written in (1 when it does not say)."""
    return document.get("format_version", 1)


def indicator_upgraded(row: dict) -> dict:
    """An indicator of the interchange document with its measure: as it is when it carries any of the
    measure's fields, else with polarity, first year's target and "da completare" read from its expected
    value (the other fields left to their defaults)."""
    if any(name in row for name in INDICATOR_MEASURES):
        return row
    polarity, target, to_complete = read_expected(row.get("expected"))
    return {
        **row,
        "polarity": polarity or INDICATOR["polarity"].default,
        "target_1": to_interchange(INDICATOR["target_1"], target),
        "to_complete": to_complete,
    }


def objective_upgraded(objective: dict) -> dict:
    """An objective of the interchange document (or a published revision's content) with its indicators'
    measures (``indicator_upgraded``)."""
    if "indicators" not in objective:
        return objective
    return {**objective, "indicators": [indicator_upgraded(row) for row in objective["indicators"]]}


def upgraded(document: dict) -> dict:
    """A valid document in the current format (a new dict; ``document`` is left as it is)."""
    return {
        **document,
        "format_version": FORMAT_VERSION,
        "objectives": [objective_upgraded(o) for o in document["objectives"]],
    }


def name_key(name: str) -> tuple[str, ...]:
    """A printed name as sorted words without accents or case: 'SATTA SABRINA' == 'Sabrina Sàtta'."""
    plain = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return tuple(sorted(w for w in plain.replace("'", " ").split() if w))


def read_document(raw: bytes, fmt: str, year: int) -> tuple[dict, list[str]]:
    """Bytes of a report (its PDF, or its text in any form the readers know) or of a JSON export ->
    (interchange document, warnings). Raises ValueError with an Italian message."""
    if fmt == "json":
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"Il file non è testo UTF-8 (byte {exc.start}): serve il report o un JSON."
            ) from exc
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"JSON non valido alla riga {exc.lineno}, colonna {exc.colno}: {exc.msg}."
            ) from exc
        except RecursionError as exc:
            raise ValueError(JSON_TOO_DEEP) from exc
        if too_deep(document):
            raise ValueError(JSON_TOO_DEEP)
        if not isinstance(document, dict):
            raise ValueError("Il JSON deve essere un oggetto con year, strategic_objectives e objectives.")
        return document, []
    # the report's readers and parser load only when a report is read
    from .piao_report import ReportError, parse_report
    from .piao_report.readers import read_report

    source = read_report(raw)
    try:
        result = parse_report(source.text, expected_year=year)
    except ReportError as exc:
        if not source.pages:
            raise
        raise ReportError(exc.line, exc.problem, exc.expected, where=source.where(exc.line)) from exc
    return result.document, [source.located(warning) for warning in result.warnings]
