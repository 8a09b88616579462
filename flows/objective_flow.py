"""The objective's state machine (DESIGN.md, "The objective's states"), declared with viewflow.fsm.

Each transition names its source, target, permission and conditions; its name and label are those of
workflow.models.Transition. The flow wraps one objective for one acting user and the input of one call;
it changes only the objective's own fields. What a step records and leaves behind is declared by its step
(flows.steps.objective, attached here as ``ObjectiveFlow.machine``), run by flows.services.engine, the
only caller of the transitions.

Only the ``viewflow.fsm.base`` core is used (AGPL with viewflow's library exception); viewflow's fsm
admin, views, viewset and chart carry a commercial licence and are not imported.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from viewflow.fsm.base import State as FsmState

from approvals import consultation_dates
from approvals.models import ConsultationOutcome
from approvals.selectors import consultation, last_publication, missing_signatures, signer_capacities
from approvals.selectors.transmission import http_delivery_pending
from workflow import access
from workflow.models import SignatureMode, State, Transition, TransmitterMode
from workflow.rules import submission_problems

from . import errors

ACTIVE_STATES = [s for s in State if s not in (State.PUBLISHED, State.WITHDRAWN)]


# -- permissions: (flow, user) -> bool --------------------------------------------------------------
def _segreteria(flow, user):
    return access.is_segreteria(user, flow.objective.plan.body_id)


def _responsible(flow, user):
    return access.is_responsible(user, flow.objective)


def _segreteria_or_responsible(flow, user):
    return _segreteria(flow, user) or _responsible(flow, user)


def _pending_signer(flow, user):
    return bool(signer_capacities(flow.objective, user) & flow.missing_signatures())


# -- conditions: flow -> FsmState.CONDITION --------------------------------------------------------
def _content_complete(flow):
    obj = flow.objective
    problems = submission_problems(obj, list(obj.phases.all()), list(obj.indicators.all()))
    flow.problems = problems
    return FsmState.CONDITION(not problems, " ".join(problems))


def _consultation_may_close(flow):
    """Whether a confronto took place comes from the records: a request for confronto on the objective's
    current information. With one: the outcome (agreement or divergent) and the summary of positions.
    Without one: the outcome is "no request", and closing before the information period has passed needs
    the Segreteria's written reason (recorded, and highlighted to the auditors)."""
    data = flow.data
    # The objective's row is locked: a request for confronto locks it too (flows.services.consultation).
    information = consultation.current_information(flow.objective)
    requested = consultation.confronto_requested(information)
    outcome = data.get("outcome") or ""
    flow.step_data = {
        "information": information.pk if information else None,
        "confronto": requested,
        "outcome": outcome if requested else ConsultationOutcome.NO_REQUEST.value,
    }
    if requested:
        if outcome not in (ConsultationOutcome.AGREEMENT, ConsultationOutcome.DIVERGENT):
            return FsmState.CONDITION(False, errors.OUTCOME_REQUIRED)
        if not (data.get("summary") or "").strip():
            return FsmState.CONDITION(False, errors.SUMMARY_REQUIRED)
    elif outcome and outcome != ConsultationOutcome.NO_REQUEST:
        return FsmState.CONDITION(False, errors.NO_CONFRONTO_REQUESTED)
    # Before the information period has passed (other unions may still ask for a confronto) closing needs
    # the written reason, with or without a confronto; a reason given when nothing is early is not kept.
    until = consultation_dates.objective_information_end(
        flow.objective, information, body=flow.objective.plan.body
    )
    early = timezone.now() <= until
    early_reason = (data.get("early_reason") or "").strip()
    flow.step_data["early_reason"] = early_reason if early else ""
    if not early or early_reason:
        return FsmState.CONDITION(True)
    local = timezone.localtime(until)
    return FsmState.CONDITION(
        False, errors.CONSULTATION_TOO_EARLY.format(until=f"{local:%d/%m/%Y alle %H:%M}")
    )


def _never_published(flow):
    return FsmState.CONDITION(flow.latest_publication() is None, errors.NEVER_PUBLISHED_ONLY)


def _revision_in_progress(flow):
    return FsmState.CONDITION(flow.latest_publication() is not None, errors.NO_REVISION_IN_PROGRESS)


def _login_signature_allowed(flow):
    """Approval by login in a body that allows it; in a body with qualified signatures only the verified
    upload that flows.services.signatures passes in (``pades``)."""
    body = flow.objective.plan.body
    ok = body.signature_mode == SignatureMode.LOGIN or bool(flow.data.get("pades"))
    return FsmState.CONDITION(ok, errors.QUALIFIED_SIGNATURE_REQUIRED)


def _signers_exist(flow):
    return FsmState.CONDITION(
        access.segretari_of(flow.objective.plan.body_id).exists(), errors.NO_SIGNER_AVAILABLE
    )


def _receipt_for_manual_upload(flow):
    """A manual upload is recorded with the portal's receipt; over HTTP the receipt comes back later."""
    body = flow.objective.plan.body
    if body.transmitter == TransmitterMode.HTTP:
        return FsmState.CONDITION(bool(body.transmitter_url), errors.TRANSMITTER_URL_MISSING)
    ok = bool((flow.data.get("receipt_reference") or "").strip() and flow.data.get("receipt_date"))
    return FsmState.CONDITION(ok, errors.RECEIPT_REQUIRED)


def _transmission_delivered(flow):
    pending = http_delivery_pending(flow.objective)
    if pending is None:
        return FsmState.CONDITION(True)
    return FsmState.CONDITION(
        False, errors.TRANSMISSION_NOT_DELIVERED.format(status=pending.get_status_display().lower())
    )


def information_period_end(objective) -> dt.datetime:
    """The end of the information period of the objective's consultation (approvals.consultation_dates)."""
    information = consultation.current_information(objective)
    return consultation_dates.objective_information_end(objective, information)


def _after_signature(flow, *args, **kwargs):
    """The signature stays open until the last required signer, this one included, has signed."""
    still_missing = flow.missing_signatures() - signer_capacities(flow.objective, flow.by)
    return State.SIGNATURE if still_missing else State.DELIBERATION


class ObjectiveFlow:
    state = FsmState(State, default=State.DRAFTING)

    def __init__(self, objective, *, by, data=None):
        self.objective = objective
        self.by = by
        self.data = data or {}
        self.problems: list[str] = []
        self.step_data: dict = {}  # what the conditions found that the step record keeps
        self._missing: set[str] | None = None
        self._published: list = []  # [the latest publication] once read

    def latest_publication(self):
        """The objective's latest publication (None if never published), read once for the flow: the
        conditions of several transitions ask, and a page offering the actions checks them all."""
        if not self._published:
            self._published.append(last_publication(self.objective))
        return self._published[0]

    def missing_signatures(self) -> set[str]:
        """The capacities whose signature the objective still misses, read once for the flow: the
        permission and the target of a signature both ask, on a row the step holds locked."""
        if self._missing is None:
            self._missing = missing_signatures(self.objective)
        return self._missing

    @state.setter()
    def _set_state(self, value):
        self.objective.state = value

    @state.getter()
    def _get_state(self):
        return self.objective.state

    @state.transition(
        source=State.DRAFTING,
        target=State.SUBMITTED,
        label=Transition.SUBMIT.label,
        permission=_responsible,
        conditions=[_content_complete],
    )
    def submit(self):
        pass

    @state.transition(
        source=State.SUBMITTED,
        target=State.UNION_CONSULTATION,
        label=Transition.APPROVE.label,
        permission=_segreteria,
    )
    def approve(self):
        pass

    @state.transition(
        source=[State.SUBMITTED, State.UNION_CONSULTATION, State.SIGNATURE],
        target=State.DRAFTING,
        label=Transition.RETURN_TO_DRAFTING.label,
        permission=_segreteria,
    )
    def return_to_drafting(self):
        pass

    @state.transition(
        source=State.UNION_CONSULTATION,
        target=State.SIGNATURE,
        label=Transition.CLOSE_CONSULTATION.label,
        permission=_segreteria,
        conditions=[_consultation_may_close, _signers_exist],
    )
    def close_consultation(self):
        pass

    @state.transition(
        source=State.SIGNATURE,
        target=FsmState.GET_STATE(_after_signature, states=[State.SIGNATURE, State.DELIBERATION]),
        label=Transition.SIGN.label,
        permission=_pending_signer,
        conditions=[_login_signature_allowed],
    )
    def sign(self):
        pass

    @state.transition(
        source=State.DELIBERATION,
        target=State.TRANSMISSION,
        label=Transition.ADOPT.label,
        permission=_segreteria,
    )
    def adopt(self):
        pass

    @state.transition(
        source=State.TRANSMISSION,
        target=State.PUBLICATION,
        label=Transition.TRANSMIT.label,
        permission=_segreteria,
        conditions=[_receipt_for_manual_upload],
    )
    def transmit(self):
        pass

    @state.transition(
        source=State.PUBLICATION,
        target=State.PUBLISHED,
        label=Transition.PUBLISH.label,
        permission=_segreteria,
        conditions=[_transmission_delivered],
    )
    def publish(self):
        pass

    @state.transition(
        source=ACTIVE_STATES,
        target=State.WITHDRAWN,
        label=Transition.WITHDRAW.label,
        permission=_segreteria,
        conditions=[_never_published],
    )
    def withdraw(self):
        pass

    @state.transition(
        source=State.PUBLISHED,
        target=State.DRAFTING,
        label=Transition.REVISE.label,
        permission=_segreteria_or_responsible,
    )
    def revise(self):
        self.objective.revision += 1

    @state.transition(
        source=ACTIVE_STATES,
        target=State.PUBLISHED,
        label=Transition.DISCARD_REVISION.label,
        permission=_segreteria_or_responsible,
        conditions=[_revision_in_progress],
    )
    def discard_revision(self):
        self.objective.revision = last_publication(self.objective).revision


# Conditions that decide whether a step is offered at all, not only whether it may be applied now:
# withdraw and discard_revision share their sources, and only one of them applies to an objective.
OFFERED_ONLY_IF = {_never_published, _revision_in_progress}


def transition_label(name: str) -> str:
    return Transition(name).label


def available_transitions(objective, user) -> list[str]:
    """Transitions leaving the objective's state that ``user`` may try (their conditions not checked)."""
    flow = ObjectiveFlow(objective, by=user)
    names = []
    for name in Transition.values:
        method = getattr(flow, name)
        if not (method.can_proceed(check_conditions=False) and method.has_perm(user)):
            continue
        deciding = [c for t in method.get_transitions() for c in t.conditions if c in OFFERED_ONLY_IF]
        if all(condition(flow) for condition in deciding):
            names.append(name)
    return names
