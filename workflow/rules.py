"""Pure rules on an objective's content: plain data in, Italian messages out."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format

# The years a plan's dates can fall in. A date outside them is a typing slip or a forged request: every
# form with a date refuses it next to its field, before it reaches a computation or the database.
FIRST_YEAR = 2000
LAST_YEAR = 2100
DATE_OUT_OF_RANGE = f"Indica una data tra il {FIRST_YEAR} e il {LAST_YEAR}."


def date_in_range(value) -> bool:
    """Whether a date (or a datetime) falls in the years a plan can have."""
    return FIRST_YEAR <= value.year <= LAST_YEAR


def validate_plan_date(value) -> None:
    """A form field validator: ``validators=[validate_plan_date]``."""
    if value is not None and not date_in_range(value):
        raise ValidationError(DATE_OUT_OF_RANGE, code="date_out_of_range")


def submission_problems(objective, phases, indicators) -> list[str]:
    """What keeps a draft from being submitted (DESIGN.md, transition ``submit``). Empty when complete."""
    problems = []
    missing = []
    if not (objective.title or "").strip():
        missing.append("titolo")
    if objective.strategic_objective_id is None:
        missing.append("obiettivo strategico")
    if objective.weight is None or objective.weight <= 0:
        missing.append("peso maggiore di zero")
    if not phases:
        missing.append("almeno una fase")
    if not indicators:
        missing.append("almeno un indicatore")
    if missing:
        problems.append("Mancano: " + ", ".join(missing) + ".")
    for n, phase in enumerate(phases, start=1):
        if phase.start and phase.end and phase.start > phase.end:
            problems.append(
                f"La fase {n} («{_short(phase.description)}») inizia il {phase.start:%d/%m/%Y}, "
                f"dopo la fine prevista del {phase.end:%d/%m/%Y}."
            )
    weights = [p.weight for p in phases if p.weight is not None]
    if weights:
        total = sum(weights, Decimal(0))
        if total != Decimal(100):
            problems.append(f"I pesi delle fasi sommano a {number_format(total, 2)}% invece di 100%.")
    return problems


def _short(text: str, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def year_of(report) -> int:
    """Which year of the plan's triennium a report's period falls in (1, 2 or 3)."""
    return max(1, min(3, report.period.reference_date.year - report.objective.plan.year + 1))


def indicator_is_numeric(indicator, year: int = 1) -> bool:
    """Whether an indicator's actual value is a number (else a text): it has a numeric target for that
    year of the triennium, or it is done / not done."""
    target = {1: indicator.target_1, 2: indicator.target_2, 3: indicator.target_3}.get(year)
    return target is not None or indicator.polarity == "binary"


def report_problems(report, *, phases, indicators, progress, measures) -> list[str]:
    """What keeps a progress report from being submitted. Empty when complete: every indicator has its
    value at the reference date (a number; text for an indicator without a numeric target), every phase
    its progress, dates in order, a completed phase at 100 %, and the explanation of deviations when a
    phase is late."""
    problems = []
    by_indicator = {m.indicator_id: m for m in measures}
    for n, indicator in enumerate(indicators, start=1):
        measure = by_indicator.get(indicator.pk)
        numeric = indicator_is_numeric(indicator, year_of(report))
        if measure is None or (measure.value is None and (numeric or not measure.text_value.strip())):
            problems.append(
                f"Manca il valore rilevato dell'indicatore {n} («{_short(indicator.description)}»)."
            )
    by_phase = {p.phase_id: p for p in progress}
    late = False
    for n, phase in enumerate(phases, start=1):
        row = by_phase.get(phase.pk)
        name = f"La fase {n} («{_short(phase.description)}»)"
        if row is None:
            problems.append(f"{name} non ha l'avanzamento.")
            continue
        if row.status == "done" and row.percent != Decimal(100):
            percent = number_format(row.percent, 2)
            problems.append(
                f"{name} è indicata come completata, ma il suo avanzamento è {percent} % invece di 100 %."
            )
        if row.actual_start and row.actual_end and row.actual_start > row.actual_end:
            problems.append(
                f"{name} ha la fine effettiva ({row.actual_end:%d/%m/%Y}) prima dell'inizio "
                f"({row.actual_start:%d/%m/%Y})."
            )
        late = late or row.status == "late"
    if late and not (report.explanation or "").strip():
        problems.append("Una fase è in ritardo: spiega gli scostamenti e le loro cause.")
    return problems
