import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape

from approvals.models import StepRecord
from audit.models import AuditEntry
from flows import errors
from flows.services.bodies import IPA_CODE_INVALID, IPA_CODE_TAKEN, body_create
from flows.services.memberships import membership_grant
from tests.factories import BodyFactory, ObjectiveFactory, PlanFactory, Role, UserFactory, member, superuser
from tests.support import act
from workflow.models import Body, Indicator, Membership, Objective, Phase, Plan, StrategicObjective

pytestmark = pytest.mark.django_db


@pytest.fixture
def amministratore(people):
    user = people["amministratore"]
    user.is_staff = True
    user.save()
    return user


def test_an_amministratore_manages_only_their_own_bodies(client, body, other_body, amministratore):
    member("segreteria_crema", other_body, Role.SEGRETERIA)
    client.force_login(amministratore)
    bodies = client.get(reverse("admin:workflow_body_changelist")).content.decode()
    assert body.name in bodies and other_body.name not in bodies
    assert (
        client.get(reverse("admin:workflow_body_change", args=[other_body.pk])).status_code == 302
    )  # not found
    memberships = client.get(reverse("admin:workflow_membership_changelist")).content.decode()
    assert "segreteria_crema" not in memberships and "dirigente_satta" in memberships


def test_a_role_granted_in_the_admin_goes_through_the_service(client, body, other_body, amministratore):
    newcomer = UserFactory(username="nuovo_dirigente")
    client.force_login(amministratore)
    url = reverse("admin:workflow_membership_add")
    data = {
        "user": newcomer.pk,
        "body": body.pk,
        "role": Role.DIRIGENTE,
        "responsibility_center": "SETTORE X",
    }
    assert client.post(url, data).status_code == 302
    assert Membership.objects.filter(user=newcomer, body=body, role=Role.DIRIGENTE).exists()
    assert newcomer.groups.filter(name="Dirigenti").exists()
    assert (
        AuditEntry.objects.filter(action="permission.role_grant").last().payload["data"]["user"]
        == "nuovo_dirigente"
    )
    # another body is not among the choices: the form refuses it and nothing is granted
    response = client.post(url, {**data, "body": other_body.pk})
    assert response.status_code == 200 and "Scegli un&#x27;opzione valida" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer, body=other_body).exists()


def test_objectives_are_read_only_in_the_admin(client, draft):
    admin_user = UserFactory(username="root_admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    assert client.get(reverse("admin:workflow_objective_change", args=[draft.pk])).status_code == 200
    response = client.post(
        reverse("admin:workflow_objective_change", args=[draft.pk]), {"title": "Riscritto"}
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.title != "Riscritto"
    assert client.get(reverse("admin:workflow_objective_history", args=[draft.pk])).status_code == 200


# --- one body never sees another's: the domain admins are the platform operator's -------------------------

OPEN_TO_AMMINISTRATORI = {Body, Membership}


def _domain_admins():
    """Every model registered in the admin but bodies, roles and Django's own (users, groups, lock-outs)."""
    return [
        model
        for model in admin.site._registry
        if model not in OPEN_TO_AMMINISTRATORI and model._meta.app_label in {"workflow", "approvals", "audit"}
    ]


@pytest.fixture
def staff_amministratore_revisore(body, people):
    user = people["amministratore"]
    membership_grant(by=superuser(), user=user, body=body, role=Role.REVISORE)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def other_objective(other_body, people):
    dirigente = member("dirigente_crema", other_body, Role.DIRIGENTE)
    objective = ObjectiveFactory(plan=PlanFactory(body=other_body), responsible=dirigente)
    act(objective, "submit", dirigente)  # a step record and evidence entries of the other body
    return objective


def test_the_domain_admins_are_closed_to_an_amministratore_revisore(
    client, draft, other_objective, staff_amministratore_revisore
):
    client.force_login(staff_amministratore_revisore)
    models = _domain_admins()
    assert {Objective, Phase, Indicator, Plan, StrategicObjective, AuditEntry, StepRecord} <= set(models)
    for model in models:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 403, model
    for objective in (draft, other_objective):
        for name in ("change", "history"):
            url = reverse(f"admin:workflow_objective_{name}", args=[objective.pk])
            assert client.get(url).status_code == 403, (name, objective.plan.body)
        phase = objective.phases.first()
        assert client.get(reverse("admin:workflow_phase_change", args=[phase.pk])).status_code == 403
        assert client.get(reverse("admin:workflow_phase_history", args=[phase.pk])).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "Ruoli negli enti" in index and "Obiettivi" not in index and "Crema" not in index


def test_a_superuser_reads_the_domain_but_changes_nothing(client, other_objective):
    client.force_login(UserFactory(username="root_admin", is_staff=True, is_superuser=True))
    for model in _domain_admins():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, model
        add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        assert client.get(add).status_code == 403, model
    step = StepRecord.objects.get(objective=other_objective)
    url = reverse("admin:approvals_steprecord_change", args=[step.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"comment": "riscritto"}).status_code == 403
    url = reverse("admin:workflow_phase_history", args=[other_objective.phases.first().pk])
    assert client.get(url).status_code == 200


# --- a body's settings change only through their service ------------------------------------------------


def test_the_body_admin_shows_the_settings_and_changes_none(client, body, amministratore):
    client.force_login(amministratore)
    url = reverse("admin:workflow_body_change", args=[body.pk])
    page = client.get(url)
    assert page.status_code == 200 and body.name in page.content.decode()
    response = client.post(
        url,
        {
            "name": body.name,
            "ipa_code": "ALTRO/CODICE",
            "signature_mode": "login",
            "union_information_days": 0,
            "union_request_days": 0,
            "union_confronto_days": 0,
            "signer_match": "fiscal_code",
            "transmitter": "http",
            "transmitter_url": "http://169.254.169.254/latest",
            "trust_roots": "non un certificato",
            "transparency_subsection": "x",
        },
    )
    assert response.status_code == 403
    body.refresh_from_db()
    kept = (body.ipa_code, body.union_information_days, body.transmitter_url, body.trust_roots)
    assert kept == ("p_cr", 5, "", "")
    assert not AuditEntry.objects.filter(action="body.settings").exists()


def test_a_superuser_creates_a_body_with_a_valid_ipa_code_and_it_is_logged(client, body):
    root = UserFactory(username="root_admin", is_staff=True, is_superuser=True)
    client.force_login(root)
    url = reverse("admin:workflow_body_add")
    for code, message in (
        ("c d/142", IPA_CODE_INVALID),
        ("x", IPA_CODE_INVALID),
        ("P_CR", IPA_CODE_TAKEN.format(code="p_cr")),
    ):
        response = client.post(url, {"name": "Comune di Crema", "ipa_code": code})
        assert response.status_code == 200 and escape(message) in response.content.decode(), code
    assert not Body.objects.filter(name="Comune di Crema").exists()
    assert client.post(url, {"name": "Comune di Crema", "ipa_code": " C_D142 "}).status_code == 302
    crema = Body.objects.get(name="Comune di Crema")
    assert (crema.ipa_code, crema.union_information_days) == ("c_d142", 5)
    entry = AuditEntry.objects.get(action="body.create")
    assert (entry.body_id, entry.actor_name) == (crema.pk, "root_admin")


def test_only_a_superuser_may_add_a_body(client, amministratore):
    client.force_login(amministratore)
    assert client.get(reverse("admin:workflow_body_add")).status_code == 403
    with pytest.raises(errors.Forbidden):
        body_create(by=amministratore, name="Comune di Crema", ipa_code="c_d142")


# --- the amministratore's user picker and filters ------------------------------------------------------


def test_the_user_picker_answers_an_amministratore_with_their_people_and_exact_usernames(
    client, body, other_body, amministratore
):
    member("dirigente_crema", other_body, Role.DIRIGENTE, first_name="Sabrina", last_name="Crema")
    newcomer = UserFactory(username="s.nuova", first_name="Sabrina", last_name="Nuova")
    UserFactory(username="spento", is_active=False)
    client.force_login(amministratore)
    page = client.get(reverse("admin:workflow_membership_add")).content.decode()
    search = reverse("admin:workflow_membership_user_search")
    assert f'data-ajax--url="{search}"' in page

    def found(term):
        response = client.get(search, {"term": term})
        assert response.status_code == 200
        return [r["text"] for r in response.json()["results"]]

    # people of their own body by part of the name; nobody of another body, and no body names
    assert found("sabrina") == ["dirigente_satta – Sabrina Satta"]
    assert found("crema") == []
    # any active account by its exact username, to give a new colleague a role
    assert found("s.nuova") == ["s.nuova – Sabrina Nuova"]
    assert found("s.nuov") == [] and found("spento") == []
    response = client.post(
        reverse("admin:workflow_membership_add"),
        {"user": newcomer.pk, "body": body.pk, "role": Role.FUNZIONARIO, "responsibility_center": ""},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=newcomer, body=body, role=Role.FUNZIONARIO).exists()


def test_the_user_picker_is_closed_to_those_who_administer_no_body(client, people):
    revisore = people["revisore"]
    revisore.is_staff = True
    revisore.save()
    client.force_login(revisore)
    assert client.get(reverse("admin:workflow_membership_user_search"), {"term": "satta"}).status_code == 403


def test_the_membership_filter_names_only_the_administered_bodies(client, body, other_body, amministratore):
    member("segreteria_crema", other_body, Role.SEGRETERIA)
    BodyFactory(name="Comune di Lodi", ipa_code="c_e648")
    client.force_login(amministratore)
    page = client.get(reverse("admin:workflow_membership_changelist")).content.decode()
    assert body.name in page
    assert "Comune di Crema" not in page and "Comune di Lodi" not in page
