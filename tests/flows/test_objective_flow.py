"""flows.objective_flow.available_transitions: the buttons a page offers (the service still checks)."""

import pytest

from flows.objective_flow import available_transitions
from tests.support import act, fresh, walk_to
from workflow.models import State

pytestmark = pytest.mark.django_db

OFFERED = [
    # state, revision in progress, who, offered
    (State.DRAFTING, False, "dirigente_satta", ["submit"]),
    (State.DRAFTING, False, "segreteria", ["withdraw"]),
    (State.DRAFTING, False, "dirigente_rossi", []),
    (State.DRAFTING, False, "revisore", []),
    (State.SUBMITTED, False, "segreteria", ["approve", "return_to_drafting", "withdraw"]),
    (State.SUBMITTED, False, "dirigente_satta", []),
    (State.UNION_CONSULTATION, False, "segreteria", ["return_to_drafting", "close_consultation", "withdraw"]),
    (State.UNION_CONSULTATION, False, "sindacato", []),
    (State.SIGNATURE, False, "dirigente_satta", ["sign"]),
    (State.SIGNATURE, False, "segretario", ["return_to_drafting", "sign", "withdraw"]),
    (State.SIGNATURE, False, "segreteria", ["return_to_drafting", "withdraw"]),
    (State.DELIBERATION, False, "segreteria", ["adopt", "withdraw"]),
    (State.TRANSMISSION, False, "segreteria", ["transmit", "withdraw"]),
    (State.PUBLICATION, False, "segreteria", ["publish", "withdraw"]),
    (State.PUBLISHED, False, "segreteria", ["revise"]),
    (State.PUBLISHED, False, "dirigente_satta", ["revise"]),
    (State.PUBLISHED, False, "dirigente_rossi", []),
    (State.DRAFTING, True, "dirigente_satta", ["submit", "discard_revision"]),
    (State.DRAFTING, True, "segreteria", ["discard_revision"]),
    (State.SIGNATURE, True, "segreteria", ["return_to_drafting", "discard_revision"]),
]


@pytest.mark.parametrize(("state", "rev", "who", "offered"), OFFERED)
def test_available_transitions(draft, people, state, rev, who, offered):
    o = walk_to(draft, state, people, revision_in_progress=rev)
    assert available_transitions(o, people[who]) == offered


def test_a_signer_who_signed_is_no_longer_offered_sign(draft, people):
    o = walk_to(draft, State.SIGNATURE, people)
    act(o, "sign", people["dirigente_satta"])
    assert available_transitions(fresh(o), people["dirigente_satta"]) == []
    assert "sign" in available_transitions(fresh(o), people["segretario"])
