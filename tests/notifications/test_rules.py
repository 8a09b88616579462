"""The rules table, one rule at a time: who is told (everyone expected, no one else, never the actor) and
what they read. Each case runs the real flows/ service, so it also shows that the service calls the rules."""

import pytest

from flows.services.content import (
    objective_assign_responsible,
    objective_delegate,
    objective_revoke_delegation,
    objective_update,
)
from notifications import rules
from notifications.models import Notification
from tests.support import COMMENT, act, fresh, walk_to
from workflow.models import State

pytestmark = pytest.mark.django_db

SEGRETERIA = {"segreteria", "segretario"}  # the Segretario Generale is a member of the Segreteria


def told(objective, event) -> set[str]:
    rows = Notification.objects.filter(objective=objective, transition=event)
    names = [n.recipient.username for n in rows]
    assert len(names) == len(set(names)), f"someone was told twice: {names}"
    return set(names)


def only_notifications(objective) -> set[str]:
    return set(Notification.objects.filter(objective=objective).values_list("transition", flat=True))


@pytest.fixture
def delegated(draft, people):
    """The draft, with editing delegated to funzionario_bianchi (whose notification is then cleared)."""
    objective_delegate(
        objective_id=draft.pk, by=people["dirigente_satta"], delegate=people["funzionario_bianchi"]
    )
    Notification.objects.all().delete()
    return draft


# (transition, state it starts from, actor, who is told). "responsible" acts as dirigente_satta.
CASES = [
    ("submit", State.DRAFTING, "dirigente_satta", SEGRETERIA),
    ("approve", State.SUBMITTED, "segreteria", {"dirigente_satta", "sindacato"}),
    ("approve", State.SUBMITTED, "segretario", {"dirigente_satta", "sindacato"}),
    ("return_to_drafting", State.SUBMITTED, "segreteria", {"dirigente_satta", "funzionario_bianchi"}),
    (
        "return_to_drafting",
        State.UNION_CONSULTATION,
        "segretario",
        {"dirigente_satta", "funzionario_bianchi"},
    ),
    ("close_consultation", State.UNION_CONSULTATION, "segreteria", {"dirigente_satta", "segretario"}),
    # the Segretario closing the consultation is a signer, but not told of their own action
    ("close_consultation", State.UNION_CONSULTATION, "segretario", {"dirigente_satta"}),
    ("adopt", State.DELIBERATION, "segreteria", {"dirigente_satta"}),
    ("transmit", State.TRANSMISSION, "segreteria", {"dirigente_satta"}),
    ("publish", State.PUBLICATION, "segreteria", {"dirigente_satta"}),
    ("withdraw", State.SUBMITTED, "segreteria", {"dirigente_satta", "funzionario_bianchi"}),
]


@pytest.mark.parametrize(("transition", "start", "actor", "expected"), CASES)
def test_transition_rule(delegated, people, outsiders, transition, start, actor, expected):
    walk_to(delegated, start, people)
    Notification.objects.all().delete()
    act(delegated, transition, people[actor])
    assert told(delegated, transition) == expected
    assert people[actor].username not in expected
    assert only_notifications(delegated) <= {transition}


def test_the_first_signature_tells_nobody(draft, people):
    walk_to(draft, State.SIGNATURE, people)
    Notification.objects.all().delete()
    act(draft, "sign", people["dirigente_satta"])
    assert fresh(draft).state == State.SIGNATURE
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("dirigente_satta", "segretario", {"segreteria"}),
        ("segretario", "dirigente_satta", SEGRETERIA),
    ],
)
def test_the_last_signature_tells_the_segreteria(draft, people, outsiders, first, last, expected):
    walk_to(draft, State.SIGNATURE, people)
    act(draft, "sign", people[first])
    Notification.objects.all().delete()
    act(draft, "sign", people[last])
    assert fresh(draft).state == State.DELIBERATION
    assert told(draft, rules.SIGN_COMPLETED) == expected
    assert only_notifications(draft) == {rules.SIGN_COMPLETED}


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("segreteria", {"dirigente_satta", "segretario"}),
        ("dirigente_satta", SEGRETERIA),
    ],
)
def test_revise_tells_the_responsible_and_the_segreteria(draft, people, outsiders, actor, expected):
    walk_to(draft, State.PUBLISHED, people)
    Notification.objects.all().delete()
    act(draft, "revise", people[actor])
    assert told(draft, "revise") == expected


def test_discard_revision_tells_the_responsible_and_the_segreteria(draft, people, outsiders):
    walk_to(draft, State.SUBMITTED, people, revision_in_progress=True)
    Notification.objects.all().delete()
    act(draft, "discard_revision", people["segretario"])
    assert told(draft, "discard_revision") == {"dirigente_satta", "segreteria"}


def test_delegation_granted_and_revoked_tell_the_delegate(draft, people, outsiders):
    satta, bianchi = people["dirigente_satta"], people["funzionario_bianchi"]
    objective_delegate(objective_id=draft.pk, by=satta, delegate=bianchi)
    assert told(draft, "delegation_granted") == {"funzionario_bianchi"}
    objective_revoke_delegation(objective_id=draft.pk, by=satta, delegate=bianchi)
    assert told(draft, "delegation_revoked") == {"funzionario_bianchi"}
    granted, revoked = Notification.objects.filter(objective=draft).order_by("id")
    assert (
        granted.message
        == f"Sabrina Satta ti ha delegato la modifica della bozza {draft.code} «{draft.title}»."
    )
    assert revoked.message.startswith("Sabrina Satta ha revocato la tua delega")
    assert (granted.actor, revoked.actor) == (satta, satta)


def test_assigning_the_responsible_tells_the_new_one(draft, people, outsiders):
    objective_assign_responsible(
        objective_id=draft.pk,
        by=people["segreteria"],
        responsible=people["dirigente_rossi"],
        lock_version=fresh(draft).lock_version,
    )
    assert told(draft, "responsible_assigned") == {"dirigente_rossi"}


def test_a_content_edit_tells_nobody(delegated, people):
    objective_update(
        objective_id=delegated.pk,
        by=people["funzionario_bianchi"],
        lock_version=fresh(delegated).lock_version,
        fields={"title": "Titolo nuovo"},
    )
    assert not Notification.objects.exists()


def test_inactive_people_are_not_told(draft, people):
    people["sindacato"].is_active = False
    people["sindacato"].save()
    walk_to(draft, State.SUBMITTED, people)
    act(draft, "approve", people["segreteria"])
    assert told(draft, "approve") == {"dirigente_satta"}


def test_a_person_holding_two_roles_is_told_once(draft, people, body):
    from tests.factories import Role, member

    member("segretario", body, Role.SEGRETERIA)  # the Segretario also holds the Segreteria role
    act(draft, "submit", people["dirigente_satta"])
    assert told(draft, "submit") == SEGRETERIA


# -- the texts --------------------------------------------------------------------------------------------
def test_return_to_drafting_carries_the_reason(draft, people):
    walk_to(draft, State.SUBMITTED, people)
    act(draft, "return_to_drafting", people["segreteria"], comment="Manca l'indicatore di qualità.")
    note = Notification.objects.get(objective=draft, recipient=people["dirigente_satta"])
    assert note.message == (
        f"Giulia Verdi ha restituito in redazione l'obiettivo {draft.code} «{draft.title}». "
        "Motivazione: Manca l'indicatore di qualità."
    )
    assert (note.actor, note.transition, note.read_at) == (people["segreteria"], "return_to_drafting", None)


def test_an_optional_comment_is_quoted(draft, people):
    act(draft, "submit", people["dirigente_satta"])
    note = Notification.objects.filter(objective=draft).first()
    assert note.message == (
        f"Sabrina Satta ha inviato alla Segreteria l'obiettivo {draft.code} «{draft.title}»: attende la "
        f"revisione. Commento: {COMMENT}"
    )


def test_a_long_title_is_shortened(draft, people):
    draft.title = "A" * 300
    draft.save()
    act(draft, "submit", people["dirigente_satta"], comment="")
    note = Notification.objects.filter(objective=draft).first()
    assert f"«{'A' * 79}…»" in note.message


def test_every_transition_of_the_flow_has_a_rule():
    from workflow.models import Transition

    assert set(Transition.values) <= set(rules.RULES)
    with pytest.raises(ValueError, match="No notification rule"):
        rules.rule_for("explode")
