import re

import pytest
from django.urls import reverse

from workflow.models import Role, State

pytestmark = pytest.mark.django_db

GUIDE_LINK = 'href="{url}"'


def _section_order(page: str) -> list[str]:
    return re.findall(r'data-testid="guida-(\w+)"', page)


@pytest.mark.parametrize("who", ["dirigente_satta", "sindacato", "amministratore"])
def test_the_header_links_the_guide_for_everyone_signed_in(client, plan, people, who):
    client.force_login(people[who])
    page = client.get(reverse("workflow:dashboard")).content.decode()
    assert f'href="{reverse("workflow:guide")}">Guida</a>' in page


def test_the_header_links_the_guide_for_anonymous_visitors(client, db):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("workflow:guide")}">Guida</a>' in page


@pytest.mark.parametrize(
    ("who", "role"),
    [
        ("dirigente_satta", Role.DIRIGENTE),
        ("funzionario_bianchi", Role.FUNZIONARIO),
        ("segretario", Role.SEGRETARIO),
        ("revisore", Role.REVISORE),
        ("sindacato", Role.SINDACATO),
        ("amministratore", Role.AMMINISTRATORE),
    ],
)
def test_the_guide_shows_the_users_role_first_then_every_role(client, plan, people, who, role):
    client.force_login(people[who])
    response = client.get(reverse("workflow:guide"))
    assert response.status_code == 200
    page = response.content.decode()
    order = _section_order(page)
    assert order[0] == role
    assert sorted(order) == sorted(Role.values)
    assert 'aria-current="page">Guida</a>' in page
    assert "il tuo ruolo" in page


def test_a_person_with_two_roles_finds_both_first(client, plan, people, body):
    from tests.factories import member

    member("dirigente_satta", body, Role.SEGRETERIA)
    client.force_login(people["dirigente_satta"])
    order = _section_order(client.get(reverse("workflow:guide")).content.decode())
    assert set(order[:2]) == {Role.DIRIGENTE, Role.SEGRETERIA}
    assert order[0] == Role.DIRIGENTE  # in the page's order of the roles


def test_the_guide_lists_every_state_of_the_path_with_who_acts(client, db):
    response = client.get(reverse("workflow:guide"))
    assert response.status_code == 200
    page = response.content.decode()
    for state in State:
        assert f'<th scope="row">{state.label}</th>' in page
    # The rules of submission are those the flow checks.
    assert "almeno una fase e un indicatore" in page


def test_anonymous_visitors_read_every_role_in_order_and_are_invited_to_sign_in(client, db):
    page = client.get(reverse("workflow:guide")).content.decode()
    assert _section_order(page) == list(Role.values)
    assert "il tuo ruolo" not in page
    assert f'href="{reverse("login")}?next=/guida/"' in page
    assert f'href="{reverse("trasparenza:index")}"' in page


def _role_section(page: str, role: str) -> str:
    start = page.index(f'data-testid="guida-{role}"')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize(
    ("role", "phrases"),
    [
        (Role.DIRIGENTE, ["Invia la rendicontazione", "Carica il documento", "<strong>Restituita</strong>"]),
        (
            Role.SEGRETERIA,
            ["Crea i periodi predefiniti", "Apri le rendicontazioni", "bacheca del periodo", "(SMVP)"],
        ),
        (Role.REVISORE, ["coda di validazione", "la motivazione è obbligatoria", "nuova versione"]),
    ],
)
def test_the_guide_explains_each_roles_part_in_the_monitoring(client, db, role, phrases):
    section = _role_section(client.get(reverse("workflow:guide")).content.decode(), role)
    assert '<h3 class="h5">Monitoraggio</h3>' in section
    for phrase in phrases:
        assert phrase in section
