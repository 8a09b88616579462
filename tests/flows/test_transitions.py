"""Every transition of the objective's state machine through the real service (flows.services.transitions):
allowed, forbidden for a wrong role, forbidden on someone else's objective, refused on a condition, stale."""

import datetime as dt

import pytest
from django.utils import timezone

from approvals.consultation_dates import end_of_day_after
from approvals.models import AdoptionAct, PublishedRevision, Signature, StepRecord, UnionInformation
from approvals.selectors.consultation import current_information, request_deadline
from flows import errors
from flows.objective_flow import transition_label
from flows.services.consultation import confronto_request
from flows.services.content import objective_delegate, objective_update
from flows.services.memberships import membership_revoke
from tests.factories import ObjectiveFactory, Role, member, superuser
from tests.support import COMMENT, VALID_INPUT, act, fresh, last_history, last_step, reason, snapshot, walk_to
from workflow.export import objective_as_dict
from workflow.models import Membership, Objective, Phase, State

pytestmark = pytest.mark.django_db

D, SUB, UC, SIG = State.DRAFTING, State.SUBMITTED, State.UNION_CONSULTATION, State.SIGNATURE
DEL, TRA, PUB, PUBD, WD = (
    State.DELIBERATION,
    State.TRANSMISSION,
    State.PUBLICATION,
    State.PUBLISHED,
    State.WITHDRAWN,
)


@pytest.fixture
def other_segreteria(other_body):
    return member("segreteria_crema", other_body, Role.SEGRETERIA)


def _prepare(draft, people, start, revision_in_progress=False):
    return walk_to(draft, start, people, revision_in_progress=revision_in_progress)


def _expected_data(name, objective):
    if name == "close_consultation":
        return {
            "summary": "",
            "early_reason": VALID_INPUT[name]["early_reason"],
            "confronto": False,
            "outcome": "no_request",
            "information": current_information(objective).pk,
        }
    if name == "sign":
        return {"method": "login"}
    if name == "adopt":
        a = AdoptionAct.objects.get(objectives=objective)
        return {
            "act_id": a.pk,
            "act_type": "decreto_presidente",
            "act_number": "12",
            "act_date": "2023-03-01",
        }
    if name == "transmit":
        return {"receipt_reference": "DFP-2023-0001", "receipt_date": "2023-03-02"}
    if name == "publish":
        return {"published_on": "2023-03-03", "url": VALID_INPUT[name]["url"]}
    return {}


# -- allowed ---------------------------------------------------------------------------------------
ALLOWED = [
    # transition, from, who, to, revision in progress
    ("submit", D, "dirigente_satta", SUB, False),
    ("approve", SUB, "segreteria", UC, False),
    ("return_to_drafting", SUB, "segreteria", D, False),
    ("return_to_drafting", UC, "segreteria", D, False),
    ("return_to_drafting", SIG, "segreteria", D, False),
    ("close_consultation", UC, "segreteria", SIG, False),
    ("sign", SIG, "dirigente_satta", SIG, False),
    ("adopt", DEL, "segreteria", TRA, False),
    ("transmit", TRA, "segreteria", PUB, False),
    ("publish", PUB, "segreteria", PUBD, False),
    ("withdraw", D, "segreteria", WD, False),
    ("withdraw", SIG, "segretario", WD, False),
    ("revise", PUBD, "segreteria", D, False),
    ("revise", PUBD, "dirigente_satta", D, False),
    ("discard_revision", D, "segreteria", PUBD, True),
    ("discard_revision", SUB, "dirigente_satta", PUBD, True),
]


@pytest.mark.parametrize(("name", "start", "who", "target", "rev"), ALLOWED)
def test_allowed(draft, people, name, start, who, target, rev):
    o = _prepare(draft, people, start, rev)
    before = snapshot(o)
    last_history_id = last_history(o).history_id
    user = people[who]

    result = act(o, name, user)

    o = fresh(o)
    assert result.state == o.state == target
    assert o.lock_version > before["lock_version"]
    assert o.updated_by == user
    assert o.state_entered_at is not None
    step = last_step(o)
    assert StepRecord.objects.filter(objective=o).count() == before["steps"] + 1
    assert (step.transition, step.source, step.target, step.by) == (name, start, target, user)
    assert step.comment == COMMENT
    assert step.data == _expected_data(name, o)
    assert step.revision == o.revision
    assert step.batch is None
    # one history row (discard_revision adds a second one for the restored content), all by ``user``
    new_rows = Objective.history.filter(id=o.pk, history_id__gt=last_history_id).order_by("history_id")
    assert {h.history_user for h in new_rows} == {user}
    history = new_rows[0]
    assert history.history_change_reason == reason(name)
    assert history.state == target
    assert len(new_rows) == (2 if name == "discard_revision" else 1)


# -- forbidden: wrong role -------------------------------------------------------------------------
WRONG_ROLE = [
    ("submit", D, "segreteria", False),
    ("submit", D, "revisore", False),
    ("approve", SUB, "dirigente_satta", False),
    ("approve", SUB, "revisore", False),
    ("return_to_drafting", SUB, "dirigente_satta", False),
    ("close_consultation", UC, "sindacato", False),
    ("close_consultation", UC, "dirigente_satta", False),
    ("adopt", DEL, "dirigente_satta", False),
    ("transmit", TRA, "sindacato", False),
    ("publish", PUB, "revisore", False),
    ("withdraw", D, "dirigente_satta", False),
    ("withdraw", UC, "revisore", False),
    ("revise", PUBD, "revisore", False),
    ("revise", PUBD, "sindacato", False),
    ("discard_revision", D, "revisore", True),
]


@pytest.mark.parametrize(("name", "start", "who", "rev"), WRONG_ROLE)
def test_forbidden_for_wrong_role(draft, people, name, start, who, rev):
    o = _prepare(draft, people, start, rev)
    before = snapshot(o)

    with pytest.raises(errors.Forbidden) as exc:
        act(o, name, people[who])

    assert exc.value.message == errors.FORBIDDEN.format(action=transition_label(name))
    assert exc.value.status == 403
    assert snapshot(o) == before


@pytest.mark.parametrize("who", ["segreteria", "revisore", "dirigente_rossi"])
def test_sign_refused_to_a_non_signer(draft, people, who):
    o = walk_to(draft, SIG, people)
    before = snapshot(o)
    with pytest.raises(errors.Forbidden) as exc:
        act(o, "sign", people[who])
    assert exc.value.message == errors.NOT_A_SIGNER
    assert snapshot(o) == before


@pytest.mark.parametrize("who", ["segretario", "dirigente_satta"])
def test_signing_twice_is_refused(draft, people, who):
    o = walk_to(draft, SIG, people)
    act(o, "sign", people[who])
    before = snapshot(o)
    with pytest.raises(errors.Forbidden) as exc:
        act(o, "sign", people[who])
    assert exc.value.message == errors.ALREADY_SIGNED
    assert snapshot(o) == before


def test_delegate_may_edit_but_not_submit(draft, people):
    objective_delegate(
        objective_id=draft.pk, by=people["dirigente_satta"], delegate=people["funzionario_bianchi"]
    )
    before = snapshot(draft)
    with pytest.raises(errors.Forbidden):
        act(draft, "submit", people["funzionario_bianchi"])
    assert snapshot(draft) == before


# -- forbidden: the right role on someone else's objective -----------------------------------------
@pytest.mark.parametrize(
    ("name", "start", "rev"),
    [
        ("submit", D, False),
        ("revise", PUBD, False),
        ("discard_revision", D, True),
    ],
)
def test_dirigente_cannot_act_on_a_colleagues_objective(draft, people, name, start, rev):
    o = _prepare(draft, people, start, rev)
    before = snapshot(o)
    with pytest.raises(errors.Forbidden) as exc:
        act(o, name, people["dirigente_rossi"])
    assert exc.value.message == errors.FORBIDDEN.format(action=transition_label(name))
    assert snapshot(o) == before


SEGRETERIA_STEPS = [
    ("approve", SUB, False),
    ("return_to_drafting", SUB, False),
    ("close_consultation", UC, False),
    ("adopt", DEL, False),
    ("transmit", TRA, False),
    ("publish", PUB, False),
    ("withdraw", D, False),
    ("revise", PUBD, False),
    ("discard_revision", D, True),
]


@pytest.mark.parametrize(("name", "start", "rev"), SEGRETERIA_STEPS)
def test_segreteria_of_another_body_cannot_even_see_it(draft, people, other_segreteria, name, start, rev):
    o = _prepare(draft, people, start, rev)
    before = snapshot(o)
    with pytest.raises(Objective.DoesNotExist):
        act(o, name, other_segreteria)
    assert snapshot(o) == before


@pytest.mark.parametrize(("name", "start", "rev"), SEGRETERIA_STEPS)
def test_segreteria_role_in_another_body_grants_nothing_here(draft, people, other_body, name, start, rev):
    # Dirigente here (so the objective is visible), Segreteria only in the Comune di Crema.
    user = people["dirigente_rossi"]
    member("dirigente_rossi", other_body, Role.SEGRETERIA)
    o = _prepare(draft, people, start, rev)
    before = snapshot(o)
    with pytest.raises(errors.Forbidden):
        act(o, name, user)
    assert snapshot(o) == before


def test_dirigente_of_another_body_cannot_submit(draft, people, other_body):
    stranger = member("dirigente_crema", other_body, Role.DIRIGENTE)
    before = snapshot(draft)
    with pytest.raises(Objective.DoesNotExist):
        act(draft, "submit", stranger)
    assert snapshot(draft) == before


# -- conditions and input ---------------------------------------------------------------------------
REFUSED = [
    # transition, from, who, data, revision in progress, error, message (or part of it)
    (
        "approve",
        D,
        "segreteria",
        None,
        False,
        errors.TransitionNotAvailable,
        errors.NOT_AVAILABLE.format(action=transition_label("approve"), state="In redazione"),
    ),
    (
        "return_to_drafting",
        SUB,
        "segreteria",
        {"comment": "   "},
        False,
        errors.InvalidInput,
        errors.REASON_REQUIRED,
    ),
    (
        "return_to_drafting",
        DEL,
        "segreteria",
        None,
        False,
        errors.TransitionNotAvailable,
        errors.NOT_AVAILABLE.format(action=transition_label("return_to_drafting"), state="In deliberazione"),
    ),
    (
        "sign",
        SIG,
        "dirigente_satta",
        {"comment": "ok"},
        False,
        errors.InvalidInput,
        "Conferma l'approvazione per firmare.",
    ),
    (
        "sign",
        DEL,
        "segretario",
        None,
        False,
        errors.TransitionNotAvailable,
        errors.NOT_AVAILABLE.format(action=transition_label("sign"), state="In deliberazione"),
    ),
    (
        "adopt",
        DEL,
        "segreteria",
        {**VALID_INPUT["adopt"], "act_date": dt.date(2099, 12, 31)},
        False,
        errors.InvalidInput,
        "La data dell'atto non può essere futura.",
    ),
    (
        "adopt",
        DEL,
        "segreteria",
        {**VALID_INPUT["adopt"], "act_number": ""},
        False,
        errors.InvalidInput,
        "Numero dell'atto",
    ),
    (
        "transmit",
        TRA,
        "segreteria",
        {**VALID_INPUT["transmit"], "receipt_date": dt.date(2099, 12, 31)},
        False,
        errors.InvalidInput,
        "La data della ricevuta non può essere futura.",
    ),
    (
        "publish",
        PUB,
        "segreteria",
        {**VALID_INPUT["publish"], "url": "non è un indirizzo"},
        False,
        errors.InvalidInput,
        "Indirizzo in Amministrazione Trasparente",
    ),
    ("withdraw", SIG, "segreteria", None, True, errors.ConditionsUnmet, errors.NEVER_PUBLISHED_ONLY),
    (
        "withdraw",
        PUBD,
        "segreteria",
        None,
        False,
        errors.TransitionNotAvailable,
        errors.NOT_AVAILABLE.format(action=transition_label("withdraw"), state="Pubblicato"),
    ),
    ("withdraw", D, "segreteria", {"comment": ""}, False, errors.InvalidInput, errors.REASON_REQUIRED),
    ("revise", PUBD, "dirigente_satta", {}, False, errors.InvalidInput, errors.REASON_REQUIRED),
    (
        "revise",
        D,
        "segreteria",
        None,
        True,
        errors.TransitionNotAvailable,
        errors.NOT_AVAILABLE.format(action=transition_label("revise"), state="In redazione"),
    ),
    (
        "discard_revision",
        D,
        "segreteria",
        None,
        False,
        errors.ConditionsUnmet,
        errors.NO_REVISION_IN_PROGRESS,
    ),
    (
        "discard_revision",
        UC,
        "dirigente_satta",
        {"comment": ""},
        True,
        errors.InvalidInput,
        errors.REASON_REQUIRED,
    ),
]


@pytest.mark.parametrize(("name", "start", "who", "data", "rev", "error", "message"), REFUSED)
def test_refused(draft, people, name, start, who, data, rev, error, message):
    o = _prepare(draft, people, start, rev)
    before = snapshot(o)
    with pytest.raises(error) as exc:
        act(o, name, people[who], data=data)
    assert message in exc.value.message
    assert snapshot(o) == before


# -- submit: content must be complete ----------------------------------------------------------------
def test_submit_lists_every_missing_field(plan, people):
    o = ObjectiveFactory(
        plan=plan,
        responsible=people["dirigente_satta"],
        content=False,
        strategic_objective=None,
        weight=0,
        title="   ",
    )
    before = snapshot(o)
    with pytest.raises(errors.ConditionsUnmet) as exc:
        act(o, "submit", people["dirigente_satta"])
    expected = (
        "Mancano: titolo, obiettivo strategico, peso maggiore di zero, almeno una fase, almeno un indicatore."
    )
    assert exc.value.message == expected
    assert exc.value.problems == [expected]
    assert snapshot(o) == before


def _set_phases(o, people, phases):
    existing = [{"id": p.pk, "delete": True} for p in o.phases.all()]
    return objective_update(
        objective_id=o.pk,
        by=people["dirigente_satta"],
        lock_version=fresh(o).lock_version,
        fields={},
        phases=existing + phases,
    )


def test_submit_names_a_phase_starting_after_its_end(draft, people):
    _set_phases(
        draft,
        people,
        [
            {
                "description": "Analisi",
                "weight": 50,
                "start": dt.date(2023, 1, 1),
                "end": dt.date(2023, 2, 1),
            },
            {
                "description": "Attuazione",
                "weight": 50,
                "start": dt.date(2023, 5, 1),
                "end": dt.date(2023, 3, 31),
            },
        ],
    )
    before = snapshot(draft)
    with pytest.raises(errors.ConditionsUnmet) as exc:
        act(draft, "submit", people["dirigente_satta"])
    assert exc.value.message == (
        "La fase 2 («Attuazione») inizia il 01/05/2023, dopo la fine prevista del 31/03/2023."
    )
    assert snapshot(draft) == before


def test_submit_shows_the_sum_of_phase_weights(draft, people):
    _set_phases(
        draft,
        people,
        [
            {"description": "Analisi", "weight": 60, "start": None, "end": None},
            {"description": "Attuazione", "weight": 30, "start": None, "end": None},
        ],
    )
    with pytest.raises(errors.ConditionsUnmet) as exc:
        act(draft, "submit", people["dirigente_satta"])
    assert exc.value.message == "I pesi delle fasi sommano a 90,00% invece di 100%."
    assert fresh(draft).state == D


def test_submit_reports_every_problem_at_once(plan, people):
    o = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], weight=0)
    _set_phases(
        o,
        people,
        [
            {
                "description": "Unica fase",
                "weight": 70,
                "start": dt.date(2023, 6, 1),
                "end": dt.date(2023, 1, 1),
            },
        ],
    )
    with pytest.raises(errors.ConditionsUnmet) as exc:
        act(o, "submit", people["dirigente_satta"])
    assert exc.value.problems == [
        "Mancano: peso maggiore di zero.",
        "La fase 1 («Unica fase») inizia il 01/06/2023, dopo la fine prevista del 01/01/2023.",
        "I pesi delle fasi sommano a 70,00% invece di 100%.",
    ]


# -- stale lock version ------------------------------------------------------------------------------
STALE = [
    ("submit", D, "dirigente_satta", False),
    ("approve", SUB, "segreteria", False),
    ("return_to_drafting", UC, "segreteria", False),
    ("close_consultation", UC, "segreteria", False),
    ("sign", SIG, "segretario", False),
    ("adopt", DEL, "segreteria", False),
    ("transmit", TRA, "segreteria", False),
    ("publish", PUB, "segreteria", False),
    ("withdraw", SUB, "segreteria", False),
    ("revise", PUBD, "dirigente_satta", False),
    ("discard_revision", D, "segreteria", True),
]


@pytest.mark.parametrize(("name", "start", "who", "rev"), STALE)
def test_stale_version_is_refused(draft, people, name, start, who, rev):
    o = _prepare(draft, people, start, rev)
    before = snapshot(o)
    with pytest.raises(errors.StaleObjective) as exc:
        act(o, name, people[who], lock_version=before["lock_version"] - 1)
    assert "ricarica la pagina" in exc.value.message.lower()
    assert exc.value.status == 409
    assert snapshot(o) == before


def test_stale_message_names_who_changed_it(draft, people):
    o = walk_to(draft, SUB, people)  # last saved by dirigente_satta (Sabrina Satta)
    with pytest.raises(errors.StaleObjective) as exc:
        act(o, "approve", people["segreteria"], lock_version=o.lock_version - 1)
    when = timezone.localtime(o.updated_at)
    assert exc.value.message == errors.STALE.format(who="Sabrina Satta", when=f"{when:%H:%M}")


# -- close_consultation: the information period ------------------------------------------------------
# The period's rules, the request window and the outcome are tested in tests/approvals/test_consultation.py.
def _sent_days_ago(o, days):
    # Test setup: pretend the information was sent ``days`` calendar days ago.
    information = current_information(o)
    at = information.sent_at - dt.timedelta(days=days)
    UnionInformation.objects.filter(pk=information.pk).update(
        sent_at=at, request_until=request_deadline(at, information.body)
    )
    return at


def test_close_consultation_refused_before_the_period_without_a_reason(draft, people):
    o = walk_to(draft, UC, people)
    sent = _sent_days_ago(o, 4)
    before = snapshot(o)
    with pytest.raises(errors.ConditionsUnmet) as exc:
        act(o, "close_consultation", people["segreteria"], data={"comment": "chiudo"})
    until = end_of_day_after(sent, 5)
    assert exc.value.message == errors.CONSULTATION_TOO_EARLY.format(until=f"{until:%d/%m/%Y alle %H:%M}")
    assert "alle 23:59" in exc.value.message
    assert snapshot(o) == before


def test_close_consultation_early_with_a_reason_is_highlighted(draft, people):
    o = walk_to(draft, UC, people)
    act(o, "close_consultation", people["segreteria"], data={"early_reason": "Scadenza del 31 gennaio"})
    step = last_step(o)
    assert fresh(o).state == SIG
    assert step.highlighted is True
    assert step.data == {
        "summary": "",
        "early_reason": "Scadenza del 31 gennaio",
        "confronto": False,
        "outcome": "no_request",
        "information": current_information(o).pk,
    }


def test_close_consultation_after_the_period_needs_no_reason(draft, people):
    o = walk_to(draft, UC, people)
    _sent_days_ago(o, 6)
    act(o, "close_consultation", people["segreteria"], data={})
    step = last_step(o)
    assert fresh(o).state == SIG
    assert step.highlighted is False
    assert step.data == {
        "summary": "",
        "early_reason": "",
        "confronto": False,
        "outcome": "no_request",
        "information": current_information(o).pk,
    }


def test_close_consultation_follows_the_bodys_information_days(draft, people, body):
    body.union_information_days = 10
    body.save()
    o = walk_to(draft, UC, people)
    _sent_days_ago(o, 6)
    with pytest.raises(errors.ConditionsUnmet):
        act(o, "close_consultation", people["segreteria"], data={})
    assert fresh(o).state == UC


def test_close_consultation_after_a_confronto_needs_the_summary(draft, people):
    o = walk_to(draft, UC, people)
    information = current_information(o)
    confronto_request(information_id=information.pk, text="Chiediamo il confronto", by=people["sindacato"])
    _sent_days_ago(o, 6)
    before = snapshot(o)
    with pytest.raises(errors.ConditionsUnmet) as exc:
        act(o, "close_consultation", people["segreteria"], data={"outcome": "agreement", "summary": "  "})
    assert exc.value.message == errors.SUMMARY_REQUIRED
    assert snapshot(o) == before


def test_close_consultation_after_a_confronto_with_summary(draft, people):
    o = walk_to(draft, UC, people)  # still within the information period: the confronto took place
    information = current_information(o)
    confronto_request(information_id=information.pk, text="Chiediamo il confronto", by=people["sindacato"])
    act(
        o,
        "close_consultation",
        people["segreteria"],
        data={
            "outcome": "divergent",
            "summary": "La RSU chiede un indicatore in più.",
            "early_reason": "Confronto concluso prima del termine",
        },
    )
    step = last_step(o)
    assert fresh(o).state == SIG
    assert step.highlighted is True  # closed before the information period ended, however it went
    assert step.data == {
        "summary": "La RSU chiede un indicatore in più.",
        "early_reason": "Confronto concluso prima del termine",
        "confronto": True,
        "outcome": "divergent",
        "information": current_information(o).pk,
    }


def test_close_consultation_needs_a_segretario_to_sign(draft, people):
    o = walk_to(draft, UC, people)
    membership = Membership.objects.get(user=people["segretario"], role=Role.SEGRETARIO)
    membership_revoke(by=superuser(), membership=membership)
    before = snapshot(o)
    with pytest.raises(errors.ConditionsUnmet) as exc:
        act(o, "close_consultation", people["segreteria"])
    assert exc.value.message == errors.NO_SIGNER_AVAILABLE
    assert snapshot(o) == before


# -- signatures ---------------------------------------------------------------------------------------
def _valid_signatures(o):
    return Signature.objects.filter(objective=o, voided_at__isnull=True)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("dirigente_satta", "segretario"),
        ("segretario", "dirigente_satta"),
    ],
)
def test_signers_may_sign_in_any_order(draft, people, first, second):
    o = walk_to(draft, SIG, people)
    act(o, "sign", people[first])
    assert fresh(o).state == SIG
    assert list(_valid_signatures(o).values_list("signer__username", flat=True)) == [first]

    act(o, "sign", people[second])
    o = fresh(o)
    assert o.state == DEL
    capacities = dict(_valid_signatures(o).values_list("signer__username", "capacities"))
    assert capacities == {"dirigente_satta": ["responsabile"], "segretario": ["segretario"]}
    sign_steps = StepRecord.objects.filter(objective=o, transition="sign")
    assert list(sign_steps.values_list("target", flat=True)) == [SIG, DEL]


def test_a_signature_that_is_not_the_last_keeps_the_time_the_state_was_entered(draft, people):
    o = walk_to(draft, SIG, people)
    act(o, "sign", people["segretario"])
    assert fresh(o).state_entered_at == o.state_entered_at
    act(o, "sign", people["dirigente_satta"])
    assert fresh(o).state_entered_at > o.state_entered_at


def test_a_vicesegretario_may_stand_in(draft, people, body):
    vice = member("vicesegretario", body, Role.SEGRETARIO)
    o = walk_to(draft, SIG, people)
    act(o, "sign", vice)
    act(o, "sign", people["dirigente_satta"])
    assert fresh(o).state == DEL


def test_responsible_who_is_also_segretario_signs_once(plan, people, body):
    both = member("segretario_dirigente", body, Role.DIRIGENTE)
    member("segretario_dirigente", body, Role.SEGRETARIO)
    o = walk_to(ObjectiveFactory(plan=plan, responsible=both), SIG, people)
    act(o, "sign", both)
    o = fresh(o)
    assert o.state == DEL
    signature = _valid_signatures(o).get()
    assert signature.signer == both
    assert signature.capacities == ["responsabile", "segretario"]


def test_return_from_signature_voids_signatures_and_they_must_sign_again(draft, people):
    o = walk_to(draft, SIG, people)
    act(o, "sign", people["dirigente_satta"])
    act(o, "return_to_drafting", people["segreteria"], data={"comment": "Manca un indicatore"})
    back = last_step(o)
    voided = Signature.objects.get(objective=o)
    assert voided.voided_at is not None and voided.voided_by_step == back
    assert fresh(o).state == D

    o = walk_to(o, SIG, people)
    assert not _valid_signatures(o).exists()
    act(o, "sign", people["segretario"])
    assert fresh(o).state == SIG  # the responsible's earlier signature no longer counts
    act(o, "sign", people["dirigente_satta"])
    assert fresh(o).state == DEL
    assert Signature.objects.filter(objective=o).count() == 3
    assert _valid_signatures(o).count() == 2


# -- adopt, publish, revise, discard, withdraw -----------------------------------------------------------
def test_adopt_creates_one_act_linked_to_the_objective(draft, people, body):
    o = walk_to(draft, DEL, people)
    act(
        o,
        "adopt",
        people["segreteria"],
        data={"act_type": "delibera_giunta", "act_number": "45/2023", "act_date": dt.date(2023, 2, 28)},
    )
    adoption = AdoptionAct.objects.get()
    assert (adoption.body, adoption.act_type, adoption.number, adoption.date, adoption.created_by) == (
        body,
        "delibera_giunta",
        "45/2023",
        dt.date(2023, 2, 28),
        people["segreteria"],
    )
    assert list(adoption.objectives.all()) == [fresh(o)]
    assert last_step(o).data["act_id"] == adoption.pk


def test_publish_writes_the_published_revision(draft, people):
    o = walk_to(draft, PUB, people)
    act(o, "publish", people["segreteria"])
    o = fresh(o)
    published = PublishedRevision.objects.get(objective=o)
    assert published.revision == 1
    assert published.content == objective_as_dict(o)
    assert published.content["title"] == o.title and len(published.content["phases"]) == 2
    assert published.adoption_act == AdoptionAct.objects.get(objectives=o)
    assert (published.receipt_reference, published.receipt_date) == ("DFP-2023-0001", dt.date(2023, 3, 2))
    assert (published.published_on, published.url) == (dt.date(2023, 3, 3), VALID_INPUT["publish"]["url"])
    assert published.step == last_step(o)


def test_revise_bumps_the_revision_and_keeps_the_published_one(draft, people):
    o = walk_to(draft, PUBD, people)
    published_content = PublishedRevision.objects.get(objective=o).content
    act(o, "revise", people["dirigente_satta"])
    o = fresh(o)
    assert (o.state, o.revision) == (D, 2)
    objective_update(
        objective_id=o.pk,
        by=people["dirigente_satta"],
        lock_version=o.lock_version,
        fields={"title": "Titolo della revisione"},
    )
    published = PublishedRevision.objects.get(objective=o)
    assert published.revision == 1
    assert published.content == published_content


def test_discard_revision_restores_the_published_content(draft, people):
    o = walk_to(draft, PUBD, people)
    published = PublishedRevision.objects.get(objective=o).content
    act(o, "revise", people["segreteria"])
    o = fresh(o)
    first, second = o.phases.all()
    objective_update(
        objective_id=o.pk,
        by=people["dirigente_satta"],
        lock_version=o.lock_version,
        fields={"title": "Bozza da scartare"},
        phases=[
            {"id": first.pk, "description": "Analisi rivista", "weight": 100},
            {"id": second.pk, "delete": True},
        ],
    )
    o = walk_to(o, SUB, people)

    act(o, "discard_revision", people["dirigente_satta"], data={"comment": "Non più necessaria"})
    o = fresh(o)
    assert (o.state, o.revision) == (PUBD, 1)
    assert o.title == published["title"]
    assert [(p.description, p.weight) for p in o.phases.all()] == [("Analisi", 50), ("Attuazione", 50)]
    restored = objective_as_dict(o)
    assert {k: v for k, v in restored.items() if k != "state"} == {
        k: v for k, v in published.items() if k != "state"
    }
    # the discarded work stays in the history
    assert Objective.history.filter(id=o.pk, title="Bozza da scartare").exists()
    assert Phase.history.filter(objective_id=o.pk, description="Analisi rivista").exists()
    assert PublishedRevision.objects.filter(objective=o).count() == 1


def test_discard_revision_voids_only_the_revisions_signatures(draft, people):
    o = walk_to(draft, PUBD, people)
    published_signatures = set(_valid_signatures(o).values_list("pk", flat=True))
    assert len(published_signatures) == 2
    act(o, "revise", people["segreteria"])
    o = walk_to(o, SIG, people)
    act(o, "sign", people["dirigente_satta"])

    act(o, "discard_revision", people["segreteria"])
    o = fresh(o)
    assert set(_valid_signatures(o).values_list("pk", flat=True)) == published_signatures
    discarded = Signature.objects.get(objective=o, revision=2)
    assert discarded.voided_at is not None


def test_a_second_revision_is_signed_and_published_again(draft, people):
    o = walk_to(draft, PUBD, people)
    act(o, "revise", people["dirigente_satta"])
    o = walk_to(o, PUBD, people)
    assert o.revision == 2
    assert list(
        PublishedRevision.objects.filter(objective=o).order_by("revision").values_list("revision", flat=True)
    ) == [1, 2]
    assert Signature.objects.filter(objective=o, revision=2, voided_at__isnull=True).count() == 2


def test_withdraw_a_never_published_draft(draft, people):
    act(draft, "withdraw", people["segreteria"], data={"comment": "Obiettivo accorpato"})
    o = fresh(draft)
    assert o.state == WD
    assert last_history(o).history_change_reason == reason("withdraw", "Obiettivo accorpato")
    with pytest.raises(errors.TransitionNotAvailable):
        act(o, "submit", people["dirigente_satta"])


def test_each_published_revision_names_its_own_act_and_receipt(draft, people):
    o = walk_to(draft, PUBD, people)  # revision 1: act of 01/03/2023
    act(o, "revise", people["segreteria"])
    o = walk_to(o, DEL, people)
    # the act adopting revision 2 bears an earlier date than revision 1's (a date typed as registered)
    act(
        o,
        "adopt",
        people["segreteria"],
        data={"act_type": "delibera_giunta", "act_number": "7", "act_date": dt.date(2023, 2, 1)},
    )
    act(
        o,
        "transmit",
        people["segreteria"],
        data={"receipt_reference": "DFP-2023-0099", "receipt_date": dt.date(2023, 4, 2)},
    )
    act(o, "publish", people["segreteria"])
    first, second = PublishedRevision.objects.filter(objective=o).order_by("revision")
    assert (first.adoption_act.number, first.receipt_reference) == ("12", "DFP-2023-0001")
    assert (second.adoption_act.number, second.receipt_reference) == ("7", "DFP-2023-0099")


def test_discard_revision_restores_phase_weights_of_zero_and_undated_notes(draft, people):
    first, second = draft.phases.all()
    objective_update(
        objective_id=draft.pk,
        by=people["dirigente_satta"],
        lock_version=fresh(draft).lock_version,
        fields={},
        phases=[
            {"id": first.pk, "weight": 100},
            {"id": second.pk, "weight": 0},
            {"id": None, "description": "Nota: in collaborazione con i Comuni", "notes": "nota"},
        ],
    )
    o = walk_to(draft, PUBD, people)
    published = [(p.description, p.weight, p.start, p.notes) for p in o.phases.all()]
    act(o, "revise", people["segreteria"])
    objective_update(
        objective_id=o.pk,
        by=people["dirigente_satta"],
        lock_version=fresh(o).lock_version,
        fields={},
        phases=[{"id": p.pk, "delete": True} for p in o.phases.all()],
    )

    act(o, "discard_revision", people["segreteria"])
    o = fresh(o)
    assert [(p.description, p.weight, p.start, p.notes) for p in o.phases.all()] == published
    assert o.phases.get(position=2).weight == 0


def test_a_double_click_is_told_the_page_is_older_than_ones_own_change(draft, people):
    seen = draft.lock_version
    act(draft, "submit", people["dirigente_satta"], lock_version=seen)
    with pytest.raises(errors.StaleObjective) as exc:
        act(draft, "submit", people["dirigente_satta"], lock_version=seen)
    when = timezone.localtime(fresh(draft).updated_at)
    assert exc.value.message == errors.STALE_SELF.format(when=f"{when:%H:%M}")
    assert StepRecord.objects.filter(objective=draft, transition="submit").count() == 1


def test_discard_revision_restores_the_dup_links(draft, people):
    from workflow.models import DupLink

    DupLink.objects.create(
        objective=draft, level="programma", code="2023_PRO_01_02", title="Segreteria", view="dup"
    )
    o = walk_to(draft, State.PUBLISHED, people)
    act(o, "revise", people["segreteria"])
    DupLink.objects.filter(objective=o).update(code="2023_PRO_09_99")  # the revision's own (test) change
    act(o, "discard_revision", people["segreteria"])
    assert list(DupLink.objects.filter(objective=o).values_list("level", "code", "title", "view")) == [
        ("programma", "2023_PRO_01_02", "Segreteria", "dup")
    ]


def test_a_body_requiring_qualified_signatures_refuses_approval_by_login(draft, people):
    o = walk_to(draft, SIG, people)
    body = o.plan.body
    body.signature_mode = "qualified"
    body.save()
    before = snapshot(o)
    with pytest.raises(errors.ConditionsUnmet) as exc:
        act(o, "sign", people["dirigente_satta"])
    assert exc.value.message == errors.QUALIFIED_SIGNATURE_REQUIRED
    assert snapshot(o) == before
