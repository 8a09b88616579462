"""Checking an interchange document (../shared/schemas/piao-performance.schema.json; a copy is kept in
workflow/data/) and matching printed names to people. Plain data in, plain data out."""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from pathlib import Path

import jsonschema

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "piao-performance.schema.json"


@cache
def _validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def schema_problems(document) -> list[str]:
    """Where ``document`` breaks the schema, as Italian messages naming the place (empty when valid)."""
    problems = []
    for error in sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(documento)"
        problems.append(f"{where}: {error.message}")
    return problems


def name_key(name: str) -> tuple[str, ...]:
    """A printed name as sorted words without accents or case: 'SATTA SABRINA' == 'Sabrina Sàtta'."""
    plain = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return tuple(sorted(w for w in plain.replace("'", " ").split() if w))


def read_document(raw: bytes, fmt: str, year: int) -> tuple[dict, list[str]]:
    """Bytes of a report or a JSON export -> (interchange document, warnings). Raises ValueError."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"Il file non è testo UTF-8 (byte {exc.start}): serve il testo del report o un JSON."
        ) from exc
    if fmt == "json":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"JSON non valido alla riga {exc.lineno}, colonna {exc.colno}: {exc.msg}."
            ) from exc
        if not isinstance(document, dict):
            raise ValueError("Il JSON deve essere un oggetto con year, strategic_objectives e objectives.")
        return document, []
    from .piao_report import parse_report  # the report parser loads only when a report is read

    result = parse_report(text, expected_year=year)
    return result.document, result.warnings
