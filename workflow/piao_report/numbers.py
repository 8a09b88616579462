"""Numbers, percentages and dates as the report prints them: '40,50', '40,50 %', '01/03/2023'."""

from __future__ import annotations

import re
from datetime import date

from .errors import ReportError

_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})*(?:,\d+)?|\d+(?:[.,]\d+)?")
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_number(text: str, line: int, expected: str) -> float:
    """'40,50' -> 40.5; '1.234,5' -> 1234.5; a trailing '%' is allowed."""
    value = text.strip().removesuffix("%").strip()
    if not _NUMBER.fullmatch(value):
        raise ReportError(line, f"numero non valido «{text.strip()}»", expected)
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    return float(value)


def parse_date(text: str, line: int) -> str:
    """'01/03/2023' -> '2023-03-01'."""
    match = _DATE.fullmatch(text.strip())
    try:
        if not match:
            raise ValueError(text)
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day).isoformat()
    except ValueError:
        raise ReportError(line, f"data non valida «{text.strip()}»", "una data GG/MM/AAAA") from None


def format_number(value: float) -> str:
    """40.5 -> '40,50', as the report prints it."""
    return f"{value:.2f}".replace(".", ",")
