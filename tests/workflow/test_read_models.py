"""The read models: the rights of many objectives answered in one query, and answered as ``workflow.access``
answers them for one objective at a time."""

import pytest
from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm

from flows.services.content import objective_delegate
from tests.factories import ObjectiveFactory, PlanFactory, member
from workflow import access
from workflow.models import Objective, Role, State
from workflow.read_models import drafts_editable_by, objective_content, objectives_managed_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(plan, people, other_body):
    """Drafts and a submitted objective of the Provincia and a draft of another body, with every way a
    right on one of them is held or not: responsible, delegate, delegate through a group, a right held
    in a body where the person has no role, an inactive responsible, a superuser with a role."""
    satta, rossi = people["dirigente_satta"], people["dirigente_rossi"]
    mine = ObjectiveFactory(plan=plan, responsible=satta)
    delegated = ObjectiveFactory(plan=plan, responsible=satta)
    objective_delegate(objective_id=delegated.pk, by=satta, delegate=people["funzionario_bianchi"])
    by_group = ObjectiveFactory(plan=plan, responsible=rossi)
    ferri = member("funzionario_ferri", plan.body, Role.FUNZIONARIO)
    group = Group.objects.create(name="Ufficio di staff")
    group.user_set.add(ferri)
    assign_perm("workflow.change_objective", group, by_group)
    retired = member("dirigente_uscito", plan.body, Role.DIRIGENTE)
    left_behind = ObjectiveFactory(plan=plan, responsible=retired)
    retired.is_active = False
    retired.save()
    submitted = ObjectiveFactory(plan=plan, responsible=satta, state=State.SUBMITTED)
    crema = member("dirigente_crema", other_body, Role.DIRIGENTE)
    elsewhere = ObjectiveFactory(plan=PlanFactory(body=other_body), responsible=crema)
    assign_perm("workflow.manage_objective", crema, mine)  # no role in the Provincia: grants nothing
    assign_perm("workflow.change_objective", crema, mine)
    root = member("capo", plan.body, Role.DIRIGENTE)
    root.is_superuser = True
    root.save()
    users = {**people, "funzionario_ferri": ferri, "dirigente_uscito": retired, "dirigente_crema": crema,
             "capo": root}
    objectives = {"mine": mine, "delegated": delegated, "by_group": by_group, "left_behind": left_behind,
                  "submitted": submitted, "elsewhere": elsewhere}
    return users, objectives


def editable(user):
    return set(drafts_editable_by(user, Objective.objects.all()))


def test_the_drafts_a_person_may_edit_are_those_access_can_edit_allows(scene):
    users, objectives = scene
    for user in users.values():
        expected = {o for o in Objective.objects.all() if access.can_edit(user, o)}
        assert editable(user) == expected, user.username
    o = objectives
    assert editable(users["dirigente_satta"]) == {o["mine"], o["delegated"]}
    assert editable(users["funzionario_bianchi"]) == {o["delegated"]}
    assert editable(users["funzionario_ferri"]) == {o["by_group"]}
    assert editable(users["dirigente_crema"]) == {o["elsewhere"]}
    assert editable(users["dirigente_uscito"]) == set()
    assert editable(users["segreteria"]) == set()
    assert editable(users["capo"]) == {o["mine"], o["delegated"], o["by_group"], o["left_behind"]}


def test_the_objectives_a_dirigente_is_responsible_for_are_those_access_is_responsible_names(scene):
    users, objectives = scene
    for user in users.values():
        expected = {o for o in Objective.objects.all() if access.is_responsible(user, o)}
        assert set(objectives_managed_by(user, Objective.objects.all())) == expected, user.username
    assert set(objectives_managed_by(users["dirigente_satta"], Objective.objects.all())) == {
        objectives["mine"], objectives["delegated"], objectives["submitted"]
    }


def test_the_drafts_a_person_may_edit_are_read_in_one_query_whatever_their_number(
    plan, people, django_assert_num_queries
):
    satta = people["dirigente_satta"]
    for _ in range(30):
        ObjectiveFactory(plan=plan, responsible=satta)
    list(drafts_editable_by(satta, Objective.objects.none()))  # guardian reads the permission's type once
    with django_assert_num_queries(1):
        assert len(drafts_editable_by(satta, Objective.objects.all())) == 30


def test_the_content_says_what_the_reader_may_do_with_the_draft(draft, people):
    satta, bianchi = people["dirigente_satta"], people["funzionario_bianchi"]
    segreteria = people["segreteria"]
    objective_delegate(objective_id=draft.pk, by=satta, delegate=bianchi)
    mine = objective_content(satta, Objective.objects.get(pk=draft.pk), with_history=True)
    assert (mine.can_edit, mine.can_delegate) == (True, True)
    assert mine.delegates == [bianchi]
    assert bianchi not in mine.delegate_candidates
    assert mine.responsible_candidates is None
    assert [p.description for p in mine.phases] == ["Analisi", "Attuazione"]
    assert mine.history  # the saves, for whoever reads the internal record
    delegated = objective_content(bianchi, Objective.objects.get(pk=draft.pk), with_history=True)
    assert (delegated.can_edit, delegated.can_delegate) == (True, False)
    assert delegated.delegate_candidates is None
    secretariat = objective_content(segreteria, Objective.objects.get(pk=draft.pk), with_history=False)
    assert (secretariat.can_edit, secretariat.can_delegate) == (False, False)
    assert satta in secretariat.responsible_candidates
    assert secretariat.history == []
