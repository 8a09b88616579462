"""The step registry: every step of a machine declared completely, and matching its flow class."""

import ast
import pathlib

import pytest
from django import forms

from audit import actions
from flows.objective_flow import ObjectiveFlow
from flows.steps import Machine, Step
from flows.steps.objective import OBJECTIVE, Sign
from notifications import rules
from workflow.models import Objective, State, Transition

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", Transition.values)
def test_every_transition_is_a_complete_step(name):
    step = OBJECTIVE.step(name)
    assert step.name == name and step.label == Transition(name).label
    assert issubclass(step.form, forms.Form)
    assert actions.BY_CODE[step.audit_action].label  # the auditors read a label, never the code
    assert actions.family_of(step.audit_action) == "transition"
    # each event the step may raise has a rule (one may tell nobody, as a signature that is not the last)
    assert step.event(Objective(state=State.SIGNATURE)) in rules.RULES
    assert step.event(Objective(state=State.DELIBERATION)) in rules.RULES
    assert rules.kind_label(step.event(Objective(state=State.DELIBERATION)))


def test_the_last_signature_raises_its_own_event():
    sign = OBJECTIVE.step("sign")
    assert isinstance(sign, Sign)
    assert sign.event(Objective(state=State.SIGNATURE)) == "sign"
    assert sign.event(Objective(state=State.DELIBERATION)) == rules.SIGN_COMPLETED


def test_the_steps_hang_off_the_flow_class():
    assert ObjectiveFlow.machine is OBJECTIVE
    assert OBJECTIVE.step("adopt") is OBJECTIVE.steps["adopt"]
    for step in OBJECTIVE:
        transitions = list(getattr(ObjectiveFlow, step.name).get_transitions())
        assert transitions and all(t.label == step.label for t in transitions)


def _machine(steps, flow_class=ObjectiveFlow):
    return Machine(
        name="prova",
        flow_class=type("Flow", (flow_class,), {}),
        model=Objective,
        transitions=Transition,
        steps=steps,
        lock=None,
        body_id=None,
        record_step=None,
        notify=None,
    )


def test_a_machine_refuses_a_missing_step():
    steps = [type(s) for s in OBJECTIVE if s.name != "adopt"]
    with pytest.raises(TypeError, match="steps"):
        _machine(steps)


def test_a_machine_refuses_a_step_without_a_transition():
    class NoTransitions:
        pass

    with pytest.raises(TypeError, match="is not a transition"):
        _machine([type(s) for s in OBJECTIVE], flow_class=NoTransitions)


def test_a_machine_refuses_a_step_of_another_name():
    class Stray(Step):
        name = "adopt"

    steps = [type(s) for s in OBJECTIVE if s.name != "adopt"] + [Stray]
    assert _machine(steps).step("adopt").__class__ is Stray  # same name: accepted
    with pytest.raises(ValueError):
        Stray.name = "explode"
        _machine(steps)


def test_the_batch_page_offers_the_steps_the_segreteria_applies_to_many():
    assert [s.name for s in OBJECTIVE if s.in_batch] == [
        "approve",
        "return_to_drafting",
        "close_consultation",
        "adopt",
        "transmit",
        "publish",
        "withdraw",
    ]


def test_no_service_branches_on_a_transition_name():
    """What a step does is its class: the services and the engine never ask which step they run."""
    names = set(Transition.values)
    found = []
    for path in sorted((ROOT / "flows" / "services").glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                for side in [node.left, *node.comparators]:
                    if isinstance(side, ast.Constant) and side.value in names:
                        found.append(f"{path.name}:{node.lineno} {side.value!r}")
    assert not found, found
