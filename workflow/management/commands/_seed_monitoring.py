"""The demo's monitoring of the year (used by ``seed_demo``): the published objectives of the real plan
through the intermediate period, then through the final period (most validated, a few left behind), and
the Relazione sulla performance started by the Segreteria, in drafting with its texts.

Every change goes through flows.services.monitoring, by the person who would make it: the Segreteria opens
the periods and the reports and checks, each objective's responsible dirigente fills in the values, attaches
a PDF and submits, the NIV/OIV validates (adjusting a few scores, with the reason). The values are not
invented one by one: each is derived from the indicator's target or the phase's planned dates at the
reference date, through a fixed fraction computed from the objective's code (the same on every run).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape

from flows.services import monitoring
from workflow.management import demo_data as demo
from workflow.models import PhaseStatus, Polarity, ProgressReport
from workflow.scores import report_score

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def fraction(*parts) -> Decimal:
    """A fixed number in [0, 1) for ``parts`` (an objective's code, a row): the same on every run."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()
    return (Decimal(int(digest[:8], 16)) / Decimal(2**32)).quantize(Decimal("0.0001"))


def _rounded(value: Decimal, target: Decimal) -> Decimal:
    """Counts stay whole numbers (a target such as 4 or 20); the rest keeps two decimals."""
    if target == target.to_integral_value() and abs(target) <= 20:
        return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()  # noqa: DTZ007 - a date only
    except ValueError:
        return None


def measure_values(code: str, n: int, indicator, reference: dt.date) -> dict:
    """The value of indicator ``n`` of objective ``code`` at ``reference``: a number where the indicator
    has a target (or is done / not done), a text where it has none."""
    f = fraction(code, "indicatore", n)
    values = {
        "source": indicator.data_source or demo.MEASURE_SOURCE.format(date=reference),
        "measured_on": reference,
    }
    target, polarity = indicator.target_1, indicator.polarity
    if polarity == Polarity.BINARY:
        return values | {"value": Decimal(1) if f >= Decimal("0.3") else Decimal(0)}
    if target is None:
        return values | {"text_value": _text_value(indicator.expected, reference, f)}
    target = Decimal(target)
    if polarity == Polarity.RANGE:
        tolerance = Decimal(indicator.tolerance or 0)
        return values | {"value": _rounded(target + tolerance * (2 * f - 1), target)}
    if polarity == Polarity.LOWER:
        # around the ceiling: from 30 % below it to 20 % above it
        return values | {"value": _rounded(target * (Decimal("0.7") + f / 2), target)}
    baseline = Decimal(indicator.baseline_value or 0)
    if target <= baseline:  # nothing to cover in the indicator's direction: reached
        return values | {"value": target}
    # at mid-year, from 55 % of the way to the target up to the target itself
    share = Decimal("0.55") + f * 45 / 100
    return values | {"value": _rounded(baseline + (target - baseline) * share, target)}


def _text_value(expected: str, reference: dt.date, f: Decimal) -> str:
    due = _date(expected)
    if due is not None and due <= reference:
        done = max(due - dt.timedelta(days=int(f * 20)), dt.date(reference.year, 1, 1))
        return f"Realizzato il {done:%d/%m/%Y}"
    if due is not None:
        return f"In corso: da completare entro il {due:%d/%m/%Y}"
    return f"In linea con il valore atteso («{expected.strip()}»)" if expected.strip() else "In corso"


def phase_values(code: str, n: int, phase, reference: dt.date) -> dict | None:
    """The progress of phase ``n`` of objective ``code`` at ``reference``, from its planned dates: done
    when it should have ended (now and then late), under way in proportion to the time elapsed (a little
    ahead or behind), not started when it starts later. A phase without dates (a note) is left as it is."""
    if phase.start is None or phase.end is None:
        return None
    f = fraction(code, "fase", n)
    if phase.start > reference:
        return {"percent": Decimal(0), "status": PhaseStatus.NOT_STARTED}
    if phase.end <= reference:
        if f < Decimal("0.12"):
            late = Decimal(70) + (f * 200).quantize(Decimal(1))
            return {"percent": late, "status": PhaseStatus.LATE, "actual_start": phase.start}
        end = max(phase.start, phase.end - dt.timedelta(days=int(f * 10)))
        return {
            "percent": HUNDRED,
            "status": PhaseStatus.DONE,
            "actual_start": phase.start,
            "actual_end": end,
        }
    length = max((phase.end - phase.start).days, 1)
    planned = Decimal((reference - phase.start).days) / length * HUNDRED
    pace = Decimal("0.8") + f * 35 / 100
    percent = min(max((planned * pace).quantize(Decimal(1), rounding=ROUND_HALF_UP), Decimal(5)), Decimal(95))
    status = PhaseStatus.LATE if pace < Decimal("0.88") else PhaseStatus.ON_TRACK
    return {"percent": percent, "status": status, "actual_start": phase.start}


def _short(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _lock_version(report_id: int) -> int:
    return ProgressReport.objects.values_list("lock_version", flat=True).get(pk=report_id)


class MonitoringWalk:
    """The intermediate period of the demo plan, then the final period opened."""

    def __init__(self, plan, people):
        self.plan = plan
        self.segreteria = people["segreteria"]
        self.revisore = people["revisore"]

    def run(self) -> dict[str, int]:
        periods = monitoring.periods_create_default(plan=self.plan, by=self.segreteria)
        intermediate = next(p for p in periods if not p.is_final)
        final = next(p for p in periods if p.is_final)
        monitoring.reports_open(period=intermediate, by=self.segreteria)
        reports = {
            r.objective.code: r
            for r in ProgressReport.objects.filter(period=intermediate)
            .select_related("objective__responsible", "period")
            .prefetch_related("objective__phases", "objective__indicators")
        }
        outcomes = {code: state for code, state in demo.MONITORING.items() if code in reports}
        for code, state in outcomes.items():
            if state != "open":
                self._report(reports[code], intermediate.reference_date)
        for code, state in outcomes.items():
            if state == "returned":
                reason = {"comment": demo.REPORT_RETURN_REASON}
                self._step(reports[code], "send_back", self.segreteria, reason)
        to_check = [reports[c].pk for c, s in outcomes.items() if s in ("checked", "validated")]
        if to_check:
            monitoring.reports_batch_transition(report_ids=to_check, name="check", by=self.segreteria)
        for code, state in outcomes.items():
            if state == "validated":
                self._validate(reports[code])
        opened = monitoring.reports_open(period=final, by=self.segreteria)
        counts = {state: list(outcomes.values()).count(state) for state in set(outcomes.values())}
        finals = self._final(final, opened)
        self._relazione()
        return counts | {"final": len(opened)} | {f"final_{k}": v for k, v in finals.items()}

    def _final(self, period, opened) -> dict[str, int]:
        """The final period: every report filled in and validated but those of FINAL_MONITORING."""
        reports = {
            r.objective.code: r
            for r in ProgressReport.objects.filter(pk__in=[r.pk for r in opened])
            .select_related("objective__responsible", "period")
            .prefetch_related("objective__phases", "objective__indicators")
        }
        outcomes = {code: demo.FINAL_MONITORING.get(code, "validated") for code in reports}
        for code, state in outcomes.items():
            if state != "open":
                self._report(reports[code], period.reference_date, final=True)
        to_check = [reports[c].pk for c, s in outcomes.items() if s in ("checked", "validated")]
        if to_check:
            monitoring.reports_batch_transition(report_ids=to_check, name="check", by=self.segreteria)
        for code, state in outcomes.items():
            if state == "validated":
                self._validate(reports[code], demo.FINAL_ADJUSTMENTS)
        return {state: list(outcomes.values()).count(state) for state in set(outcomes.values())}

    def _relazione(self) -> None:
        from flows.services import relazione

        started = relazione.relazione_start(plan=self.plan, by=self.segreteria)
        relazione.relazione_texts_save(
            relazione_id=started.pk,
            by=self.segreteria,
            presentation=demo.RELAZIONE_PRESENTATION,
            context=demo.RELAZIONE_CONTEXT,
            lock_version=started.lock_version,
        )

    def _report(self, report, reference: dt.date, *, final: bool = False) -> None:
        """The responsible dirigente fills in the values, attaches the PDF and submits."""
        objective, code = report.objective, report.objective.code
        by = objective.responsible
        phases, late = {}, []
        for n, phase in enumerate(objective.phases.all(), start=1):
            values = phase_values(code, n, phase, reference)
            if values is None:
                continue
            phases[phase.pk] = values
            if values["status"] == PhaseStatus.LATE:
                late.append(f"Fase {n} («{_short(phase.description)}»)")
        indicators = list(objective.indicators.all())
        measures = {
            indicator.pk: measure_values(code, n, indicator, reference)
            for n, indicator in enumerate(indicators, start=1)
        }
        if final:
            explanation, no_deviation = demo.FINAL_LATE_EXPLANATION, demo.FINAL_NO_DEVIATION
            corrective = demo.FINAL_LATE_CORRECTIVE
        else:
            explanation, no_deviation = demo.LATE_EXPLANATION, demo.NO_DEVIATION
            corrective = demo.LATE_CORRECTIVE
        monitoring.report_save(
            report_id=report.pk,
            by=by,
            lock_version=_lock_version(report.pk),
            explanation=explanation.format(phases="; ".join(late)) if late else no_deviation,
            corrective_actions=corrective if late else "",
            phases=phases,
            measures=measures,
        )
        monitoring.evidence_add(
            report_id=report.pk,
            by=by,
            lock_version=_lock_version(report.pk),
            name=f"prospetto-{code}-{reference:%Y-%m-%d}.pdf",
            content=_evidence_pdf(report, indicators, measures, reference),
            description=f"Prospetto dei valori rilevati al {reference:%d/%m/%Y}",
        )
        self._step(report, "submit", by)

    def _validate(self, report, adjustments=None) -> None:
        data: dict = {}
        adjustments = demo.ADJUSTMENTS if adjustments is None else adjustments
        if report.objective.code in adjustments:
            delta, reason = adjustments[report.objective.code]
            computed = report_score(ProgressReport.objects.get(pk=report.pk)).computed.value or Decimal(0)
            adjusted = min(max(computed + Decimal(delta), Decimal(0)), HUNDRED).quantize(CENT)
            data = {"adjusted_score": adjusted, "adjustment_reason": reason}
        self._step(report, "validate", self.revisore, data)

    @staticmethod
    def _step(report, name: str, by, data: dict | None = None) -> None:
        monitoring.report_transition(
            report_id=report.pk, name=name, by=by, lock_version=_lock_version(report.pk), data=data or {}
        )


def _evidence_pdf(report, indicators, measures, reference: dt.date) -> bytes:
    """A one-page PDF listing the values declared, as a settore's summary sheet would."""
    from weasyprint import HTML

    rows = []
    for n, indicator in enumerate(indicators, start=1):
        values = measures[indicator.pk]
        value = values.get("text_value") or str(values.get("value", "")).replace(".", ",")
        rows.append(
            f"<tr><td>{n}</td><td>{escape(_short(indicator.description, 120))}</td>"
            f"<td>{escape(indicator.expected)}</td><td>{escape(value)}</td></tr>"
        )
    objective = report.objective
    html = (
        "<html lang='it'><body style=\"font-family: 'DejaVu Sans'; font-size: 10pt\">"
        f"<h1 style='font-size: 14pt'>{escape(objective.code)} – {escape(objective.title)}</h1>"
        f"<p>{escape(report.period.name)}: valori rilevati al {reference:%d/%m/%Y} (dati dimostrativi).</p>"
        "<table border='1' cellpadding='4' style='border-collapse: collapse'>"
        "<tr><th>n.</th><th>Indicatore</th><th>Valore atteso</th><th>Valore rilevato</th></tr>"
        + "".join(rows)
        + "</table></body></html>"
    )
    return HTML(string=html).write_pdf()
