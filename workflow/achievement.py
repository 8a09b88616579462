"""Achievement, computed in the open from the stored values and the body's measurement rules (SMVP).

Plain data in, plain data out: nothing here reads the database. Every result is a ``Score``: its value
(a percentage, or None when it cannot be computed yet) and, in Italian, how it was computed, so a page can
show the formula with the numbers beside every score. A score is never typed by anyone: the only number a
person writes is the NIV/OIV's adjustment of a report, which is kept apart and shown as such.

The rules (a body's ``MeasurementSystem``; ``Rules()`` holds the defaults):
- an indicator's achievement is linear between its baseline (0 when none is given) and its target,
  in the direction of its polarity: higher is better, lower is better, within a range (full inside the
  target ± tolerance, falling linearly outside it over the distance between baseline and target), done or
  not done (100 or 0);
- below ``zero_threshold`` it counts 0; above 100 % it counts 100 % unless over-achievement is allowed,
  and then up to ``cap``;
- a lower-is-better indicator without a baseline scores target ÷ actual (100 % at or below the target);
  a target that is not beyond the baseline in the indicator's direction is simply reached or not;
- the phases' achievement is the average of their completion weighted by the phases' weights (equal
  weights when none is given); the indicators' is the average of their achievements weighted the same way;
- an objective's score is ``indicators_share`` % of its indicators' achievement plus the rest of its
  phases' (either alone when the other cannot be computed);
- strategic objectives, centri di responsabilità and dirigenti: the average of their objectives' scores
  weighted by the objectives' weights (equal weights when they are all zero).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

HUNDRED = Decimal(100)
ZERO = Decimal(0)
CENT = Decimal("0.01")

NOT_MEASURED = "Valore non ancora rilevato."
NO_TARGET = "Target non indicato: l'indicatore è da completare."
NOTHING_TO_AVERAGE = "Nessun valore da cui calcolarlo."


@dataclass(frozen=True)
class Rules:
    allow_over_achievement: bool = False
    cap: Decimal = Decimal(120)
    zero_threshold: Decimal = ZERO
    indicators_share: Decimal = Decimal(70)

    @classmethod
    def of(cls, system) -> Rules:
        """The rules of a body's ``MeasurementSystem`` (None: the defaults)."""
        if system is None:
            return cls()
        return cls(
            allow_over_achievement=system.allow_over_achievement,
            cap=Decimal(system.over_achievement_cap),
            zero_threshold=Decimal(system.zero_threshold),
            indicators_share=Decimal(system.indicators_share),
        )

    @property
    def ceiling(self) -> Decimal:
        return max(self.cap, HUNDRED) if self.allow_over_achievement else HUNDRED

    def describe(self) -> str:
        over = (
            f"oltre il 100 %, fino a un massimo di {pct(self.ceiling)}"
            if self.allow_over_achievement
            else "non oltre il 100 %"
        )
        return (
            f"Sotto la soglia di {pct(self.zero_threshold)} il raggiungimento vale zero; {over}. "
            f"Punteggio dell'obiettivo: indicatori {pct(self.indicators_share)}, "
            f"fasi {pct(HUNDRED - self.indicators_share)}."
        )


@dataclass(frozen=True)
class Score:
    value: Decimal | None
    how: str  # in Italian, with the numbers
    parts: tuple = field(default=())

    @property
    def known(self) -> bool:
        return self.value is not None


def num(value: Decimal | int | float) -> str:
    """A number the Italian way, with the decimals it needs (up to 2)."""
    d = Decimal(value)
    places = 0 if d == d.to_integral_value() else 2
    return number_format(d.quantize(CENT) if places else d.to_integral_value(), places, use_l10n=True)


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{num(value)} %"


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _bounded(raw: Decimal, rules: Rules, how: str) -> Score:
    """Apply the threshold and the ceiling to a raw achievement."""
    raw = _round(raw) + ZERO  # never -0
    if raw < ZERO:
        return Score(ZERO, f"{how} = {pct(raw)}, negativo: conta 0 %")
    if raw < rules.zero_threshold:
        return Score(ZERO, f"{how} = {pct(raw)}, sotto la soglia di {pct(rules.zero_threshold)}: conta 0 %")
    if raw > rules.ceiling:
        return Score(rules.ceiling, f"{how} = {pct(raw)}, limitato al {pct(rules.ceiling)}")
    return Score(raw, f"{how} = {pct(raw)}")


def indicator_achievement(
    *,
    polarity: str,
    target: Decimal | None,
    actual: Decimal | None,
    baseline: Decimal | None = None,
    tolerance: Decimal | None = None,
    rules: Rules = Rules(),  # noqa: B008 - frozen
) -> Score:
    """One indicator's achievement (``polarity`` is a workflow.models.Polarity value)."""
    if actual is None:
        return Score(None, NOT_MEASURED)
    a = Decimal(actual)
    if polarity == "binary":
        done = a != ZERO
        return _bounded(HUNDRED if done else ZERO, rules, "Realizzato" if done else "Non realizzato")
    if target is None:
        return Score(None, NO_TARGET)
    t = Decimal(target)
    b = Decimal(baseline) if baseline is not None else None
    if polarity == "range":
        tol = abs(Decimal(tolerance or 0))
        distance = abs(a - t)
        if distance <= tol:
            return _bounded(HUNDRED, rules, f"|{num(a)} − {num(t)}| ≤ tolleranza {num(tol)}: pieno")
        span = abs(t - b) if b is not None and b != t else max(abs(t), Decimal(1))
        return _bounded(
            HUNDRED - (distance - tol) / span * HUNDRED,
            rules,
            f"100 − (|{num(a)} − {num(t)}| − {num(tol)}) ÷ {num(span)} × 100",
        )
    if polarity == "lower" and b is None:
        if a <= t or a <= ZERO or t <= ZERO:
            # at or below the target, or a ratio without meaning (zero or negative values): reached or not
            reached = a <= t
            return _bounded(
                HUNDRED if reached else ZERO,
                rules,
                f"{num(a)} ≤ target {num(t)}: {'pieno' if reached else 'non raggiunto'}",
            )
        if a <= t:
            return _bounded(HUNDRED, rules, f"{num(a)} ≤ target {num(t)}: pieno")
        return _bounded(t / a * HUNDRED, rules, f"{num(t)} ÷ {num(a)} × 100")
    b = b if b is not None else ZERO
    lower = polarity == "lower"
    if (t <= b and not lower) or (t >= b and lower):
        # no distance to cover in the indicator's direction: the target is reached or it is not
        reached = a <= t if lower else a >= t
        sign = "≤" if lower else "≥"
        return _bounded(
            HUNDRED if reached else ZERO,
            rules,
            f"{num(a)} {sign} target {num(t)} (partenza {num(b)}): "
            f"{'raggiunto' if reached else 'non raggiunto'}",
        )
    return _bounded(
        (a - b) / (t - b) * HUNDRED, rules, f"({num(a)} − {num(b)}) ÷ ({num(t)} − {num(b)}) × 100"
    )


def weighted_average(items: Iterable[tuple[Decimal | None, Score]], *, what: str = "") -> Score:
    """The average of the known scores weighted by their weights (equal weights when none is positive)."""
    known = [(Decimal(w or 0), s) for w, s in items if s.value is not None]
    if not known:
        return Score(None, NOTHING_TO_AVERAGE)
    if sum(w for w, _ in known) <= ZERO:
        known = [(Decimal(1), s) for _, s in known]
        label = "media semplice"
    else:
        label = "media pesata"
    total = sum(w for w, _ in known)
    value = _round(sum(w * s.value for w, s in known) / total)
    terms = " + ".join(f"{num(w)} × {pct(s.value)}" for w, s in known)
    how = f"{label}{' ' + what if what else ''}: ({terms}) ÷ {num(total)} = {pct(value)}"
    return Score(value, how, parts=tuple(s for _, s in known))


def objective_score(*, indicators: Score, phases: Score, rules: Rules = Rules()) -> Score:  # noqa: B008
    """An objective's score from its indicators' and its phases' achievement."""
    if indicators.value is None and phases.value is None:
        return Score(None, NOTHING_TO_AVERAGE)
    if phases.value is None:
        return Score(indicators.value, f"solo indicatori: {pct(indicators.value)}", (indicators,))
    if indicators.value is None:
        return Score(phases.value, f"solo fasi: {pct(phases.value)}", (phases,))
    share = rules.indicators_share
    value = _round((share * indicators.value + (HUNDRED - share) * phases.value) / HUNDRED)
    how = (
        f"{pct(share)} × indicatori {pct(indicators.value)} + {pct(HUNDRED - share)} × fasi "
        f"{pct(phases.value)} = {pct(value)}"
    )
    return Score(value, how, (indicators, phases))


def adjusted(score: Score, adjusted_value: Decimal | None, reason: str = "") -> Score:
    """The NIV/OIV's adjustment replaces the computed score, which stays in the explanation."""
    if adjusted_value is None:
        return score
    return Score(
        _round(Decimal(adjusted_value)),
        f"rettificato dal NIV/OIV a {pct(Decimal(adjusted_value))} (calcolato: {pct(score.value)}). "
        f"Motivazione: {reason}",
        (score,),
    )
