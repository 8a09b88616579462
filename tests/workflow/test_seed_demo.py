import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from guardian.shortcuts import get_users_with_perms

from approvals.models import PublishedRevision, Signature, StepRecord
from audit.models import AuditEntry
from audit.services import verify
from workflow.management import demo_data
from workflow.management.commands.seed_demo import REFUSED
from workflow.models import Body, Indicator, Membership, Objective, Phase, Plan, State

User = get_user_model()


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts():
    models = [
        User,
        Body,
        Plan,
        Membership,
        Objective,
        Phase,
        StepRecord,
        Signature,
        PublishedRevision,
        AuditEntry,
    ]
    return {m.__name__: m.objects.count() for m in models}


@pytest.mark.django_db
def test_refuses_demo_passwords_without_debug_or_flag(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError) as exc:
        seed()
    assert str(exc.value) == REFUSED
    assert not User.objects.exists() and not Body.objects.exists() and not Objective.objects.exists()


@pytest.mark.django_db
def test_runs_under_debug_without_the_flag(settings):
    settings.DEBUG = True
    seed()
    assert Objective.objects.filter(plan__body__ipa_code="p_cr").count() == 51  # the real report
    # its indicators got the first year's target their expected values give (workflow.measures)
    indicators = Indicator.objects.filter(objective__plan__body__ipa_code="p_cr")
    assert indicators.filter(target_1__isnull=False).count() == 200
    assert indicators.filter(to_complete=True).count() == 35


@pytest.mark.django_db
def test_creates_people_and_an_objective_in_every_state():
    out = seed(allow_demo_passwords=True)

    plan = Plan.objects.get(body__ipa_code="p_cr", year=2023)
    assert plan.triennium == "2023-2025" and plan.body.name == "Provincia di Cremona"
    assert plan.strategic_objectives.count() == 8 and plan.objectives.count() == 51
    assert set(plan.objectives.values_list("state", flat=True)) == set(State.values)
    # the report's responsible dirigenti got demo accounts, and the import linked them all
    assert not plan.objectives.filter(responsible__isnull=True).exists()
    assert plan.objectives.get(code="2023_5701").responsible.username == "dirigente_biroli"

    for person in demo_data.PEOPLE:
        user = User.objects.get(username=person["username"])
        assert user.check_password(demo_data.DEMO_PASSWORD)
        assert Membership.objects.filter(user=user, body=plan.body, role=person["role"]).exists()
        assert person["username"] in out
    assert User.objects.get(username="amministratore").is_staff
    assert User.objects.get(username="admin").is_superuser
    satta = Membership.objects.get(user__username="dirigente_satta")
    assert satta.responsibility_center == "SETTORE RISORSE ECONOMICHE E FINANZIARIE"

    in_signature = plan.objectives.get(state=State.SIGNATURE)
    signers = [s.signer.username for s in Signature.objects.filter(objective=in_signature)]
    assert (in_signature.code, signers) == ("2023_3102T", ["dirigente_satta"])
    delegated = plan.objectives.get(code="2023_3103")
    assert delegated.state == State.DRAFTING
    assert "funzionario_bianchi" in {u.username for u in get_users_with_perms(delegated)}
    revised = plan.objectives.get(code="2023_6003")
    assert (revised.state, revised.revision) == (State.DRAFTING, 2)
    assert PublishedRevision.objects.filter(objective=revised, revision=1).exists()
    assert verify()[0]


@pytest.mark.django_db
def test_second_run_changes_nothing():
    seed(allow_demo_passwords=True)
    before = counts()
    out = seed(allow_demo_passwords=True)
    assert counts() == before
    assert "già degli obiettivi" in out


@pytest.mark.django_db
def test_keeps_the_password_of_an_existing_user():
    User.objects.create_user(username="segreteria", password="una-password-scelta")
    seed(allow_demo_passwords=True)
    assert User.objects.get(username="segreteria").check_password("una-password-scelta")
