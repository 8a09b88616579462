"""The Relazione sulla performance's state machine (DESIGN.md, "The year after publication"), with
viewflow.fsm.

drafting → adopted (the Segreteria registers the act; the document is generated and frozen) → validated
(the NIV/OIV, "validata" or "validata con osservazioni") → published (the Segreteria). "Non validata"
(``reject``) sends the adopted Relazione back to drafting: the adopted document stays on record, the next
adoption is a document of its own. What each step records is declared by its step
(flows.steps.relazione).
"""

from __future__ import annotations

from viewflow.fsm.base import State as FsmState

from workflow import access
from workflow.models import RelazioneState, RelazioneTransition, ValidationOutcome

from . import errors


def _segreteria(flow, user):
    return access.is_segreteria(user, flow.relazione.plan.body_id)


def _revisore(flow, user):
    return access.is_revisore(user, flow.relazione.plan.body_id)


def _has_results(flow):
    """Adoption needs data with at least one validated objective (generated in the step's ``prepare``)."""
    data = flow.data.get("generated")
    if data is None:
        return FsmState.CONDITION(
            False, flow.data.get("generation_error") or errors.RELAZIONE_NOTHING_VALIDATED
        )
    return FsmState.CONDITION(data["totals"]["validated"] > 0, errors.RELAZIONE_NOTHING_VALIDATED)


def _observations_given(flow):
    outcome = flow.data.get("outcome")
    if (
        outcome
        and outcome != ValidationOutcome.VALIDATED
        and not (flow.data.get("observations") or "").strip()
    ):
        label = ValidationOutcome(outcome).label
        return FsmState.CONDITION(False, errors.RELAZIONE_OBSERVATIONS_REQUIRED.format(outcome=label))
    return FsmState.CONDITION(True)


def _is_validated(flow):
    return FsmState.CONDITION(
        flow.data.get("outcome") in (ValidationOutcome.VALIDATED, ValidationOutcome.WITH_OBSERVATIONS),
        "Con l'esito «Non validata» la Relazione torna in redazione.",
    )


def _is_not_validated(flow):
    return FsmState.CONDITION(
        flow.data.get("outcome") == ValidationOutcome.NOT_VALIDATED,
        "Solo l'esito «Non validata» riporta la Relazione in redazione.",
    )


class RelazioneFlow:
    state = FsmState(RelazioneState, default=RelazioneState.DRAFTING)

    def __init__(self, relazione, *, by, data=None):
        self.relazione = relazione
        self.source = relazione.state
        self.by = by
        self.data = data or {}
        self.problems: list[str] = []

    @state.setter()
    def _set_state(self, value):
        self.relazione.state = value

    @state.getter()
    def _get_state(self):
        return self.relazione.state

    @state.transition(
        source=RelazioneState.DRAFTING,
        target=RelazioneState.ADOPTED,
        label=RelazioneTransition.ADOPT.label,
        permission=_segreteria,
        conditions=[_has_results],
    )
    def adopt(self):
        pass

    @state.transition(
        source=RelazioneState.ADOPTED,
        target=RelazioneState.VALIDATED,
        label=RelazioneTransition.VALIDATE.label,
        permission=_revisore,
        conditions=[_is_validated, _observations_given],
    )
    def validate(self):
        pass

    @state.transition(
        source=RelazioneState.ADOPTED,
        target=RelazioneState.DRAFTING,
        label=RelazioneTransition.REJECT.label,
        permission=_revisore,
        conditions=[_is_not_validated, _observations_given],
    )
    def reject(self):
        self.relazione.revision += 1

    @state.transition(
        source=RelazioneState.VALIDATED,
        target=RelazioneState.PUBLISHED,
        label=RelazioneTransition.PUBLISH.label,
        permission=_segreteria,
    )
    def publish(self):
        pass


def available_relazione_transitions(relazione, user) -> list[str]:
    """Steps leaving the Relazione's state that ``user`` may try (their conditions not checked)."""
    flow = RelazioneFlow(relazione, by=user)
    return [
        name
        for name in RelazioneTransition.values
        if getattr(flow, name).can_proceed(check_conditions=False) and getattr(flow, name).has_perm(user)
    ]
