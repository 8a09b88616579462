"""An objective's versions and the diff between any two of them: fields with their Italian labels, phases
and indicators as they stood at each version (added, removed, changed), long texts word by word."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from audit import versions
from flows.services.content import objective_delegate, objective_update
from flows.services.interchange import plan_export, plan_import
from tests.support import fresh, walk_to
from workflow.models import Objective, State

from .conftest import text

pytestmark = pytest.mark.django_db

PURPOSE_BEFORE = "Migliorare i tempi di pagamento."
PURPOSE_AFTER = "Migliorare molto i tempi medi di pagamento delle fatture."


def _rows(objective, model):
    return [{"id": r.pk, "description": r.description} for r in model.objects.filter(objective=objective)]


@pytest.fixture
def edited(draft, people):
    """The draft (versions 1 and 2, as the factory saves it twice: two phases, one indicator), then one edit
    (version 3): weight 40 → 60, a longer purpose, the phase «Attuazione» removed and «Verifica» added, the
    indicator's expected value changed."""
    phases = list(draft.phases.all())
    indicator = draft.indicators.get()
    objective_update(
        objective_id=draft.pk,
        by=people["dirigente_satta"],
        lock_version=fresh(draft).lock_version,
        fields={"weight": Decimal("60"), "purpose": PURPOSE_AFTER},
        phases=[
            {"id": phases[0].pk, "description": phases[0].description},
            {"id": phases[1].pk, "delete": True},
            {
                "id": None,
                "description": "Verifica",
                "weight": Decimal("50"),
                "start": dt.date(2023, 11, 1),
                "end": None,
                "responsible": "",
                "responsibility_center": "",
                "notes": "",
            },
        ],
        indicators=[
            {
                "id": indicator.pk,
                "description": indicator.description,
                "kind": "RISULTATO",
                "expected": "<25",
                "notes": "",
            }
        ],
        note="Più ambizioso",
    )
    return draft


def test_versions_are_the_saves_oldest_first_with_who_and_why(edited, people):
    vs = versions.objective_versions(edited.pk)
    assert [v.number for v in vs] == [1, 2, 3]
    assert [v.record.history_type for v in vs] == ["+", "~", "~"]
    assert (vs[2].record.history_user, vs[2].record.history_change_reason) == (
        people["dirigente_satta"],
        "Modifica del contenuto: Più ambizioso",
    )


def test_a_version_has_its_rows_as_they_stood(edited):
    vs = versions.objective_versions(edited.pk)
    first, factory_save, second = (versions.snapshot(edited.pk, v.history_id, vs) for v in vs)
    # the factory's rows come after its first save: they complete version 1
    assert [p.description for p in first.phases] == ["Analisi", "Attuazione"]
    assert [p.description for p in factory_save.phases] == ["Analisi", "Attuazione"]
    assert [p.description for p in second.phases] == ["Analisi", "Verifica"]
    assert [i.expected for i in first.indicators] == ["<30"]
    assert [i.expected for i in second.indicators] == ["<25"]


def test_the_diff_names_changed_fields_with_italian_labels(edited):
    vs = versions.objective_versions(edited.pk)
    diff = versions.objective_diff(edited.pk, vs[1].history_id, vs[2].history_id)
    fields = {c.name: c for c in diff.fields}
    assert set(fields) == {"weight", "purpose"}
    assert (fields["weight"].label, fields["weight"].before, fields["weight"].after) == (
        "Peso (%)",
        "40,00",
        "60,00",
    )
    assert fields["purpose"].label == "Finalità"


def test_a_long_text_is_diffed_word_by_word(edited):
    vs = versions.objective_versions(edited.pk)
    purpose = next(
        c
        for c in versions.objective_diff(edited.pk, vs[1].history_id, vs[2].history_id).fields
        if c.name == "purpose"
    )
    assert purpose.words == [
        ("equal", "Migliorare "),
        ("insert", "molto "),
        ("equal", "i tempi "),
        ("insert", "medi "),
        ("equal", "di "),
        ("delete", "pagamento."),
        ("insert", "pagamento delle fatture."),
    ]
    assert "".join(t for k, t in purpose.words if k != "insert") == PURPOSE_BEFORE
    assert "".join(t for k, t in purpose.words if k != "delete") == PURPOSE_AFTER


def test_the_diff_shows_added_removed_and_changed_rows(edited):
    vs = versions.objective_versions(edited.pk)
    diff = versions.objective_diff(edited.pk, vs[2].history_id, vs[1].history_id)  # either order
    assert (diff.older.number, diff.newer.number) == (2, 3)
    phases = {(r.kind, r.label) for r in diff.phases}
    assert phases == {("added", "Fase «Verifica»"), ("removed", "Fase «Attuazione»")}
    added = next(r for r in diff.phases if r.kind == "added")
    assert {(c.label, c.after) for c in added.changes} == {
        ("Descrizione", "Verifica"),
        ("Peso (%)", "50,00"),
        ("Inizio previsto", "01/11/2023"),
    }
    [indicator] = diff.indicators
    assert (indicator.kind, indicator.label) == ("changed", "Indicatore «Tempo medio di pagamento»")
    assert [(c.label, c.before, c.after) for c in indicator.changes] == [("Valore atteso", "<30", "<25")]


def test_transitions_are_versions_too_and_change_only_the_state(edited, people):
    walk_to(edited, State.SUBMITTED, people)
    vs = versions.objective_versions(edited.pk)
    diff = versions.objective_diff(edited.pk, vs[-2].history_id, vs[-1].history_id)
    assert [(c.label, c.before, c.after) for c in diff.fields] == [
        ("Stato", "In redazione", "Inviato alla Segreteria")
    ]
    assert diff.phases == [] and diff.indicators == []


def test_an_imported_objective_has_its_rows_in_its_first_version(plan, people, draft):
    # The import creates the objective and then its rows: they belong to the version they complete.
    document = plan_export(by=people["segreteria"], plan=plan, fmt="json")
    plan_import(
        by=people["segreteria"],
        body=plan.body,
        year=2024,
        document={**document, "year": 2024},
        source="piano.json",
    )
    imported = Objective.objects.get(plan__year=2024, code=draft.code)
    vs = versions.objective_versions(imported.pk)
    first = versions.snapshot(imported.pk, vs[0].history_id, vs)
    assert [p.description for p in first.phases] == ["Analisi", "Attuazione"]
    assert [i.description for i in first.indicators] == ["Tempo medio di pagamento"]


# -- the pages ------------------------------------------------------------------------------------------
def test_the_versions_page_lists_them_and_links_the_diffs(client, edited, people):
    client.force_login(people["revisore"])
    response = client.get(reverse("audit:versions", args=[edited.pk]))
    assert response.status_code == 200
    page = text(response)
    assert "Versioni di " + edited.code in page
    assert "Modifica del contenuto: Più ambizioso" in page
    vs = versions.objective_versions(edited.pk)
    link = f"{reverse('audit:diff', args=[edited.pk])}?da={vs[1].history_id}&amp;a={vs[2].history_id}"
    assert link in response.content.decode()
    assert "Ripristina" not in page  # the revisore changes nothing


def test_the_diff_page_renders_ins_and_del_for_screen_readers_too(client, edited, people):
    client.force_login(people["revisore"])
    vs = versions.objective_versions(edited.pk)
    response = client.get(
        reverse("audit:diff", args=[edited.pk]), {"da": vs[1].history_id, "a": vs[2].history_id}
    )
    assert response.status_code == 200
    html = response.content.decode()
    hidden = '<span class="visually-hidden">'
    assert f"<ins>{hidden}[aggiunto: </span>molto {hidden}]</span></ins>" in html
    assert f"<del>{hidden}[rimosso: </span>pagamento.{hidden}]</span></del>" in html
    page = text(response)
    for piece in (
        "Peso (%)",
        "40,00",
        "60,00",
        "Finalità",
        "Fase «Verifica» aggiunta",
        "Fase «Attuazione» eliminata",
        "Indicatore «Tempo medio di pagamento» modificato",  # the badge agrees with the row's noun
        "Valore atteso",
    ):
        assert piece in page, piece
    assert "Indicatore «Tempo medio di pagamento» modificata" not in page


@pytest.mark.parametrize(("params", "field"), [({"da": "abc", "a": "1"}, "da"), ({"da": "1"}, "a")])
def test_a_bad_choice_of_versions_gets_a_message_next_to_the_field(client, edited, people, params, field):
    client.force_login(people["revisore"])
    response = client.get(reverse("audit:diff", args=[edited.pk]), params)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("revisore", 200),
        ("segreteria", 200),
        ("segretario", 200),
        ("dirigente_satta", 200),
        ("dirigente_rossi", 200),
        ("funzionario_bianchi", 403),
        ("sindacato", 404),
        ("amministratore", 404),
    ],
)
def test_who_may_see_the_versions(client, edited, people, who, status):
    objective_delegate(
        objective_id=edited.pk, by=people["dirigente_satta"], delegate=people["funzionario_bianchi"]
    )
    client.force_login(people[who])
    vs = versions.objective_versions(edited.pk)
    for url in (
        reverse("audit:versions", args=[edited.pk]),
        reverse("audit:diff", args=[edited.pk]) + f"?da={vs[1].history_id}&a={vs[2].history_id}",
    ):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 403:
            assert "riservati ai revisori" in text(response)


def test_another_bodys_people_get_not_found(client, edited, revisore_crema):
    client.force_login(revisore_crema)
    assert client.get(reverse("audit:versions", args=[edited.pk])).status_code == 404


@pytest.mark.parametrize(
    ("who", "shown"), [("revisore", True), ("dirigente_rossi", True), ("sindacato", False)]
)
def test_the_objective_page_links_its_versions_for_those_who_may_see_them(client, draft, people, who, shown):
    walk_to(draft, State.UNION_CONSULTATION, people)  # the unions see it from here on, not its versions
    client.force_login(people[who])
    page = client.get(reverse("workflow:objective_detail", args=[draft.pk])).content.decode()
    assert (reverse("audit:versions", args=[draft.pk]) in page) == shown
