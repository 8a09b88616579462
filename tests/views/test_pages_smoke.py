import pytest
from django.urls import reverse

from workflow.models import State


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["dirigente_satta", "segreteria", "revisore", "sindacato", "funzionario_bianchi"]
)
def test_pages_render_for_every_role(client, draft, people, who):
    client.force_login(people[who])
    for url in [reverse("workflow:dashboard"), reverse("workflow:objective_list")]:
        response = client.get(url)
        assert response.status_code == 200, url
    response = client.get(reverse("workflow:objective_detail", args=[draft.pk]))
    assert response.status_code == (200 if who in ("dirigente_satta", "segreteria", "revisore") else 404)


@pytest.mark.django_db
def test_submit_through_the_page(client, draft, people):
    client.force_login(people["dirigente_satta"])
    page = client.get(reverse("workflow:objective_detail", args=[draft.pk]))
    assert "Invia alla Segreteria" in page.content.decode()
    edit = client.get(reverse("workflow:objective_edit", args=[draft.pk]))
    assert edit.status_code == 200
    response = client.post(
        reverse("workflow:objective_transition", args=[draft.pk, "submit"]),
        {"lock_version": draft.lock_version, "comment": "pronto"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
    client.force_login(people["segreteria"])
    assert client.get(reverse("workflow:batch") + "?stato=submitted").status_code == 200
