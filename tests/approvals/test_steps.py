"""Reads over the step records: the objectives waiting for one person's signature, found for many
objectives at once as the one-objective checks find them."""

import pytest

from approvals.selectors import missing_signatures, signer_capacities
from approvals.selectors.steps import awaiting_signature_of
from tests.factories import ObjectiveFactory
from tests.support import act, walk_to
from workflow.models import Objective, State

pytestmark = pytest.mark.django_db


def one_by_one(user):
    in_signature = Objective.objects.filter(state=State.SIGNATURE).select_related("plan")
    return {o for o in in_signature if signer_capacities(o, user) & missing_signatures(o)}


def test_the_objectives_awaiting_a_signature_are_those_the_one_objective_checks_find(plan, people):
    satta, rossi, segretario = people["dirigente_satta"], people["dirigente_rossi"], people["segretario"]
    nobody_signed = walk_to(ObjectiveFactory(plan=plan, responsible=satta), State.SIGNATURE, people)
    satta_signed = walk_to(ObjectiveFactory(plan=plan, responsible=satta), State.SIGNATURE, people)
    act(satta_signed, "sign", satta)
    segretario_signed = walk_to(ObjectiveFactory(plan=plan, responsible=satta), State.SIGNATURE, people)
    act(segretario_signed, "sign", segretario)
    signed_then_voided = walk_to(ObjectiveFactory(plan=plan, responsible=satta), State.SIGNATURE, people)
    act(signed_then_voided, "sign", satta)
    act(signed_then_voided, "return_to_drafting", people["segreteria"])  # the signature is voided
    walk_to(signed_then_voided, State.SIGNATURE, people)
    of_rossi = walk_to(ObjectiveFactory(plan=plan, responsible=rossi), State.SIGNATURE, people)
    ObjectiveFactory(plan=plan, responsible=satta, state=State.SUBMITTED)  # not in signature: never

    for user in people.values():
        assert set(awaiting_signature_of(user, Objective.objects.all())) == one_by_one(user), user.username
    assert set(awaiting_signature_of(satta, Objective.objects.all())) == {
        nobody_signed, segretario_signed, signed_then_voided
    }
    assert set(awaiting_signature_of(segretario, Objective.objects.all())) == {
        nobody_signed, satta_signed, signed_then_voided, of_rossi
    }
    assert awaiting_signature_of(people["segreteria"], Objective.objects.all()) == []
