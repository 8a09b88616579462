"""Bad, stale, repeated or tampered input through the pages: a clear message, the right status, never a
500 and never half-saved data (DESIGN.md, "Every page" and "Versions: four words, four things")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from approvals.models import StepRecord
from flows import errors
from flows.services.content import objective_delegate, objective_update
from tests.factories import ObjectiveFactory, PlanFactory, StrategicObjectiveFactory, UserFactory, member
from tests.support import (
    act,
    block,
    detail_url,
    edit_post,
    edit_url,
    fresh,
    snapshot,
    text,
    transition_post,
    transition_url,
    walk_to,
)
from workflow.interchange import JSON_TOO_DEEP
from workflow.middleware import SESSION_KEY
from workflow.models import Phase, Role, State
from workflow.rules import DATE_OUT_OF_RANGE

pytestmark = pytest.mark.django_db

STALE_START = "L'obiettivo è stato modificato da"
STALE_END = "ricarica la pagina"
STALE_SELF_START = "Questa pagina non è aggiornata: hai già modificato l'obiettivo alle"
INCOMPLETE = "Richiesta incompleta: ricarica la pagina e riprova."


@pytest.fixture
def satta(client, people):
    client.force_login(people["dirigente_satta"])
    return people["dirigente_satta"]


@pytest.fixture
def segreteria(client, people):
    client.force_login(people["segreteria"])
    return people["segreteria"]


def _campo(page: str, name: str) -> str:
    """The ``div.campo`` wrapping the form field named ``name`` (its label, input and errors)."""
    other = '(?:(?!<div class="campo).)'
    m = re.search(rf'<div class="campo[^"]*">{other}*?name="{name}"{other}*', page, re.S)
    assert m, f"no field {name}"
    return m.group(0)


# -- transitions: stale, repeated, incomplete, unknown, invalid -------------------------------------

def test_stale_lock_version_on_a_transition_is_refused_with_who_changed_it(client, draft, people, satta):
    seen = transition_post(draft, "submit")  # the page as Satta loaded it
    objective_delegate(objective_id=draft.pk, by=satta, delegate=people["funzionario_bianchi"])
    objective_update(objective_id=draft.pk, by=people["funzionario_bianchi"],
                     lock_version=seen["lock_version"], fields={"purpose": "Pagare in 30 giorni."})
    before = snapshot(draft)

    response = client.post(transition_url(draft, "submit"), seen)

    assert response.status_code == 302
    assert response.url == detail_url(draft)
    assert snapshot(draft) == before
    page = text(client.get(response.url))
    assert f"{STALE_START} Anna Bianchi alle" in page
    assert STALE_END in page
    assert fresh(draft).state == State.DRAFTING


def test_double_submit_moves_once_and_tells_the_second_click(client, draft, satta):
    data = transition_post(draft, "submit")

    first = client.post(transition_url(draft, "submit"), data)
    assert first.status_code == 302
    assert fresh(draft).state == State.SUBMITTED
    client.get(first.url)  # the page after the first click shows (and consumes) the success message
    after_first = snapshot(draft)

    second = client.post(transition_url(draft, "submit"), data)

    assert second.status_code == 302
    assert snapshot(draft) == after_first
    assert StepRecord.objects.filter(objective=draft, transition="submit").count() == 1
    page = text(client.get(second.url))
    assert STALE_SELF_START in page and STALE_END in page
    assert "Stato: " in page and "Inviato alla Segreteria" in page


@pytest.mark.parametrize("lock_version", [None, "", "abc", "1.5", "1e3", " "])
def test_missing_or_garbage_lock_version_changes_nothing(client, draft, satta, lock_version):
    data = transition_post(draft, "submit")
    if lock_version is None:
        del data["lock_version"]
    else:
        data["lock_version"] = lock_version
    before = snapshot(draft)

    response = client.post(transition_url(draft, "submit"), data)

    assert response.status_code == 302
    assert snapshot(draft) == before
    assert INCOMPLETE in text(client.get(response.url))


@pytest.mark.parametrize("lock_version", ["0", "-1", "99999999999999999999999999"])
def test_a_lock_version_that_was_never_shown_is_stale(client, draft, satta, lock_version):
    before = snapshot(draft)
    response = client.post(transition_url(draft, "submit"),
                           transition_post(draft, "submit", lock_version=lock_version))
    assert response.status_code == 302
    assert snapshot(draft) == before
    assert STALE_END in text(client.get(response.url))


@pytest.mark.parametrize("name", ["approva", "state", "_set_state", "__init__", "SUBMIT", "submit "])
def test_unknown_transition_name_is_404(client, draft, satta, name):
    before = snapshot(draft)
    response = client.post(reverse("workflow:objective_transition", args=[draft.pk, name]),
                           transition_post(draft, "submit"))
    assert response.status_code == 404
    assert snapshot(draft) == before


def test_unknown_objective_is_404_and_get_on_an_action_is_405(client, draft, satta):
    assert client.post(reverse("workflow:objective_transition", args=[987654, "submit"]),
                       {"lock_version": 1}).status_code == 404
    before = snapshot(draft)
    assert client.get(transition_url(draft, "submit")).status_code == 405
    assert snapshot(draft) == before


def test_transition_not_available_in_this_state_says_so(client, draft, segreteria):
    before = snapshot(draft)
    response = client.post(transition_url(draft, "approve"), transition_post(draft, "approve"))
    assert response.status_code == 302
    assert snapshot(draft) == before
    page = text(client.get(response.url))
    assert errors.NOT_AVAILABLE.format(action="Approva e avvia la consultazione sindacale",
                                       state="In redazione") in page


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_return_to_drafting_without_a_reason_is_400_with_the_error_next_to_the_field(
        client, draft, people, segreteria, reason):
    walk_to(draft, State.SUBMITTED, people)
    data = transition_post(draft, "return_to_drafting")
    if reason is None:
        del data["comment"]
    else:
        data["comment"] = reason
    before = snapshot(draft)

    response = client.post(transition_url(draft, "return_to_drafting"), data)

    assert response.status_code == 400
    assert snapshot(draft) == before
    action = block(text(response), "azione-return_to_drafting")
    assert action.startswith("<details") and " open" in action.split(">", 1)[0]
    field = _campo(action, "comment")
    assert "has-error" in field
    assert "Indica la motivazione." in field
    # The other actions' forms on the page carry no error.
    assert "Indica la motivazione." not in block(text(response), "azione-approve")


def test_a_future_act_date_is_400_with_the_error_next_to_the_date(client, draft, people, segreteria):
    walk_to(draft, State.DELIBERATION, people)
    before = snapshot(draft)
    response = client.post(transition_url(draft, "adopt"),
                           transition_post(draft, "adopt", act_date="2099-12-31"))
    assert response.status_code == 400
    assert snapshot(draft) == before
    field = _campo(block(text(response), "azione-adopt"), "act_date")
    assert "La data dell'atto non può essere futura." in field


def test_invalid_input_from_someone_not_allowed_is_403_not_400(client, draft, people):
    walk_to(draft, State.SUBMITTED, people)
    client.force_login(people["revisore"])
    before = snapshot(draft)
    response = client.post(transition_url(draft, "return_to_drafting"),
                           transition_post(draft, "return_to_drafting", comment=""))
    assert response.status_code == 403
    assert "Non hai i permessi" in text(response)
    assert snapshot(draft) == before


# -- the edit form ------------------------------------------------------------------------------------

def test_phase_start_after_end_is_400_next_to_the_field_and_nothing_saved(client, draft, satta):
    before = snapshot(draft)
    data = edit_post(draft, title="Titolo nuovo", **{"fasi-0-start": "2023-05-01",
                                                      "fasi-0-end": "2023-04-01"})

    response = client.post(edit_url(draft), data)

    assert response.status_code == 400
    assert snapshot(draft) == before
    page = text(response)
    assert "nulla è stato salvato" in page
    cell = re.search(r'<td>(?:(?!</td>).)*name="fasi-0-end"(?:(?!</td>).)*</td>', page, re.S)
    assert cell and "La fine prevista non può precedere l'inizio." in cell.group(0)


def test_an_edit_can_add_a_row_and_delete_another(client, draft, satta):
    analisi, attuazione = draft.phases.all()
    data = edit_post(draft, **{
        "fasi-1-DELETE": "on",
        "fasi-2-description": "Verifica", "fasi-2-weight": "50", "fasi-2-start": "2023-04-01",
        "fasi-2-end": "2023-06-30",
    })
    response = client.post(edit_url(draft), data)
    assert response.status_code == 302
    assert list(draft.phases.values_list("pk", "description")) == [
        (analisi.pk, "Analisi"), (draft.phases.get(description="Verifica").pk, "Verifica")]
    assert not Phase.objects.filter(pk=attuazione.pk).exists()


def test_weight_out_of_range_is_400_next_to_the_field(client, draft, satta):
    before = snapshot(draft)
    response = client.post(edit_url(draft), edit_post(draft, weight="150"))
    assert response.status_code == 400
    assert snapshot(draft) == before
    assert "Il peso deve essere tra 0 e 100." in _campo(text(response), "weight")


@pytest.mark.parametrize("field", ["fasi-0-id", "indicatori-0-id"])
def test_a_row_of_another_objective_cannot_be_edited_through_this_form(client, plan, draft, people, satta,
                                                                       field):
    other = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])  # even one Satta may edit
    stolen = (other.phases if field.startswith("fasi") else other.indicators).first()
    mine, theirs = snapshot(draft), snapshot(other)
    other_indicators = list(other.indicators.values_list("pk", "description"))
    prefix = field.split("-")[0]

    response = client.post(edit_url(draft), edit_post(
        draft, **{field: stolen.pk, f"{prefix}-0-description": "Riga sottratta a un altro obiettivo"}))

    assert response.status_code == 400
    assert snapshot(other) == theirs
    assert list(other.indicators.values_list("pk", "description")) == other_indicators
    assert snapshot(draft) == mine
    assert draft.indicators.count() == 1
    assert "Riga sottratta" not in "".join(Phase.objects.values_list("description", flat=True))
    assert "non appartiene a questo obiettivo" in text(response)


@pytest.mark.parametrize("tamper", [
    {"fasi-0-id": "987654"}, {"fasi-0-id": "abc"}, {"fasi-0-objective": "OTHER"},
    {"fasi-TOTAL_FORMS": "abc"}, {"fasi-INITIAL_FORMS": "5"}, {"strategic_objective": "OTHER_PLAN"},
])
def test_other_tampered_edit_posts_are_refused_without_a_500(client, plan, draft, other_body, people, satta,
                                                             tamper):
    other = ObjectiveFactory(plan=plan, responsible=people["dirigente_rossi"])
    foreign_strategic = StrategicObjectiveFactory(plan=PlanFactory(body=other_body))
    values = {"OTHER": other.pk, "OTHER_PLAN": foreign_strategic.pk}
    mine, theirs = snapshot(draft), snapshot(other)

    response = client.post(edit_url(draft), edit_post(draft, title="Titolo nuovo",
                                                      **{k: values.get(v, v) for k, v in tamper.items()}))

    assert response.status_code == 400
    assert snapshot(draft) == mine
    assert snapshot(other) == theirs
    assert "nulla è stato salvato" in text(response) or "non appartiene" in text(response)


def test_editing_with_a_stale_lock_version_is_409_with_the_message(client, draft, people, satta):
    seen = edit_post(draft, title="La mia versione")
    objective_update(objective_id=draft.pk, by=people["dirigente_satta"], lock_version=seen["lock_version"],
                     fields={"title": "La versione dell'altra scheda"})
    before = snapshot(draft)

    response = client.post(edit_url(draft), seen)

    assert response.status_code == 409
    assert snapshot(draft) == before
    page = text(response)
    assert STALE_SELF_START in page and STALE_END in page  # the other tab was the same person's
    assert fresh(draft).title == "La versione dell'altra scheda"


# -- the current body ---------------------------------------------------------------------------------

def test_switching_to_a_body_without_a_role_changes_nothing(client, body, other_body, satta):
    client.get(reverse("workflow:dashboard"))
    session_before = client.session.get(SESSION_KEY)
    for value in (other_body.pk, "987654", "abc", ""):
        response = client.post(reverse("workflow:switch_body"), {"body": value}, follow=True)
        assert response.status_code == 200
        assert "Non hai ruoli nell'ente scelto." in text(response)
        assert client.session.get(SESSION_KEY) == session_before
        assert "Provincia di Cremona" in text(response)


def test_a_person_in_two_bodies_sees_the_second_bodys_objectives_only_after_switching(
        client, plan, other_body, other_plan, people):
    revisore = people["revisore"]
    member("revisore", other_body, Role.REVISORE)
    dirigente_crema = member("dirigente_crema", other_body, Role.DIRIGENTE)
    provincia = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], code="2023_PROV1")
    comune = ObjectiveFactory(plan=other_plan, responsible=dirigente_crema, code="2023_COM1")
    client.force_login(revisore)

    # "Comune di Crema" comes first by name: it is the current body until the person switches.
    listing = text(client.get(reverse("workflow:objective_list")))
    assert comune.code in listing and provincia.code not in listing

    response = client.post(reverse("workflow:switch_body"), {"body": plan.body.pk}, follow=True)
    assert "Ente corrente: Provincia di Cremona." in text(response)

    listing = text(client.get(reverse("workflow:objective_list")))
    assert provincia.code in listing and comune.code not in listing


# -- the batch page -----------------------------------------------------------------------------------

def _batch_post(objectives, *, name="approve", stale=(), **data):
    post = {"stato": State.SUBMITTED, "azione": name, "obiettivi": [str(o.pk) for o in objectives],
            "comment": "Approvati in blocco"}
    for o in objectives:
        post[f"v_{o.pk}"] = str(fresh(o).lock_version - (1 if o in stale else 0))
    post.update(data)
    return post


@pytest.fixture
def submitted_three(plan, people):
    objectives = [ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]) for _ in range(3)]
    for o in objectives:
        walk_to(o, State.SUBMITTED, people)
    return objectives


def test_batch_blocked_by_one_objective_is_409_names_it_and_changes_nothing(
        client, submitted_three, people, segreteria):
    a, b, c = submitted_three
    page_as_seen = _batch_post(submitted_three)
    # Meanwhile the Segretario returns b to its dirigente, who submits it again.
    act(b, "return_to_drafting", people["segretario"])
    act(b, "submit", people["dirigente_satta"])
    before = [snapshot(o) for o in submitted_three]

    response = client.post(reverse("workflow:batch"), page_as_seen)

    assert response.status_code == 409
    assert [snapshot(o) for o in submitted_three] == before
    alert = re.search(r'<div class="alert alert-danger"[^>]*>(.*?)</div>', text(response), re.S).group(1)
    assert f"{b.code} ha bloccato l'operazione" in alert
    assert "Nessun obiettivo è stato modificato" in alert
    assert "Sabrina Satta" in alert  # who changed it meanwhile: her second submission
    assert STALE_END in alert
    assert a.code not in alert and c.code not in alert


def test_batch_blocked_by_a_condition_names_the_objective_and_the_reason(client, plan, people, segreteria):
    fresh_one = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    revised = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    walk_to(fresh_one, State.SUBMITTED, people)
    walk_to(revised, State.PUBLISHED, people)
    act(revised, "revise", people["segreteria"])
    walk_to(revised, State.SUBMITTED, people)
    objectives = [fresh_one, revised]
    before = [snapshot(o) for o in objectives]

    response = client.post(reverse("workflow:batch"),
                           _batch_post(objectives, name="withdraw", comment="Piano superato"))

    assert response.status_code == 409
    assert [snapshot(o) for o in objectives] == before
    page = text(response)
    assert errors.BATCH_BLOCKED.format(code=revised.code, reason=errors.NEVER_PUBLISHED_ONLY) in page


def test_successful_batch_moves_all_and_says_how_many(client, submitted_three, segreteria):
    response = client.post(reverse("workflow:batch"), _batch_post(submitted_three), follow=True)
    assert response.status_code == 200
    assert all(fresh(o).state == State.UNION_CONSULTATION for o in submitted_three)
    for o in submitted_three:
        assert StepRecord.objects.filter(objective=o, transition="approve").count() == 1
    assert "fatto per 3 obiettivi" in text(response)


def test_batch_without_a_selection_says_so_and_changes_nothing(client, submitted_three, segreteria):
    before = [snapshot(o) for o in submitted_three]
    post = _batch_post(submitted_three)
    del post["obiettivi"]
    response = client.post(reverse("workflow:batch"), post)
    assert response.status_code == 400
    assert errors.BATCH_EMPTY in text(response)
    assert [snapshot(o) for o in submitted_three] == before


@pytest.mark.parametrize(("garbage", "outcome"), [
    ({"obiettivi": ["abc", "-1", ""]}, 400),   # no usable selection
    ({"azione": "submit"}, 400),               # not an action of the batch page
    ({"azione": "publish"}, 400),              # not an action from the chosen state
    ({"azione": "'; DROP TABLE"}, 400),
    ({"stato": "nonexistent"}, "moved"),       # the page's default state, whose action was the one chosen
])
def test_batch_with_garbage_never_crashes_nor_applies_another_action(client, submitted_three, segreteria,
                                                                       garbage, outcome):
    before = [snapshot(o) for o in submitted_three]
    post = {**_batch_post(submitted_three), **garbage}
    response = client.post(reverse("workflow:batch"), post)
    if outcome == "moved":
        assert response.status_code == 302
        assert {fresh(o).state for o in submitted_three} == {State.UNION_CONSULTATION}
    else:
        assert response.status_code == outcome
        assert [snapshot(o) for o in submitted_three] == before


def test_batch_cannot_reach_an_objective_of_another_body(client, submitted_three, segreteria_crema):
    client.force_login(segreteria_crema)
    before = [snapshot(o) for o in submitted_three]
    response = client.post(reverse("workflow:batch"), _batch_post(submitted_three))
    assert response.status_code == 409
    assert errors.NOT_FOUND in text(response)
    assert [snapshot(o) for o in submitted_three] == before


# -- the list: filters and pagination ------------------------------------------------------------------

@pytest.fixture
def listing(plan, people):
    os1 = StrategicObjectiveFactory(plan=plan, code="2023_OS01", title="Struttura organizzativa")
    os2 = StrategicObjectiveFactory(plan=plan, code="2023_OS02", title="Infrastrutture e viabilità")
    satta, rossi = people["dirigente_satta"], people["dirigente_rossi"]
    made = {
        "pagamenti": ObjectiveFactory(plan=plan, responsible=satta, code="2023_L01", strategic_objective=os1,
                                      title="Riduzione dei tempi di pagamento",
                                      responsibility_center="SETTORE RISORSE ECONOMICHE E FINANZIARIE"),
        "strade": ObjectiveFactory(plan=plan, responsible=rossi, code="2023_L02", strategic_objective=os2,
                                   title="Manutenzione delle strade provinciali",
                                   responsibility_center="SETTORE INFRASTRUTTURE"),
        "archivio": ObjectiveFactory(plan=plan, responsible=rossi, code="2023_L03", strategic_objective=os2,
                                     title="Digitalizzazione dell'archivio", purpose="Archivio digitale",
                                     responsibility_center="SETTORE INFRASTRUTTURE"),
    }
    walk_to(made["strade"], State.SUBMITTED, people)
    return made, os1, os2


def _codes(response) -> list[str]:
    return [o.code for o in response.context["page"].object_list]


@pytest.mark.parametrize(("query", "expected"), [
    ({}, ["pagamenti", "strade", "archivio"]),
    ({"state": "submitted"}, ["strade"]),
    ({"state": "drafting"}, ["pagamenti", "archivio"]),
    ({"q": "strade"}, ["strade"]),
    ({"q": "2023_L03"}, ["archivio"]),
    ({"q": "digitale"}, ["archivio"]),  # the purpose is searched too
    ({"q": "nessun riscontro"}, []),
    ({"strategic": "OS1"}, ["pagamenti"]),
    ({"strategic": "OS2"}, ["strade", "archivio"]),
    ({"center": "SETTORE INFRASTRUTTURE"}, ["strade", "archivio"]),
    ({"responsible": "satta"}, ["pagamenti"]),
    ({"responsible": "rossi", "state": "drafting"}, ["archivio"]),
    ({"state": "nonexistent"}, ["pagamenti", "strade", "archivio"]),  # an invalid filter is ignored
    ({"strategic": "abc", "responsible": "987654"}, ["pagamenti", "strade", "archivio"]),
])
def test_list_filters(client, people, listing, query, expected):
    made, os1, os2 = listing
    values = {"OS1": os1.pk, "OS2": os2.pk, "satta": people["dirigente_satta"].pk,
              "rossi": people["dirigente_rossi"].pk}
    client.force_login(people["segreteria"])
    response = client.get(reverse("workflow:objective_list"), {k: values.get(v, v) for k, v in query.items()})
    assert response.status_code == 200
    assert sorted(_codes(response)) == sorted(made[k].code for k in expected)
    page = text(response)
    for key, objective in made.items():
        assert (f">{objective.code}<" in page) == (key in expected)


def test_list_pagination(client, plan, people):
    for _ in range(30):
        ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    client.force_login(people["segreteria"])
    url = reverse("workflow:objective_list")

    first = client.get(url)
    assert len(_codes(first)) == 25
    assert "Pagina 1 di 2" in text(first)
    second = client.get(url, {"pagina": "2"})
    assert len(_codes(second)) == 5
    assert "Pagina 2 di 2" in text(second)
    assert not set(_codes(first)) & set(_codes(second))

    for garbage, number in [("99", 2), ("0", 2), ("-1", 2), ("abc", 1), ("", 1), ("1.5", 1)]:
        response = client.get(url, {"pagina": garbage})
        assert response.status_code == 200, garbage
        assert response.context["page"].number == number, garbage

    # Filters survive paging.
    filtered = client.get(url, {"state": "drafting", "pagina": "2"})
    assert len(_codes(filtered)) == 5
    assert "state=drafting" in text(filtered)


# -- odd and hostile input: dates no plan can have, deep JSON, odd links, a user without a body ----------

OUT_OF_RANGE = ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"]


def test_a_phase_stored_far_in_the_future_does_not_break_the_objective_page(client, draft, people):
    phase = draft.phases.first()
    Phase.objects.filter(pk=phase.pk).update(end=dt.date(9999, 12, 30))  # stored before the bounds existed
    for who in ("dirigente_satta", "segreteria", "revisore"):
        client.force_login(people[who])
        response = client.get(detail_url(draft))
        assert response.status_code == 200, who
        assert "30/12/9999" in text(response)  # the phases table still shows it as stored


@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("field", ["start", "end"])
def test_a_phase_date_outside_the_plan_years_is_400_next_to_the_field(client, draft, satta, field, value):
    before = snapshot(draft)
    response = client.post(edit_url(draft), edit_post(draft, **{f"fasi-0-{field}": value}))
    assert response.status_code == 400
    assert snapshot(draft) == before
    cell = re.search(rf'<td>(?:(?!</td>).)*name="fasi-0-{field}"(?:(?!</td>).)*</td>', text(response), re.S)
    assert cell and DATE_OUT_OF_RANGE in cell.group(0)


@pytest.mark.parametrize(("name", "state", "field"), [
    ("adopt", State.DELIBERATION, "act_date"),
    ("transmit", State.TRANSMISSION, "receipt_date"),
    ("publish", State.PUBLICATION, "published_on"),
])
@pytest.mark.parametrize("value", ["0001-01-01", "1999-12-31"])
def test_a_step_date_outside_the_plan_years_is_400_next_to_the_field(client, draft, people, segreteria,
                                                                      name, state, field, value):
    walk_to(draft, state, people)
    before = snapshot(draft)
    response = client.post(transition_url(draft, name), transition_post(draft, name, **{field: value}))
    assert response.status_code == 400
    assert snapshot(draft) == before
    assert DATE_OUT_OF_RANGE in _campo(block(text(response), f"azione-{name}"), field)


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_a_plan_deadline_outside_the_plan_years_is_400_next_to_the_field(client, plan, segreteria, value):
    before = plan.deadline
    response = client.post(reverse("workflow:plan_deadline", args=[plan.year]), {"deadline": value})
    assert response.status_code == 400
    assert DATE_OUT_OF_RANGE in _campo(text(response), "deadline")
    plan.refresh_from_db()
    assert plan.deadline == before


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_a_new_plan_with_a_deadline_outside_the_plan_years_is_refused(client, body, segreteria, value):
    response = client.post(reverse("workflow:plan_create"), {"year": "2030", "deadline": value})
    assert response.status_code == 400
    assert DATE_OUT_OF_RANGE in _campo(text(response), "deadline")
    assert not body.plans.filter(year=2030).exists()


@pytest.mark.parametrize("url", ["audit:change_log", "csv", "json"])
@pytest.mark.parametrize("query", [{"dal": "0001-01-01"}, {"al": "9999-12-31"}, {"dal": "2101-01-01"}])
def test_change_log_dates_outside_the_plan_years_get_a_message_not_a_500(client, people, url, query):
    client.force_login(people["revisore"])
    if url == "audit:change_log":
        address = reverse(url)
    else:
        address = reverse("audit:change_log_download", args=[url])
    response = client.get(address, query)
    assert response.status_code == 400
    [field] = query
    assert DATE_OUT_OF_RANGE in _campo(text(response), field)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_the_plan_as_of_a_date_outside_the_plan_years_gets_a_message_not_a_500(client, plan, people, value):
    client.force_login(people["revisore"])
    response = client.get(reverse("audit:plan_as_of", args=[plan.year]), {"data": value})
    assert response.status_code == 400
    assert DATE_OUT_OF_RANGE in text(response)
    assert 'id="id_data_error"' in response.content.decode()


@pytest.mark.parametrize("query", [{"dopo": "²"}, {"prima": "٣"}, {"dopo": "9" * 30}, {"prima": "9" * 30}])
def test_change_log_cursors_that_are_not_usable_numbers_are_ignored(client, people, query):
    client.force_login(people["revisore"])
    assert client.get(reverse("audit:change_log"), query).status_code == 200


def test_a_json_import_nested_too_deep_is_refused_with_a_message(client, plan, segreteria):
    deep = b'{"year": 2023, "objectives": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = client.post(reverse("workflow:plan_import"), {
        "file": SimpleUploadedFile("piano.json", deep, content_type="application/json"), "year": "2023",
    })
    assert response.status_code == 400
    assert JSON_TOO_DEEP in _campo(text(response), "file")
    assert not any(key.startswith("import:") for key in client.session.keys())


@pytest.mark.parametrize("target", ["2023-02-30", "dashboard", "logout", "https://evil.example/",
                                    "//evil.example/", "javascript:alert(1)", "/\\evil.example"])
def test_marking_notifications_read_with_an_odd_next_goes_back_to_the_inbox(client, people, target):
    client.force_login(people["segreteria"])
    response = client.post(reverse("notifications:mark_all_read"), {"next": target})
    assert response.status_code == 302
    assert response.url == reverse("notifications:inbox")


def test_marking_notifications_read_goes_back_to_a_local_next(client, people):
    client.force_login(people["segreteria"])
    here = reverse("notifications:inbox") + "?stato=non-lette"
    response = client.post(reverse("notifications:mark_all_read"), {"next": here})
    assert response.status_code == 302
    assert response.url == here


@pytest.fixture
def nobody(client, db):
    user = UserFactory(username="senza_ente")
    client.force_login(user)
    return user


@pytest.mark.parametrize("name", ["approvals:body_settings", "workflow:dashboard", "workflow:objective_list",
                                  "audit:change_log", "workflow:plan_import", "approvals:transmission_page",
                                  "approvals:consultation_home", "workflow:batch", "workflow:plan_create",
                                  "workflow:objective_create"])
def test_a_user_without_a_body_gets_a_clear_page_not_a_500(client, nobody, name):
    response = client.get(reverse(name))
    assert response.status_code in (200, 404)
    assert "Nessun ente associato" in text(response)
    post = client.post(reverse(name), {})
    assert post.status_code in (200, 404, 405)


def test_batch_ids_that_look_like_digits_but_are_not_numbers_change_nothing(client, submitted_three,
                                                                             segreteria):
    before = [snapshot(o) for o in submitted_three]
    response = client.post(reverse("workflow:batch"), {**_batch_post(submitted_three), "obiettivi": ["²"]})
    assert response.status_code == 400
    assert [snapshot(o) for o in submitted_three] == before


def test_a_package_of_ids_that_look_like_digits_but_are_not_numbers_says_so(client, segreteria):
    response = client.get(reverse("approvals:transmission_package"), {"obiettivi": ["²"]}, follow=True)
    assert response.status_code == 200
    assert errors.BATCH_EMPTY in text(response)
