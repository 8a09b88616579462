"""Who sees which objectives: workflow.selectors.objectives_visible_to, role by role and body by body."""

import pytest
from django.contrib.auth.models import AnonymousUser

from flows.services.content import objective_delegate
from tests.factories import ObjectiveFactory, PlanFactory, Role, member
from workflow import access
from workflow.models import UNION_VISIBLE_STATES, Objective, State
from workflow.selectors import delegates_of, objective_get, objectives_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def by_state(plan, people):
    """One objective of the Provincia in every state."""
    return {s: ObjectiveFactory(plan=plan, state=s, responsible=people["dirigente_satta"]) for s in State}


@pytest.fixture
def crema(other_body):
    """An objective of the Comune di Crema in every state, and its dirigente."""
    dirigente = member("dirigente_crema", other_body, Role.DIRIGENTE)
    plan = PlanFactory(body=other_body)
    return {s: ObjectiveFactory(plan=plan, state=s, responsible=dirigente) for s in State}


def visible_states(user, **kwargs):
    return sorted(objectives_visible_to(user, **kwargs).values_list("state", flat=True))


ALL = sorted(State)


@pytest.mark.parametrize("who", [
    "dirigente_satta", "dirigente_rossi", "segreteria", "segretario", "revisore",
])
def test_read_all_roles_see_every_objective_of_their_body(by_state, crema, people, who):
    assert visible_states(people[who]) == ALL
    assert set(objectives_visible_to(people[who])) == set(by_state.values())


def test_unions_see_objectives_from_union_consultation_onwards(by_state, crema, people):
    assert visible_states(people["sindacato"]) == sorted(UNION_VISIBLE_STATES)
    hidden = {State.DRAFTING, State.SUBMITTED, State.WITHDRAWN}
    assert not objectives_visible_to(people["sindacato"]).filter(state__in=hidden).exists()


def test_funzionario_sees_only_what_was_delegated(by_state, crema, people):
    bianchi = people["funzionario_bianchi"]
    assert visible_states(bianchi) == []
    delegated = by_state[State.DRAFTING]
    objective_delegate(objective_id=delegated.pk, by=people["dirigente_satta"], delegate=bianchi)
    assert list(objectives_visible_to(bianchi)) == [delegated]


def test_amministratore_sees_no_objectives(by_state, people):
    assert visible_states(people["amministratore"]) == []


@pytest.mark.parametrize("role", list(Role))
def test_another_bodys_members_see_nothing_of_this_body(by_state, other_body, role):
    stranger = member(f"crema_{role}", other_body, role)
    mine = {o.pk for o in by_state.values()}
    assert not objectives_visible_to(stranger).filter(pk__in=mine).exists()
    for o in by_state.values():
        assert not access.can_view(stranger, o)
        with pytest.raises(Objective.DoesNotExist):
            objective_get(stranger, o.pk)


def test_anonymous_and_inactive_users_see_nothing(by_state, people):
    assert not objectives_visible_to(AnonymousUser()).exists()
    revisore = people["revisore"]
    revisore.is_active = False
    revisore.save()
    assert not objectives_visible_to(revisore).exists()


def test_roles_count_in_their_own_body_only(by_state, crema, people, other_body):
    # sindacato in the Provincia, dirigente in the Comune di Crema
    person = people["sindacato"]
    member("sindacato", other_body, Role.DIRIGENTE)
    visible = set(objectives_visible_to(person))
    assert visible == set(crema.values()) | {by_state[s] for s in UNION_VISIBLE_STATES}
    assert set(objectives_visible_to(person, body=other_body)) == set(crema.values())
    assert visible_states(person, body=by_state[State.DRAFTING].plan.body) == sorted(UNION_VISIBLE_STATES)


def test_selector_and_can_view_agree(by_state, crema, people, other_body):
    people["dirigente_crema"] = member("dirigente_crema", other_body, Role.DIRIGENTE)
    objective_delegate(objective_id=by_state[State.DRAFTING].pk, by=people["dirigente_satta"],
                       delegate=people["funzionario_bianchi"])
    every = [*by_state.values(), *crema.values()]
    for name, user in people.items():
        visible = set(objectives_visible_to(user).values_list("pk", flat=True))
        for o in every:
            assert access.can_view(user, o) == (o.pk in visible), (name, o.code, o.state)


def test_the_delegates_of_a_draft_are_read_in_one_query_whatever_their_number(
    draft, people, django_assert_num_queries
):
    satta = people["dirigente_satta"]
    funzionari = [member(f"funzionario_{n}", draft.plan.body, Role.FUNZIONARIO) for n in range(4)]
    for funzionario in funzionari:
        objective_delegate(objective_id=draft.pk, by=satta, delegate=funzionario)
    with django_assert_num_queries(1):
        found = delegates_of(draft)
    assert set(found) == set(funzionari)  # the responsible holds the right too, but is no delegate
