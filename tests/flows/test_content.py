"""Content use cases: creating and editing drafts, phases and indicators, delegations."""

import datetime as dt
from decimal import Decimal

import pytest

from audit.models import AuditEntry
from flows import errors
from flows.services.content import (
    objective_assign_responsible,
    objective_create,
    objective_delegate,
    objective_revoke_delegation,
    objective_update,
)
from tests.factories import ObjectiveFactory, PlanFactory, Role, StrategicObjectiveFactory, member
from tests.support import fresh, last_history, snapshot, walk_to
from workflow import access
from workflow.models import Indicator, Objective, Phase, State
from workflow.selectors import delegates_of, objectives_visible_to

pytestmark = pytest.mark.django_db

EDIT_REASON = "Modifica del contenuto: aggiornati i tempi"


# -- objective_create ---------------------------------------------------------------------------------
def test_segreteria_creates_a_draft_for_a_dirigente(plan, people):
    strategic = StrategicObjectiveFactory(plan=plan)
    o = objective_create(by=people["segreteria"], plan=plan, code=" 2023_6001 ", title=" Nuovo obiettivo ",
                         responsible=people["dirigente_rossi"], fields={"strategic_objective": strategic,
                                                                        "weight": Decimal("25")})
    o = fresh(o)
    assert (o.code, o.title, o.state, o.weight) == ("2023_6001", "Nuovo obiettivo", State.DRAFTING, 25)
    assert o.responsible == people["dirigente_rossi"]
    assert o.responsible_name == "ROSSI PAOLO"
    assert o.responsibility_center == "SETTORE INFRASTRUTTURE"
    assert o.strategic_objective == strategic
    assert access.is_responsible(people["dirigente_rossi"], o)
    assert not access.is_responsible(people["dirigente_satta"], o)
    history = last_history(o)
    assert (history.history_user, history.history_change_reason, history.history_type) == (
        people["segreteria"], "Creazione", "+")
    entry = AuditEntry.objects.filter(action="objective.create").get()
    assert entry.payload["data"] == {"code": "2023_6001", "title": "Nuovo obiettivo",
                                     "responsible": "dirigente_rossi"}


def test_dirigente_creates_a_draft_of_their_own(plan, people):
    # whoever a dirigente names, the draft is theirs
    o = objective_create(by=people["dirigente_satta"], plan=plan, code="2023_6002", title="Mio obiettivo",
                         responsible=people["dirigente_rossi"], note="dal PEG")
    o = fresh(o)
    assert o.responsible == people["dirigente_satta"]
    assert o.responsibility_center == "SETTORE RISORSE ECONOMICHE E FINANZIARIE"
    assert access.is_responsible(people["dirigente_satta"], o)
    assert last_history(o).history_change_reason == "Creazione: dal PEG"


@pytest.mark.parametrize("who", ["funzionario_bianchi", "revisore", "sindacato", "amministratore"])
def test_other_roles_cannot_create(plan, people, who):
    with pytest.raises(errors.Forbidden) as exc:
        objective_create(by=people[who], plan=plan, code="2023_6003", title="X",
                         responsible=people["dirigente_satta"])
    assert exc.value.message == errors.CREATE_FORBIDDEN
    assert not Objective.objects.exists()


def test_segreteria_of_another_body_cannot_create_here(plan, people, other_body):
    stranger = member("segreteria_crema", other_body, Role.SEGRETERIA)
    with pytest.raises(errors.Forbidden):
        objective_create(by=stranger, plan=plan, code="2023_6004", title="X",
                         responsible=people["dirigente_satta"])
    assert not Objective.objects.exists()


@pytest.mark.parametrize("responsible", ["funzionario_bianchi", "segretario", "dirigente_crema", None])
def test_responsible_must_be_a_dirigente_of_the_body(plan, people, other_body, responsible):
    people["dirigente_crema"] = member("dirigente_crema", other_body, Role.DIRIGENTE)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(errors.InvalidInput) as exc:
        objective_create(by=people["segreteria"], plan=plan, code="2023_6005", title="X",
                         responsible=people[responsible] if responsible else None)
    assert exc.value.message == errors.RESPONSIBLE_NOT_DIRIGENTE
    assert not Objective.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_duplicate_code_is_refused_with_a_message(plan, people):
    objective_create(by=people["segreteria"], plan=plan, code="2023_6006", title="Primo",
                     responsible=people["dirigente_satta"])
    audit_before = AuditEntry.objects.count()
    with pytest.raises(errors.InvalidInput) as exc:
        objective_create(by=people["segreteria"], plan=plan, code="2023_6006", title="Secondo",
                         responsible=people["dirigente_rossi"])
    assert exc.value.message == errors.DUPLICATE_CODE.format(code="2023_6006")
    assert list(Objective.objects.values_list("title", flat=True)) == ["Primo"]
    assert AuditEntry.objects.count() == audit_before
    # the same code in another year's plan is fine
    next_plan = PlanFactory(body=plan.body, year=2024, triennium="2024-2026")
    objective_create(by=people["segreteria"], plan=next_plan, code="2023_6006", title="Altro anno",
                     responsible=people["dirigente_rossi"])


def test_strategic_objective_must_belong_to_the_plan(plan, people):
    other_plan = PlanFactory(body=plan.body, year=2024, triennium="2024-2026")
    with pytest.raises(errors.InvalidInput):
        objective_create(by=people["segreteria"], plan=plan, code="2023_6007", title="X",
                         responsible=people["dirigente_satta"],
                         fields={"strategic_objective": StrategicObjectiveFactory(plan=other_plan)})
    assert not Objective.objects.exists()


# -- objective_update ---------------------------------------------------------------------------------
def _update(o, by, **kwargs):
    kwargs.setdefault("lock_version", fresh(o).lock_version)
    kwargs.setdefault("fields", {})
    return objective_update(objective_id=o.pk, by=by, note="aggiornati i tempi", **kwargs)


def _row_history(model, **filters):
    return list(model.history.filter(**filters).order_by("history_id").values_list(
        "history_type", "history_user__username", "history_change_reason"))


def test_update_fields_phases_and_indicators_with_history(draft, people):
    satta = people["dirigente_satta"]
    analisi, attuazione = draft.phases.all()
    indicator = draft.indicators.get()
    before = snapshot(draft)
    phase_rows_before = Phase.history.count()

    _update(draft, satta, fields={"title": "Pagamenti più rapidi", "purpose": "Ridurre i tempi"},
            phases=[
                {"id": analisi.pk, "description": "Analisi", "weight": 50, "start": dt.date(2023, 1, 1),
                 "end": dt.date(2023, 3, 31)},  # unchanged
                {"id": attuazione.pk, "delete": True},
                {"id": None, "description": "Attuazione e verifica", "weight": 50,
                 "start": dt.date(2023, 4, 1), "end": dt.date(2023, 12, 31), "notes": None},
            ],
            indicators=[
                {"id": indicator.pk, "description": indicator.description, "kind": "RISULTATO",
                 "expected": "<25"},
                {"id": None, "description": "Fatture pagate entro 30 giorni", "kind": "EFFICIENZA",
                 "expected": ">90%"},
            ])

    o = fresh(draft)
    assert (o.title, o.purpose) == ("Pagamenti più rapidi", "Ridurre i tempi")
    assert o.lock_version == before["lock_version"] + 1
    assert list(o.phases.values_list("description", "position")) == [
        ("Analisi", 1), ("Attuazione e verifica", 2)]
    assert list(o.indicators.values_list("expected", flat=True)) == ["<25", ">90%"]
    assert o.phases.get(position=2).notes == ""

    objective_row = last_history(o)
    assert (objective_row.history_user, objective_row.history_change_reason) == (satta, EDIT_REASON)
    assert objective_row.title == "Pagamenti più rapidi"
    assert Objective.history.filter(id=o.pk).count() == before["history"] + 1
    # the unchanged phase got no row; the deleted one a '-' row; the new one a '+' row
    assert Phase.history.count() == phase_rows_before + 2
    assert _row_history(Phase, id=analisi.pk)[-1][2] != EDIT_REASON
    assert _row_history(Phase, id=attuazione.pk)[-1] == ("-", "dirigente_satta", EDIT_REASON)
    new_phase = o.phases.get(position=2)
    assert _row_history(Phase, id=new_phase.pk) == [("+", "dirigente_satta", EDIT_REASON)]
    assert _row_history(Indicator, id=indicator.pk)[-1] == ("~", "dirigente_satta", EDIT_REASON)
    entry = AuditEntry.objects.filter(action="objective.update").get()
    assert entry.payload["data"]["fields"] == ["title", "purpose"]
    assert entry.payload["data"]["rows_changed"] == 4


def test_changing_one_phase_writes_its_history_and_guards_the_lock_version(draft, people):
    attuazione = draft.phases.get(position=2)
    version = fresh(draft).lock_version
    _update(draft, people["dirigente_satta"], phases=[{"id": attuazione.pk, "end": dt.date(2023, 11, 30)}])
    assert Phase.objects.get(pk=attuazione.pk).end == dt.date(2023, 11, 30)
    assert _row_history(Phase, id=attuazione.pk)[-1] == ("~", "dirigente_satta", EDIT_REASON)
    assert fresh(draft).lock_version == version + 1  # rows are guarded by the objective's lock version


def test_an_edit_that_changes_nothing_writes_nothing(draft, people):
    before = snapshot(draft)
    _update(draft, people["dirigente_satta"], fields={"title": fresh(draft).title})
    assert snapshot(draft) == before


def test_stale_update_is_refused_and_nothing_written(draft, people):
    before = snapshot(draft)
    phase_rows = Phase.history.count()
    with pytest.raises(errors.StaleObjective) as exc:
        _update(draft, people["dirigente_satta"], lock_version=before["lock_version"] - 1,
                fields={"title": "Sovrascritto"}, phases=[{"id": None, "description": "Nuova"}])
    assert "ricarica la pagina" in exc.value.message.lower()
    assert snapshot(draft) == before
    assert Phase.history.count() == phase_rows
    assert fresh(draft).title != "Sovrascritto"


def test_delegate_can_edit(draft, people):
    bianchi = people["funzionario_bianchi"]
    objective_delegate(objective_id=draft.pk, by=people["dirigente_satta"], delegate=bianchi)
    _update(draft, bianchi, fields={"actions": "Monitoraggio mensile"})
    o = fresh(draft)
    assert o.actions == "Monitoraggio mensile"
    assert last_history(o).history_user == bianchi
    assert o.updated_by == bianchi


def test_non_delegated_funzionario_cannot_even_see_it(draft, people):
    before = snapshot(draft)
    with pytest.raises(Objective.DoesNotExist):
        _update(draft, people["funzionario_bianchi"], fields={"title": "X"})
    assert snapshot(draft) == before


@pytest.mark.parametrize("who", ["dirigente_rossi", "segreteria", "revisore"])
def test_others_who_see_it_cannot_edit(draft, people, who):
    before = snapshot(draft)
    with pytest.raises(errors.Forbidden) as exc:
        _update(draft, people[who], fields={"title": "X"})
    assert exc.value.message == errors.NOT_EDITABLE
    assert snapshot(draft) == before


def test_editing_a_submitted_objective_is_forbidden(draft, people):
    o = walk_to(draft, State.SUBMITTED, people)
    before = snapshot(o)
    with pytest.raises(errors.Forbidden) as exc:
        _update(o, people["dirigente_satta"], fields={"title": "Ripensamento"})
    assert exc.value.message == errors.NOT_EDITABLE
    assert snapshot(o) == before


def test_a_phase_of_another_objective_is_refused_and_nothing_written(draft, plan, people):
    other = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    foreign = other.phases.first()
    own = draft.phases.first()
    before, other_before = snapshot(draft), snapshot(other)
    phase_rows = Phase.history.count()

    with pytest.raises(errors.InvalidInput):
        _update(draft, people["dirigente_satta"], fields={"title": "Cambiato"},
                phases=[{"id": own.pk, "description": "Cambiata"},
                        {"id": None, "description": "Nuova"},
                        {"id": foreign.pk, "description": "Rubata"}])

    assert snapshot(draft) == before and snapshot(other) == other_before
    assert Phase.history.count() == phase_rows
    assert Phase.objects.get(pk=own.pk).description == "Analisi"
    assert Phase.objects.get(pk=foreign.pk).description == "Analisi"
    assert draft.phases.count() == 2


def test_deleting_a_phase_of_another_objective_is_refused(draft, plan, people):
    other = ObjectiveFactory(plan=plan, responsible=people["dirigente_rossi"])
    foreign = other.phases.first()
    with pytest.raises(errors.InvalidInput):
        _update(draft, people["dirigente_satta"], phases=[{"id": foreign.pk, "delete": True}])
    assert Phase.objects.filter(pk=foreign.pk).exists()


# -- delegation -------------------------------------------------------------------------------------------
def _delegate_to_bianchi(o, people):
    return objective_delegate(objective_id=o.pk, by=people["dirigente_satta"],
                              delegate=people["funzionario_bianchi"])


def test_delegation_grant_and_revoke_drive_visibility(draft, people):
    satta, bianchi = people["dirigente_satta"], people["funzionario_bianchi"]
    assert not objectives_visible_to(bianchi).filter(pk=draft.pk).exists()

    objective_delegate(objective_id=draft.pk, by=satta, delegate=bianchi)
    assert list(objectives_visible_to(bianchi)) == [draft]
    assert delegates_of(draft) == [bianchi]
    assert access.can_edit(bianchi, fresh(draft))
    granted = AuditEntry.objects.filter(action="permission.delegate").get()
    assert granted.payload["data"]["delegate"] == "funzionario_bianchi"

    objective_revoke_delegation(objective_id=draft.pk, by=satta, delegate=bianchi)
    assert not objectives_visible_to(bianchi).exists()
    assert delegates_of(draft) == []
    assert AuditEntry.objects.filter(action="permission.revoke").exists()
    with pytest.raises(Objective.DoesNotExist):
        _update(draft, bianchi, fields={"title": "X"})


def test_a_delegation_covers_one_objective_only(draft, plan, people):
    other = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    _delegate_to_bianchi(draft, people)
    visible = objectives_visible_to(people["funzionario_bianchi"])
    assert visible.filter(pk=draft.pk).exists() and not visible.filter(pk=other.pk).exists()


@pytest.mark.parametrize("who", ["dirigente_rossi", "segreteria", "funzionario_bianchi"])
def test_only_the_responsible_delegates(draft, people, who):
    if who == "funzionario_bianchi":  # a delegate cannot pass the delegation on
        _delegate_to_bianchi(draft, people)
    colleague = member("funzionario_verdi", draft.plan.body, Role.FUNZIONARIO)
    with pytest.raises(errors.Forbidden) as exc:
        objective_delegate(objective_id=draft.pk, by=people[who], delegate=colleague)
    assert exc.value.message == errors.DELEGATE_FORBIDDEN
    assert not objectives_visible_to(colleague).exists()


def test_delegation_only_for_drafts(draft, people):
    o = walk_to(draft, State.SUBMITTED, people)
    with pytest.raises(errors.Forbidden):
        _delegate_to_bianchi(o, people)
    assert not objectives_visible_to(people["funzionario_bianchi"]).exists()


def test_delegate_must_be_a_funzionario_of_the_body(draft, people, other_body):
    outsider = member("funzionario_crema", other_body, Role.FUNZIONARIO)
    for delegate in (people["dirigente_rossi"], people["revisore"], outsider):
        with pytest.raises(errors.InvalidInput) as exc:
            objective_delegate(objective_id=draft.pk, by=people["dirigente_satta"], delegate=delegate)
        assert exc.value.message == errors.DELEGATE_NOT_FUNZIONARIO
    assert not objectives_visible_to(outsider).exists()
    assert delegates_of(draft) == []


def test_delegating_twice_or_revoking_nothing_is_invalid(draft, people):
    satta, bianchi = people["dirigente_satta"], people["funzionario_bianchi"]
    objective_delegate(objective_id=draft.pk, by=satta, delegate=bianchi)
    with pytest.raises(errors.InvalidInput) as exc:
        objective_delegate(objective_id=draft.pk, by=satta, delegate=bianchi)
    assert exc.value.message == errors.ALREADY_DELEGATED.format(who="Anna Bianchi")

    objective_revoke_delegation(objective_id=draft.pk, by=satta, delegate=bianchi)
    with pytest.raises(errors.InvalidInput) as exc:
        objective_revoke_delegation(objective_id=draft.pk, by=satta, delegate=bianchi)
    assert exc.value.message == errors.NOT_DELEGATED.format(who="Anna Bianchi")
    with pytest.raises(errors.InvalidInput):
        objective_revoke_delegation(objective_id=draft.pk, by=satta, delegate=satta)
    assert access.is_responsible(satta, fresh(draft))


def test_only_the_responsible_revokes(draft, people):
    _delegate_to_bianchi(draft, people)
    with pytest.raises(errors.Forbidden):
        objective_revoke_delegation(objective_id=draft.pk, by=people["dirigente_rossi"],
                                    delegate=people["funzionario_bianchi"])
    assert objectives_visible_to(people["funzionario_bianchi"]).filter(pk=draft.pk).exists()


# -- responsible --------------------------------------------------------------------------------------------
def test_segreteria_moves_a_draft_to_another_dirigente(draft, people):
    satta, rossi = people["dirigente_satta"], people["dirigente_rossi"]
    objective_assign_responsible(objective_id=draft.pk, by=people["segreteria"], responsible=rossi,
                                 lock_version=fresh(draft).lock_version)
    o = fresh(draft)
    assert o.responsible == rossi and o.responsible_name == "ROSSI PAOLO"
    assert access.is_responsible(rossi, o) and not access.is_responsible(satta, o)
    assert last_history(o).history_change_reason == "Nuovo responsabile: ROSSI PAOLO"
    with pytest.raises(errors.Forbidden):
        _update(o, satta, fields={"title": "X"})


def test_only_segreteria_moves_the_responsibility(draft, people):
    before = snapshot(draft)
    with pytest.raises(errors.Forbidden):
        objective_assign_responsible(objective_id=draft.pk, by=people["dirigente_satta"],
                                     responsible=people["dirigente_rossi"],
                                     lock_version=before["lock_version"])
    assert snapshot(draft) == before


# -- rows_sync: the one way phases and indicators are written ------------------------------------------
def test_rows_sync_keeps_the_fields_a_row_does_not_carry_and_writes_only_what_changes(draft, people):
    from flows.services.content import rows_sync

    first, second = draft.phases.order_by("position")
    first.responsible = "UFFICIO RAGIONERIA"  # no form carries it
    first.save()
    rows = [
        {"id": first.pk, "description": "Analisi", "weight": None, "notes": None},
        {"id": second.pk, "description": "Attuazione"},
        {"id": None, "description": "Verifica", "start": None},
    ]
    written = rows_sync(objective=draft, model=Phase, rows=rows, by=people["segreteria"], reason="prova")
    assert written == 2  # the first row's weight, the new row; the second row is as it was
    first, second, third = draft.phases.order_by("position")
    assert (first.weight, first.notes, first.responsible) == (None, "", "UFFICIO RAGIONERIA")
    assert (second.weight, second.position) == (Decimal("50"), 2)
    assert (third.description, third.position, third.start, third.notes) == ("Verifica", 3, None, "")
    assert rows_sync(objective=draft, model=Phase, rows=rows[:2], by=people["segreteria"], reason="x") == 0


def test_rows_sync_brings_a_deleted_row_back_with_its_id_only_when_asked(draft, people):
    from flows.services.content import ROW_NOT_OURS, rows_sync

    indicator = draft.indicators.get()
    pk, values = indicator.pk, {"description": indicator.description, "kind": "RISULTATO", "expected": "<30"}
    rows_sync(objective=draft, model=Indicator, rows=[{"id": pk, "delete": True}], by=people["segreteria"],
              reason="prova")
    assert not draft.indicators.exists()
    with pytest.raises(errors.InvalidInput, match=ROW_NOT_OURS):
        rows_sync(objective=draft, model=Indicator, rows=[{"id": pk, **values}], by=people["segreteria"],
                  reason="prova")
    assert not draft.indicators.exists()
    rows_sync(objective=draft, model=Indicator, rows=[{"id": pk, "position": 7, **values}],
              by=people["segreteria"], reason="ripristino", revive=True)
    back = draft.indicators.get()
    assert (back.pk, back.position, back.expected) == (pk, 7, "<30")
    assert back.history.first().history_change_reason == "ripristino"
