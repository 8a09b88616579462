"""Every wide table scrolls inside a region a keyboard can reach (tabindex 0) and a screen reader can name,
each with its own name on the page (a phone shows them narrower than they are)."""

import re

import pytest
from django.urls import reverse

from tests.support import walk_to
from workflow.models import State

pytestmark = pytest.mark.django_db

REGION = re.compile(r'<div class="table-responsive"([^>]*)>')


def regions(page: str) -> list[str]:
    found = REGION.findall(page)
    assert found, "no scrolling table on the page"
    labels = []
    for attributes in found:
        assert 'tabindex="0"' in attributes and 'role="region"' in attributes, attributes
        label = re.search(r'aria-label="([^"]+)"', attributes)
        assert label, attributes
        labels.append(label.group(1))
    assert len(labels) == len(set(labels)), labels
    return labels


def test_the_internal_pages_tables_are_focusable_named_regions(client, plan, people, draft):
    client.force_login(people["segreteria"])
    for url in (
        reverse("workflow:objective_detail", args=[draft.pk]),
        reverse("workflow:objective_list"),
        reverse("workflow:plan_detail", args=[plan.year]),
        reverse("audit:change_log"),
        reverse("audit:versions", args=[draft.pk]),
        reverse("workflow:guide"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        regions(response.content.decode())


def test_the_public_tables_are_focusable_named_regions(client, body, draft, people):
    published = walk_to(draft, State.PUBLISHED, people)
    page = client.get(reverse("trasparenza:year", args=[body.ipa_code, published.plan.year])).content.decode()
    assert f"Indicatori di {published.code} (scorre in orizzontale)" in regions(page)
