"""Restoring a version from the versions page: a button for those who may, a confirmation page that shows
what will change and carries the lock version, then a new version."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit import versions
from flows.services.content import objective_assign_responsible, objective_update
from flows.services.versions import NOTHING_TO_RESTORE, RESTORE_FORBIDDEN, RESTORE_NOT_DRAFT
from tests.support import fresh, snapshot, walk_to
from workflow.models import State

from .conftest import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(draft, people):
    before = versions.objective_versions(draft.pk)[-1]
    objective_update(
        objective_id=draft.pk,
        by=people["dirigente_satta"],
        lock_version=fresh(draft).lock_version,
        fields={"title": "Titolo da annullare"},
        note="Prova",
    )
    return draft, before


def _url(objective, version):
    return reverse("audit:restore", args=[objective.pk, version.history_id])


@pytest.mark.parametrize(
    ("who", "shown"),
    [("dirigente_satta", True), ("segreteria", True), ("revisore", False), ("dirigente_rossi", False)],
)
def test_the_button_shows_to_those_who_may_restore(client, edited, people, who, shown):
    objective, before = edited
    client.force_login(people[who])
    page = client.get(reverse("audit:versions", args=[objective.pk])).content.decode()
    assert (f'href="{_url(objective, before)}"' in page) == shown
    assert (f"Ripristina la versione {before.number}…" in page) == shown


def test_no_button_once_the_draft_is_submitted(client, edited, people):
    objective, _ = edited
    walk_to(objective, State.SUBMITTED, people)
    client.force_login(people["segreteria"])
    assert "Ripristina la versione" not in text(client.get(reverse("audit:versions", args=[objective.pk])))


def test_confirm_then_restore(client, edited, people):
    objective, before = edited
    client.force_login(people["dirigente_satta"])
    response = client.get(_url(objective, before))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'name="lock_version" value="{fresh(objective).lock_version}"' in page
    assert "Titolo da annullare" in text(response)  # what will change, shown before confirming

    response = client.post(
        _url(objective, before),
        {"lock_version": fresh(objective).lock_version, "reason": "Titolo concordato con la Segreteria"},
    )
    assert response.status_code == 302
    assert response.url == reverse("audit:versions", args=[objective.pk])
    assert fresh(objective).title == before.record.title
    page = text(client.get(response.url))
    assert f"Ripristinata la versione {before.number}: è ora la versione attuale." in page
    assert f"Ripristino della versione {before.number} del" in page


def test_a_reason_is_needed(client, edited, people):
    objective, before = edited
    client.force_login(people["dirigente_satta"])
    state = snapshot(objective)
    response = client.post(
        _url(objective, before), {"lock_version": fresh(objective).lock_version, "reason": ""}
    )
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    assert "Indica la motivazione del ripristino." in text(response)
    assert snapshot(objective) == state


def test_a_stale_page_is_told_and_changes_nothing(client, edited, people):
    objective, before = edited
    client.force_login(people["dirigente_satta"])
    state = snapshot(objective)
    response = client.post(
        _url(objective, before), {"lock_version": fresh(objective).lock_version - 1, "reason": "Ripristino"}
    )
    assert response.status_code == 409
    assert "ricarica la pagina" in text(response)
    assert snapshot(objective) == state


def test_restoring_the_current_content_says_there_is_nothing_to_do(client, edited, people):
    objective, _ = edited
    client.force_login(people["dirigente_satta"])
    current = versions.objective_versions(objective.pk)[-1]
    response = client.post(
        _url(objective, current), {"lock_version": fresh(objective).lock_version, "reason": "Prova"}
    )
    assert response.status_code == 400
    assert NOTHING_TO_RESTORE in text(response)


@pytest.mark.parametrize("who", ["revisore", "dirigente_rossi"])
def test_others_get_a_clear_refusal(client, edited, people, who):
    objective, before = edited
    client.force_login(people[who])
    state = snapshot(objective)
    for response in (
        client.get(_url(objective, before)),
        client.post(
            _url(objective, before), {"lock_version": fresh(objective).lock_version, "reason": "Ripristino"}
        ),
    ):
        assert response.status_code == 403
        assert RESTORE_FORBIDDEN in text(response)
    assert snapshot(objective) == state


def test_not_a_draft_any_more(client, edited, people):
    objective, before = edited
    walk_to(objective, State.SUBMITTED, people)
    client.force_login(people["segreteria"])
    response = client.post(
        _url(objective, before), {"lock_version": fresh(objective).lock_version, "reason": "Ripristino"}
    )
    assert response.status_code == 403
    assert RESTORE_NOT_DRAFT in text(response)


def test_unknown_versions_and_objectives_are_not_found(client, edited, people, revisore_crema):
    objective, before = edited
    client.force_login(people["segreteria"])
    assert client.get(reverse("audit:restore", args=[objective.pk, 999999])).status_code == 404
    client.force_login(revisore_crema)
    assert client.get(_url(objective, before)).status_code == 404


def test_the_preview_lists_only_what_a_restore_changes_never_the_responsible(client, edited, people):
    objective, before = edited  # the title changed since ``before``
    objective_assign_responsible(
        objective_id=objective.pk,
        by=people["segreteria"],
        responsible=people["dirigente_rossi"],
        lock_version=fresh(objective).lock_version,
    )
    client.force_login(people["segreteria"])
    page = client.get(_url(objective, before)).content.decode()
    assert 'data-field="title"' in page
    assert 'data-field="responsible"' not in page and 'data-field="responsible_name"' not in page
    # left the current version, right the one to restore
    current = versions.objective_versions(objective.pk)[-1]
    assert page.index(f"<th scope=\"col\">Versione {current.number}</th>") < page.index(
        f"<th scope=\"col\">Versione {before.number}</th>"
    )


def test_a_version_that_differs_only_in_what_is_not_restored_says_so_before_asking(client, draft, people):
    before = versions.objective_versions(draft.pk)[-1]
    objective_assign_responsible(
        objective_id=draft.pk,
        by=people["segreteria"],
        responsible=people["dirigente_rossi"],
        lock_version=fresh(draft).lock_version,
    )
    client.force_login(people["segreteria"])
    response = client.get(_url(draft, before))
    assert response.status_code == 200
    page = response.content.decode()
    assert NOTHING_TO_RESTORE in text(response)
    assert 'data-field="responsible"' not in page
    assert "Conferma il ripristino" not in page
