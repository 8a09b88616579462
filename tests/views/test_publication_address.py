import html

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.support import act, walk_to
from workflow.models import State

pytestmark = pytest.mark.django_db


def test_publication_proposes_the_objectives_public_page_on_this_site(client, draft, people, settings):
    settings.SITE_URL = "https://piao.example.org/"
    walk_to(draft, State.PUBLICATION, people)
    client.force_login(people["segreteria"])
    page = client.get(reverse("workflow:objective_detail", args=[draft.pk])).content.decode()
    address = f"https://piao.example.org/trasparenza/p_cr/piao/{draft.plan.year}/obiettivi/{draft.code}/"
    assert f'name="url" value="{address}"' in page
    assert f'name="published_on" value="{timezone.localdate():%Y-%m-%d}"' in page
    # the address proposed is the page the publication serves
    act(draft, "publish", people["segreteria"], data={"published_on": "2023-03-03", "url": address})
    path = address.removeprefix("https://piao.example.org")
    client.logout()
    assert client.get(path).status_code == 200


def test_the_internal_page_links_the_public_page_once_published(client, draft, people, settings):
    settings.SITE_URL = "https://piao.example.org"
    client.force_login(people["dirigente_satta"])
    assert 'data-testid="pagina-pubblica"' not in client.get(
        reverse("workflow:objective_detail", args=[draft.pk])
    ).content.decode()
    walk_to(draft, State.PUBLISHED, people)
    page = html.unescape(client.get(reverse("workflow:objective_detail", args=[draft.pk])).content.decode())
    public = reverse("trasparenza:objective", args=["p_cr", draft.plan.year, draft.code])
    assert f'href="https://piao.example.org{public}" data-testid="pagina-pubblica"' in page
    assert f'href="{public}revisioni/1/"' in page
