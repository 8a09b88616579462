"""What the Segreteria's and the NIV/OIV's monitoring pages share: who reads them, the plan of the URL,
and a score as they show it (the value and how it was computed)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from flows import errors
from workflow import access, selectors
from workflow.access import READ_ALL_ROLES
from workflow.achievement import (
    pct,
)
from workflow.models import ReportState

PAGE_SIZE = 25
RECENT_SIZE = 10
NAV = "monitoring"

READERS_ONLY = "Il monitoraggio del piano è riservato a chi legge tutti gli obiettivi dell'ente."
QUEUE_ONLY = "La coda di validazione è riservata al NIV/OIV e alla Segreteria Generale dell'ente."
BOARD_FORBIDDEN = "Solo la Segreteria Generale dell'ente verifica le rendicontazioni."
SELECT_ONE = "Seleziona almeno una rendicontazione inviata."
UNKNOWN_ACTION = "Azione non riconosciuta: nessun dato è stato modificato."
DEFAULTS_ALREADY = "Il piano ha già i suoi periodi: nessun periodo è stato aggiunto."

# Where the service's refusals of a period belong in its form.
PERIOD_ERROR_FIELDS = {
    errors.PERIOD_DUE_BEFORE_REFERENCE: "due_date",
    errors.PERIOD_NAME_TAKEN: "name",
    errors.PERIOD_DATE_TAKEN: "reference_date",
}
OPEN_STATES = (ReportState.OPEN, ReportState.RETURNED)


def _readers_only(request, body, message=READERS_ONLY) -> None:
    """Dirigenti, Segreteria and NIV/OIV read these pages: they read every objective of the body."""
    if not access.roles_in(request.user, body) & READ_ALL_ROLES:
        raise PermissionDenied(message)


def _plan(body, year: int):
    plan = selectors.plans_of(body).filter(year=year).first()
    if plan is None:
        raise Http404("Piano non trovato.")
    return plan


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


# -- scores shown with how they were computed ---------------------------------------------------------


@dataclass(frozen=True)
class ShownScore:
    """A report's final score as a page shows it: the number, and each line of how it was computed."""

    text: str
    known: bool
    lines: list[tuple[str, str]]
    adjusted: bool


def shown_score(report_score) -> ShownScore:
    final, computed = report_score.final, report_score.computed
    lines = [(f"Indicatore {n}", row.score.how) for n, row in enumerate(report_score.indicators, start=1)]
    lines += [
        ("Indicatori", report_score.indicators_score.how),
        ("Fasi", report_score.phases_score.how),
        ("Obiettivo", computed.how),
    ]
    adjusted = final is not computed
    if adjusted:
        lines.append(("Rettifica", final.how))
    return ShownScore(pct(final.value), final.known, lines, adjusted)


@dataclass(frozen=True)
class Row:
    report: object
    score: ShownScore
    overdue: bool
    selectable: bool

    @property
    def responsible(self) -> str:
        objective = self.report.objective
        return _person(objective.responsible) or objective.responsible_name or "—"
