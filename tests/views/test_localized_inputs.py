"""Numbers in the forms as the pages print them: a weight reads "40,00" in its input as on the page, and
the input takes "37,50" (or "37.50") back."""

import re
from decimal import Decimal

import pytest

from tests.support import edit_post, edit_url, fresh

pytestmark = pytest.mark.django_db


def input_value(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert tag, f"no input {name}"
    value = re.search(r'value="([^"]*)"', tag[0])
    return value[1] if value else ""


def test_weights_are_written_and_read_the_italian_way(client, draft, people):
    phase = draft.phases.first()
    phase.weight = Decimal("62.5")
    phase.save()
    client.force_login(people["dirigente_satta"])
    page = client.get(edit_url(draft)).content.decode()
    assert input_value(page, "weight") == "40,00"
    assert input_value(page, "fasi-0-weight") == "62,50"

    response = client.post(edit_url(draft), edit_post(draft, **{"weight": "37,50", "fasi-0-weight": "12,5"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert fresh(draft).weight == Decimal("37.50")
    phase.refresh_from_db()
    assert phase.weight == Decimal("12.50")


def test_a_weight_with_a_dot_is_still_read(client, draft, people):
    client.force_login(people["dirigente_satta"])
    response = client.post(edit_url(draft), edit_post(draft, weight="25.25"))
    assert response.status_code == 302
    assert fresh(draft).weight == Decimal("25.25")


def test_a_weight_that_is_not_a_number_is_refused_next_to_the_field(client, draft, people):
    client.force_login(people["dirigente_satta"])
    response = client.post(edit_url(draft), edit_post(draft, weight="quaranta"))
    assert response.status_code == 400
    assert "Inserisci un numero." in response.content.decode()
    assert fresh(draft).weight == Decimal("40")
