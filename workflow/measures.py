"""An indicator's measure: what its printed expected value says, and how a measured number is written.

The report prints each indicator's expected value as text ("Valore atteso": "100,00", "SI", "<30",
"31/12/2023", "NO"). ``read_expected`` takes from it only what it states, never guessing:

- a number written the Italian way ("100,00", "4,00", "1.250,50", "90 %") is a target to reach or pass:
  polarity "higher is better", first year's target that number; "0,00" is the one exception: a target of
  0 says nothing about which way is better, so it is kept and the indicator flagged "da completare";
- "<30", "<= 30" (or "≤") is a ceiling: polarity "lower is better", target 30; ">7", ">= 7" (or "≥") a
  floor: "higher is better", target 7;
- "SI" is a thing to be done: polarity "done / not done", target 1;
- anything else ("NO", a date such as "31/12/2023", an empty cell, words) gives no target: the indicator
  is flagged "da completare" for its dirigente, and the text stays as imported.

Plain text in, plain values out; ``measure_text`` writes a number as the pages print it ("100,00").
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from django.utils import formats

from .models import Polarity

# An Italian number: digits, "." between thousands, "," before the decimals; a trailing "%" is allowed.
_NUMBER = r"(?P<number>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?:\s*%)?"
_PLAIN = re.compile(rf"^{_NUMBER}$")
_BOUND = re.compile(rf"^(?P<sign><=|>=|<|>|≤|≥)\s*{_NUMBER}$")
_CEILINGS = {"<", "<=", "≤"}
_YES = {"si"}


def _number(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def read_expected(text: str | None) -> tuple[str | None, Decimal | None, bool]:
    """The printed expected value as (polarity, first year's target, to complete): the polarity is a
    ``Polarity`` value, or None where the text does not tell it; the target is None where the text gives
    no number (module docstring)."""
    plain = " ".join((text or "").split())
    if unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode().lower() in _YES:
        return Polarity.BINARY.value, Decimal(1), False
    match = _PLAIN.match(plain)
    if match:
        number = _number(match["number"])
        if number == 0:
            return None, number, True
        return Polarity.HIGHER.value, number, False
    match = _BOUND.match(plain)
    if match:
        polarity = Polarity.LOWER if match["sign"] in _CEILINGS else Polarity.HIGHER
        return polarity.value, _number(match["number"]), False
    return None, None, True


def measure_text(value) -> str:
    """A measured number (a Decimal, an int or a float of the interchange document) as the pages print
    it: Italian separators and at least two decimals, more when it has them ("100,00", "0,125"); no value
    is an empty text."""
    if value is None or value == "" or isinstance(value, bool):
        return ""
    number = Decimal(str(value))
    if not number.is_finite():
        return str(value)
    exponent = number.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return formats.number_format(number, decimal_pos=places)
