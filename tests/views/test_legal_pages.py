"""The footer's links (accessibility declaration, privacy, legal notes) on internal and public pages: the
body's own addresses when it gave them, else the application's generic pages."""

import re

import pytest
from django.urls import reverse

from tests.support import walk_to
from workflow.models import State

pytestmark = pytest.mark.django_db

OWN = {
    "accessibility_url": "https://form.agid.gov.it/view/0000-aaaa",
    "privacy_url": "https://www.provincia.cremona.it/privacy",
    "legal_notes_url": "https://www.provincia.cremona.it/note-legali",
}


def footer_links(page: str) -> dict[str, str]:
    return dict(
        (key, url) for url, key in re.findall(r'<a href="([^"]*)" data-testid="piede-(\w+)">', page)
    )


@pytest.fixture
def published(draft, people):
    return walk_to(draft, State.PUBLISHED, people)


def test_the_internal_footer_links_the_generic_pages_by_default(client, plan, people):
    client.force_login(people["dirigente_satta"])
    page = client.get(reverse("workflow:dashboard")).content.decode()
    assert footer_links(page) == {
        "accessibilita": "/accessibilita/",
        "privacy": "/privacy/",
        "note_legali": "/note-legali/",
    }
    assert ">Dichiarazione di accessibilità</a>" in page and ">Note legali</a>" in page


def test_the_internal_footer_links_the_bodys_own_pages_when_set(client, plan, people, body):
    for name, url in OWN.items():
        setattr(body, name, url)
    body.save()
    client.force_login(people["dirigente_satta"])
    links = footer_links(client.get(reverse("workflow:dashboard")).content.decode())
    assert links == {
        "accessibilita": OWN["accessibility_url"],
        "privacy": OWN["privacy_url"],
        "note_legali": OWN["legal_notes_url"],
    }


def test_anonymous_pages_link_the_generic_pages(client, db):
    for url in (reverse("login"), reverse("trasparenza:index")):
        assert footer_links(client.get(url).content.decode())["privacy"] == "/privacy/"


def test_a_bodys_public_pages_link_its_own_generic_pages_by_default(client, body, published):
    page = client.get(reverse("trasparenza:body", args=[body.ipa_code])).content.decode()
    base = f"/trasparenza/{body.ipa_code}"
    assert footer_links(page) == {
        "accessibilita": f"{base}/accessibilita/",
        "privacy": f"{base}/privacy/",
        "note_legali": f"{base}/note-legali/",
    }
    year = client.get(reverse("trasparenza:year", args=[body.ipa_code, published.plan.year])).content.decode()
    assert footer_links(year)["note_legali"] == f"{base}/note-legali/"


def test_a_bodys_public_pages_link_its_own_addresses_when_set(client, body, published):
    body.privacy_url = OWN["privacy_url"]
    body.save()
    links = footer_links(client.get(reverse("trasparenza:body", args=[body.ipa_code])).content.decode())
    assert links["privacy"] == OWN["privacy_url"]
    assert links["accessibilita"] == f"/trasparenza/{body.ipa_code}/accessibilita/"


@pytest.mark.parametrize("name", ["accessibilita", "privacy", "note_legali"])
def test_the_generic_pages_answer_everyone(client, db, name):
    response = client.get(reverse(f"workflow:{name}"))
    assert response.status_code == 200
    assert "Questa è una pagina generica dell'applicazione." in response.content.decode()


def test_a_bodys_accessibility_page_says_it_must_publish_its_own_declaration(client, body, published):
    response = client.get(reverse("trasparenza:accessibilita", args=[body.ipa_code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{body.name} non ha ancora indicato l'indirizzo della propria dichiarazione" in page
    assert "form.agid.gov.it" in page
    body.accessibility_url = OWN["accessibility_url"]
    body.save()
    page = client.get(reverse("trasparenza:accessibilita", args=[body.ipa_code])).content.decode()
    assert f'<a href="{OWN["accessibility_url"]}">' in page
    assert "non ha ancora indicato" not in page


@pytest.mark.parametrize("name", ["accessibilita", "privacy", "note_legali"])
def test_a_body_that_published_nothing_has_no_public_pages(client, body, name):
    assert client.get(reverse(f"trasparenza:{name}", args=[body.ipa_code])).status_code == 404
    assert client.get(reverse(f"trasparenza:{name}", args=["nessuno"])).status_code == 404


def test_the_legal_pages_answer_get_only(client, db):
    assert client.post(reverse("workflow:privacy")).status_code == 405
