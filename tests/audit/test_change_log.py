"""The change log page: every kind of change with who, when and why; its filters; who may read it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import verify
from flows.services.content import (
    objective_assign_responsible,
    objective_create,
    objective_delegate,
    objective_revoke_delegation,
    objective_update,
)
from flows.services.interchange import plan_export, plan_import
from flows.services.memberships import membership_grant
from flows.services.versions import objective_restore
from tests.e2e.browser import PASSWORD
from tests.factories import ObjectiveFactory, Role, UserFactory, superuser
from tests.support import act, fresh
from workflow.models import Objective

from .conftest import log_rows, text

pytestmark = pytest.mark.django_db

LOG = reverse("audit:change_log")


def _get(client, user, **params):
    client.force_login(user)
    return client.get(LOG, params)


@pytest.fixture
def story(client, plan, people, draft):
    """One of every kind of change the log must show, done through the real services and pages."""
    satta, segreteria = people["dirigente_satta"], people["segreteria"]
    created = objective_create(
        by=segreteria, plan=plan, code="2023_6001", title="Riduzione dei tempi", responsible=satta
    )
    objective_update(
        objective_id=draft.pk,
        by=satta,
        lock_version=fresh(draft).lock_version,
        fields={"title": "Titolo corretto"},
        note="Titolo più chiaro",
    )
    objective_delegate(objective_id=draft.pk, by=satta, delegate=people["funzionario_bianchi"])
    objective_revoke_delegation(objective_id=draft.pk, by=satta, delegate=people["funzionario_bianchi"])
    objective_assign_responsible(
        objective_id=created.pk,
        by=segreteria,
        responsible=people["dirigente_rossi"],
        lock_version=fresh(created).lock_version,
    )
    first = Objective.history.filter(id=draft.pk).order_by("history_date").first()
    objective_restore(
        objective_id=draft.pk,
        by=satta,
        history_id=first.history_id,
        lock_version=fresh(draft).lock_version,
        reason="Il titolo originale era corretto",
    )
    act(draft, "submit", satta, data={"comment": "Pronto per la revisione"})
    act(draft, "return_to_drafting", segreteria, data={"comment": "Manca l'indicatore di efficienza"})
    document = plan_export(by=segreteria, plan=plan, fmt="json")
    plan_import(
        by=segreteria,
        body=plan.body,
        year=2024,
        document={**document, "year": 2024},
        source="piano-2023.json",
    )
    membership_grant(
        by=superuser(), user=UserFactory(username="nuovo_revisore"), body=plan.body, role=Role.REVISORE
    )
    client.post(reverse("login"), {"username": "dirigente_rossi", "password": PASSWORD})
    client.post(reverse("login"), {"username": "dirigente_rossi", "password": "sbagliata"})
    client.logout()
    return draft


# (action label, who, a piece of the details, the reason) for each kind of change in ``story``.
EXPECTED = [
    ("Creazione dell'obiettivo", "segreteria", "Riduzione dei tempi", ""),
    ("Modifica del contenuto", "dirigente_satta", "campi: titolo", "Titolo più chiaro"),
    ("Delega concessa", "dirigente_satta", "funzionario: funzionario_bianchi", ""),
    ("Delega revocata", "dirigente_satta", "funzionario: funzionario_bianchi", ""),
    ("Nomina del dirigente responsabile", "segreteria", "da dirigente_satta a dirigente_rossi", ""),
    (
        "Ripristino di una versione",
        "dirigente_satta",
        "ripristinata la versione 1",
        "Il titolo originale era corretto",
    ),
    (
        "Transizione: Invia alla Segreteria",
        "dirigente_satta",
        "In redazione → Inviato alla Segreteria",
        "Pronto per la revisione",
    ),
    (
        "Transizione: Restituisci al dirigente",
        "segreteria",
        "Inviato alla Segreteria → In redazione",
        "Manca l'indicatore di efficienza",
    ),
    ("Esportazione del piano", "segreteria", "formato json", ""),
    ("Importazione del piano", "segreteria", "creati", "file «piano-2023.json»"),
    ("Ruolo assegnato", "root", "nuovo_revisore: Revisore (NIV/OIV)", ""),
    ("Accesso", "dirigente_rossi", "indirizzo 127.0.0.1", ""),
    ("Accesso non riuscito", "", "nome utente provato: «dirigente_rossi»", ""),
    ("Uscita", "dirigente_rossi", "", ""),
]


def test_every_kind_of_change_is_in_the_log_with_who_when_and_why(client, story, people):
    started = timezone.localtime(AuditEntry.objects.order_by("sequence").first().at)
    rows = log_rows(_get(client, people["revisore"]))
    assert [r["sequence"] for r in rows] == sorted((r["sequence"] for r in rows), reverse=True)
    for label, who, details, reason in EXPECTED:
        matches = [r for r in rows if r["azione"] == label and details in r["dettagli"]]
        assert matches, f"no row for {label!r} with {details!r}"
        row = matches[0]
        assert row["utente"] == (who or "—"), label
        assert row["motivazione"] == reason, label
        when = dt.datetime.strptime(row["quando"], "%d/%m/%Y %H:%M:%S").replace(tzinfo=started.tzinfo)
        assert abs(when - started) < dt.timedelta(minutes=5), label
    objective_rows = [r for r in rows if r["oggetto"] == story.code]
    assert {"Modifica del contenuto", "Ripristino di una versione"} <= {r["azione"] for r in objective_rows}
    assert verify()[0]


def test_the_objective_links_to_its_versions(client, story, people):
    response = _get(client, people["revisore"], obiettivo=story.pk)
    assert reverse("audit:versions", args=[story.pk]) in response.content.decode()


def test_an_early_consultation_close_is_highlighted_with_its_reason(client, draft, people):
    from tests.support import walk_to
    from workflow.models import State

    walk_to(draft, State.SIGNATURE, people)  # closes the consultation early, with a written reason
    rows = log_rows(_get(client, people["revisore"], azione="transition.close_consultation"))
    assert len(rows) == 1
    assert "Da verificare" in rows[0]["azione"]
    assert "Chiusura anticipata: Scadenza di adozione imminente" in rows[0]["motivazione"]


# -- filters ---------------------------------------------------------------------------------------------
def test_filter_by_objective(client, story, people, plan):
    other = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    act(other, "submit", people["dirigente_satta"])
    rows = log_rows(_get(client, people["revisore"], obiettivo=story.pk))
    expected = AuditEntry.objects.filter(object_type="workflow.objective", object_id=str(story.pk))
    assert [r["sequence"] for r in rows] == list(
        expected.order_by("-sequence").values_list("sequence", flat=True)
    )
    assert all(r["oggetto"] == story.code for r in rows)


def test_filter_by_plan(client, story, people, plan):
    rows = log_rows(_get(client, people["revisore"], piano=plan.pk))
    expected = AuditEntry.objects.filter(plan_id=plan.pk).order_by("-sequence")
    assert [r["sequence"] for r in rows] == list(expected.values_list("sequence", flat=True))
    assert "Importazione del piano" not in {r["azione"] for r in rows}  # that was the 2024 plan


def test_filter_by_user_includes_their_logins(client, story, people):
    rossi = people["dirigente_rossi"]
    rows = log_rows(_get(client, people["revisore"], utente=rossi.pk))
    assert {r["azione"] for r in rows} == {"Accesso", "Accesso non riuscito", "Uscita"}


def test_filter_by_action_and_family(client, story, people):
    rows = log_rows(_get(client, people["revisore"], azione="permission.delegate"))
    assert [r["azione"] for r in rows] == ["Delega concessa"]
    rows = log_rows(_get(client, people["revisore"], azione="transition."))
    assert {r["azione"] for r in rows} == {
        "Transizione: Invia alla Segreteria",
        "Transizione: Restituisci al dirigente",
    }
    rows = log_rows(_get(client, people["revisore"], azione="auth."))
    assert {r["azione"] for r in rows} >= {"Accesso", "Accesso non riuscito", "Uscita"}


def test_filter_by_dates(client, story, people):
    today = timezone.localdate()
    assert log_rows(_get(client, people["revisore"], dal=today.isoformat(), al=today.isoformat()))
    tomorrow = today + dt.timedelta(days=1)
    assert log_rows(_get(client, people["revisore"], dal=tomorrow.isoformat())) == []
    assert log_rows(_get(client, people["revisore"], al=(today - dt.timedelta(days=1)).isoformat())) == []


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"dal": "2023-03-10", "al": "2023-03-01"}, "al", "La data finale precede quella iniziale."),
        ({"dal": "31/02/2023"}, "dal", "Inserisci una data valida."),
        ({"obiettivo": "999999"}, "obiettivo", "Scegli un'opzione valida."),
        ({"azione": "drop table"}, "azione", "Scegli un'opzione valida."),
    ],
)
def test_bad_filters_get_a_message_next_to_the_field(client, story, people, params, field, message):
    response = _get(client, people["revisore"], **params)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert message in text(response)
    assert log_rows(response) == []


def test_a_bad_cursor_shows_the_first_page(client, story, people):
    response = _get(client, people["revisore"], dopo="abc")
    assert response.status_code == 200
    assert log_rows(response)[0]["sequence"] == AuditEntry.objects.order_by("-sequence").first().sequence


# -- who may read it ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("revisore", 200),
        ("segreteria", 200),
        ("segretario", 200),
        ("dirigente_satta", 403),
        ("funzionario_bianchi", 403),
        ("sindacato", 403),
        ("amministratore", 403),
    ],
)
def test_who_may_read_the_change_log(client, story, people, who, status):
    response = _get(client, people[who])
    assert response.status_code == status
    if status == 403:
        assert "Il registro delle modifiche è riservato ai revisori" in text(response)
        assert "Nessun dato è stato modificato" in text(response)
    for fmt in ("csv", "json"):
        before = AuditEntry.objects.count()
        response = client.get(reverse("audit:change_log_download", args=[fmt]))
        assert response.status_code == status
        assert AuditEntry.objects.count() == before + (1 if status == 200 else 0)


def test_anonymous_is_sent_to_the_login(client, story):
    response = client.get(LOG)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_nav_link_shows_to_those_who_may_read(client, people):
    for who, shown in (("revisore", True), ("segreteria", True), ("dirigente_satta", False)):
        client.force_login(people[who])
        page = client.get(reverse("workflow:dashboard")).content.decode()
        assert ("Registro delle modifiche" in page) == shown, who


def test_another_bodys_auditor_sees_none_of_these_entries(
    client, story, people, revisore_crema, other_plan, segreteria_crema
):
    objective_create(
        by=segreteria_crema,
        plan=other_plan,
        code="2023_9001",
        title="Obiettivo di Crema",
        responsible=member_dirigente(other_plan),
    )
    rows = log_rows(_get(client, revisore_crema))
    ours = set(AuditEntry.objects.filter(body_id=story.plan.body_id).values_list("sequence", flat=True))
    assert rows and not ours & {r["sequence"] for r in rows}
    assert {r["utente"] for r in rows} <= {"segreteria_crema", "root", "revisore_crema", "dirigente_crema"}
    # and the Provincia's auditor sees none of Crema's, nor the logins of Crema's people
    rows = log_rows(_get(client, people["revisore"]))
    assert "Obiettivo di Crema" not in {r["dettagli"] for r in rows}
    assert "revisore_crema" not in {r["utente"] for r in rows}


def test_the_log_follows_the_current_body(client, people, other_body, other_plan, segreteria_crema):
    # A revisore of the Provincia who is a dirigente in Crema: in Crema the log is not theirs to read.
    from workflow.middleware import SESSION_KEY

    member_in_crema = people["revisore"]
    membership_grant(by=superuser(), user=member_in_crema, body=other_body, role=Role.DIRIGENTE)
    client.force_login(member_in_crema)
    session = client.session
    session[SESSION_KEY] = other_body.pk
    session.save()
    assert client.get(LOG).status_code == 403


def member_dirigente(plan):
    from tests.factories import member

    return member("dirigente_crema", plan.body, Role.DIRIGENTE, first_name="Dario", last_name="Crema")


def test_a_batch_is_in_the_log_of_its_body(client, plan, people):
    from flows.services.transitions import objectives_batch_transition
    from tests.support import walk_to
    from workflow.models import State

    objectives = [
        walk_to(ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]), State.SUBMITTED, people)
        for _ in range(2)
    ]
    objectives_batch_transition(
        objective_ids=[o.pk for o in objectives],
        name="approve",
        by=people["segreteria"],
        data={"comment": "Approvati insieme"},
    )
    rows = log_rows(_get(client, people["revisore"], azione="batch_transition"))
    assert [(r["azione"], r["utente"]) for r in rows] == [("Operazione multipla", "segreteria")]
    assert rows[0]["dettagli"] == "Approva e avvia la consultazione sindacale: 2 obiettivi"
