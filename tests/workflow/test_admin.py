import pytest
from django.urls import reverse

from audit.models import AuditEntry
from tests.factories import Role, UserFactory, member
from workflow.models import Membership

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
