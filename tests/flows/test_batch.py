"""One transition applied to many objectives at once: all of them move, or none does."""

import pytest

from approvals.models import AdoptionAct, StepRecord
from audit.models import AuditEntry
from flows import errors
from flows.objective_flow import transition_label
from flows.services.transitions import objectives_batch_transition
from tests.factories import ObjectiveFactory, PlanFactory, Role, member
from tests.support import COMMENT, VALID_INPUT, files_for, fresh, snapshot, walk_to
from workflow.models import Objective, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def objectives(plan, people):
    """Three drafts of two dirigenti, created in this order (ascending ids)."""
    return [
        ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]),
        ObjectiveFactory(plan=plan, responsible=people["dirigente_rossi"]),
        ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]),
    ]


def batch(objectives, name, by, data=None, **kwargs):
    return objectives_batch_transition(
        objective_ids=[o.pk for o in objectives],
        name=name,
        by=by,
        data=VALID_INPUT[name] if data is None else data,
        **({"files": files_for(name)} | kwargs),
    )


def test_batch_approve_moves_all_with_one_batch_id(objectives, people):
    for o in objectives:
        walk_to(o, State.SUBMITTED, people)

    done = batch(objectives, "approve", people["segreteria"])

    assert {o.pk for o in done} == {o.pk for o in objectives}
    assert {fresh(o).state for o in objectives} == {State.UNION_CONSULTATION}
    steps = StepRecord.objects.filter(transition="approve")
    assert steps.count() == 3
    batch_ids = set(steps.values_list("batch", flat=True))
    assert len(batch_ids) == 1 and None not in batch_ids
    assert set(steps.values_list("comment", flat=True)) == {COMMENT}
    entry = AuditEntry.objects.filter(action="batch_transition").get()
    assert entry.payload["data"]["batch"] == str(batch_ids.pop())
    assert entry.payload["data"]["objectives"] == sorted(o.pk for o in objectives)


def test_batch_adopt_shares_one_adoption_act(objectives, people, body):
    for o in objectives:
        walk_to(o, State.DELIBERATION, people)

    batch(objectives, "adopt", people["segreteria"])

    adoption = AdoptionAct.objects.get()
    assert adoption.body == body
    assert set(adoption.objectives.values_list("pk", flat=True)) == {o.pk for o in objectives}
    assert {fresh(o).state for o in objectives} == {State.TRANSMISSION}
    steps = StepRecord.objects.filter(transition="adopt")
    assert {s.data["act_id"] for s in steps} == {adoption.pk}
    assert len({s.batch for s in steps}) == 1


def test_one_blocked_objective_leaves_all_unchanged(objectives, people):
    first, second, late = objectives
    walk_to(first, State.SUBMITTED, people)
    walk_to(second, State.SUBMITTED, people)  # ``late`` is still in drafting and has the highest id
    before = [snapshot(o) for o in objectives]
    steps_before = StepRecord.objects.count()

    with pytest.raises(errors.BatchBlocked) as exc:
        batch(objectives, "approve", people["segreteria"])

    cause = errors.NOT_AVAILABLE.format(action=transition_label("approve"), state="In redazione")
    assert exc.value.message == errors.BATCH_BLOCKED.format(code=late.code, reason=cause)
    assert exc.value.objective == late.pk
    assert isinstance(exc.value.cause, errors.TransitionNotAvailable)
    assert [snapshot(o) for o in objectives] == before
    assert StepRecord.objects.count() == steps_before
    assert not AuditEntry.objects.filter(action="batch_transition").exists()


def test_blocked_adopt_leaves_no_adoption_act(objectives, people):
    first, second, late = objectives
    walk_to(first, State.DELIBERATION, people)
    walk_to(second, State.DELIBERATION, people)
    walk_to(late, State.SIGNATURE, people)  # one signature still missing
    before = [snapshot(o) for o in objectives]

    with pytest.raises(errors.BatchBlocked) as exc:
        batch(objectives, "adopt", people["segreteria"])

    assert late.code in exc.value.message
    assert "In firma" in exc.value.message
    assert AdoptionAct.objects.count() == 0
    assert [snapshot(o) for o in objectives] == before


def test_incomplete_draft_blocks_a_submit_batch_and_says_why(plan, people):
    complete = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    incomplete = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], content=False)
    before = [snapshot(o) for o in (complete, incomplete)]

    with pytest.raises(errors.BatchBlocked) as exc:
        batch([complete, incomplete], "submit", people["dirigente_satta"])

    assert exc.value.message == errors.BATCH_BLOCKED.format(
        code=incomplete.code, reason="Mancano: almeno una fase, almeno un indicatore."
    )
    assert exc.value.problems == ["Mancano: almeno una fase, almeno un indicatore."]
    assert [snapshot(o) for o in (complete, incomplete)] == before


def test_a_stale_objective_blocks_the_batch(objectives, people):
    for o in objectives:
        walk_to(o, State.SUBMITTED, people)
    versions = {o.pk: fresh(o).lock_version for o in objectives}
    versions[objectives[1].pk] -= 1
    before = [snapshot(o) for o in objectives]

    with pytest.raises(errors.BatchBlocked) as exc:
        batch(objectives, "approve", people["segreteria"], lock_versions=versions)

    assert objectives[1].code in exc.value.message
    assert "ricarica la pagina" in exc.value.message.lower()
    assert exc.value.status == 409
    assert [snapshot(o) for o in objectives] == before


def test_an_objective_of_another_body_blocks_the_batch_as_not_found(objectives, people, other_body):
    for o in objectives:
        walk_to(o, State.SUBMITTED, people)
    other_plan = PlanFactory(body=other_body)
    foreign = ObjectiveFactory(
        plan=other_plan,
        state=State.SUBMITTED,
        responsible=member("dirigente_crema", other_body, Role.DIRIGENTE),
    )
    before = [snapshot(o) for o in [*objectives, foreign]]

    with pytest.raises(errors.BatchBlocked) as exc:
        batch([*objectives, foreign], "approve", people["segreteria"])

    assert exc.value.message == errors.BATCH_BLOCKED.format(
        code=f"L'obiettivo n. {foreign.pk}", reason=errors.NOT_FOUND
    )
    assert foreign.code not in exc.value.message  # nothing about another body's objective leaks
    assert [snapshot(o) for o in [*objectives, foreign]] == before


def test_a_forbidden_objective_blocks_the_batch(objectives, people):
    # dirigente_satta may submit her own drafts, not dirigente_rossi's
    before = [snapshot(o) for o in objectives]
    with pytest.raises(errors.BatchBlocked) as exc:
        batch(objectives, "submit", people["dirigente_satta"])
    assert exc.value.objective == objectives[1].pk
    assert exc.value.status == 403
    assert [snapshot(o) for o in objectives] == before


def test_empty_selection_is_invalid(people):
    with pytest.raises(errors.InvalidInput) as exc:
        objectives_batch_transition(objective_ids=[], name="approve", by=people["segreteria"], data={})
    assert exc.value.message == errors.BATCH_EMPTY


def test_batch_input_is_validated_once_before_anything_changes(objectives, people):
    for o in objectives:
        walk_to(o, State.SUBMITTED, people)
    before = [snapshot(o) for o in objectives]
    with pytest.raises(errors.InvalidInput) as exc:
        batch(objectives, "return_to_drafting", people["segreteria"], data={"comment": ""})
    assert errors.REASON_REQUIRED in exc.value.message
    assert [snapshot(o) for o in objectives] == before
    assert Objective.objects.filter(state=State.SUBMITTED).count() == 3


def test_adopt_across_bodies_creates_no_act(objectives, people, other_body):
    walk_to(objectives[0], State.DELIBERATION, people)
    foreign = ObjectiveFactory(
        plan=PlanFactory(body=other_body),
        state=State.DELIBERATION,
        responsible=member("dirigente_crema", other_body, Role.DIRIGENTE),
    )
    before = [snapshot(o) for o in (objectives[0], foreign)]
    with pytest.raises(errors.WorkflowError):
        batch([objectives[0], foreign], "adopt", people["segreteria"])
    assert AdoptionAct.objects.count() == 0
    assert [snapshot(o) for o in (objectives[0], foreign)] == before


def test_one_act_cannot_adopt_the_objectives_of_two_bodies(plan, other_body, people):
    """The Segreteria of two bodies selects objectives of both: the act belongs to one body only."""
    segreteria = people["segreteria"]
    crema = PlanFactory(body=other_body, year=2023, triennium="2023-2025")
    member("segreteria", other_body, Role.SEGRETERIA)
    member("segretario", other_body, Role.SEGRETARIO)
    member("dirigente_satta", other_body, Role.DIRIGENTE)
    mine = walk_to(
        ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]), State.DELIBERATION, people
    )
    theirs = walk_to(
        ObjectiveFactory(plan=crema, responsible=people["dirigente_satta"]), State.DELIBERATION, people
    )
    before = [snapshot(mine), snapshot(theirs)]
    with pytest.raises(errors.BatchBlocked) as exc:
        objectives_batch_transition(
            objective_ids=[mine.pk, theirs.pk],
            name="adopt",
            by=segreteria,
            data=VALID_INPUT["adopt"],
            files=files_for("adopt"),
        )
    assert exc.value.message == errors.BATCH_BLOCKED.format(
        code=theirs.code, reason=errors.BATCH_MIXED_BODIES
    )
    assert [snapshot(mine), snapshot(theirs)] == before
    assert not AdoptionAct.objects.exists()


def test_a_batch_writes_for_each_objective_what_one_step_writes(objectives, people):
    """Saved together, each objective still gets its own save: the lock version bumped, the editor and
    the time, a history row naming the person and the reason, its step record, its notifications (the
    union representatives without the internal comment)."""
    from notifications.models import Notification
    from notifications.rules import addressees

    for o in objectives:
        walk_to(o, State.SUBMITTED, people)
    before = {o.pk: fresh(o) for o in objectives}
    segreteria = people["segreteria"]

    batch(objectives, "approve", segreteria)

    for o in objectives:
        now, was = fresh(o), before[o.pk]
        assert now.lock_version == was.lock_version + 1
        assert now.updated_by == segreteria and now.updated_at > was.updated_at
        assert now.state_entered_at > was.state_entered_at
        history = now.history.order_by("-history_id").first()
        assert history.history_type == "~" and history.state == State.UNION_CONSULTATION
        assert history.history_user == segreteria
        assert history.history_change_reason == f"{transition_label('approve')}: {COMMENT}"
        assert history.revision == now.revision and history.lock_version == now.lock_version
        step = StepRecord.objects.get(objective=o, transition="approve")
        assert (step.source, step.target, step.by) == (State.SUBMITTED, State.UNION_CONSULTATION, segreteria)
        told, unions = addressees("approve", now, by=segreteria)
        sent = Notification.objects.filter(objective=o, transition="approve").order_by("id")
        assert [n.recipient_id for n in sent] == told
        assert people["sindacato"].pk in unions
        for n in sent:
            assert (COMMENT in n.message) is (n.recipient_id not in unions)


def test_who_is_told_is_the_same_read_together_as_one_by_one(plan, people, other_body):
    """addressees_of_many decides, for objectives of two bodies read in one query, what addressees
    decides for each: nobody of one body is told of the other's objective."""
    from notifications.rules import addressees, addressees_of_many

    crema = member("dirigente_crema", other_body, Role.DIRIGENTE)
    member("segreteria_crema", other_body, Role.SEGRETERIA)
    member("sindacato_crema", other_body, Role.SINDACATO)
    mine = [
        ObjectiveFactory(plan=plan, responsible=people[d], state=State.UNION_CONSULTATION)
        for d in ("dirigente_satta", "dirigente_rossi")
    ]
    theirs = ObjectiveFactory(plan=PlanFactory(body=other_body), responsible=crema, state=State.SIGNATURE)
    objectives = [*mine, theirs]
    # events read together (no delegation in their rule), one audience kind each: responsible and unions,
    # the Segreteria, the signers
    for event in ("approve", "sign_completed", "close_consultation", "submit", "publish"):
        together = addressees_of_many(event, objectives, by=people["segreteria"])
        one_by_one = {o.pk: addressees(event, o, by=people["segreteria"]) for o in objectives}
        assert together == one_by_one, event
    told = addressees_of_many("approve", objectives, by=people["segreteria"])
    assert people["sindacato"].pk in told[mine[0].pk][0]
    assert crema.pk not in told[mine[0].pk][0] and people["sindacato"].pk not in told[theirs.pk][0]


def test_a_batch_keeps_each_objectives_own_revision_and_lock_version(plan, people):
    """Saved with one UPDATE per set of shared values: rows with other revisions and lock versions each
    keep their own, the lock version one more than it was."""
    objectives = [
        ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], state=State.SUBMITTED, **extra)
        for extra in ({}, {"revision": 2, "lock_version": 7}, {"revision": 3, "lock_version": 4})
    ]
    before = {o.pk: (fresh(o).revision, fresh(o).lock_version) for o in objectives}

    moved = batch(objectives, "approve", people["segreteria"])

    for o in moved:  # what the caller holds is what the database has
        now = fresh(o)
        assert (now.revision, now.lock_version) == (o.revision, o.lock_version)
        assert (now.revision, now.lock_version) == (before[o.pk][0], before[o.pk][1] + 1)
        assert now.history.order_by("-history_id").first().lock_version == now.lock_version
