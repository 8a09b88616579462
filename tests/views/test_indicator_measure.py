"""An indicator's measure through the pages: the edit form writes it the Italian way, the "da completare"
flag goes away when the target is given, the objective page shows both, and the versions diff it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from approvals.models import PublishedRevision
from audit import versions
from flows.services.common import save_with_history
from tests.support import act, detail_url, edit_post, edit_url, fresh, text, walk_to
from workflow.content import INDICATOR_MEASURES
from workflow.forms import TO_COMPLETE_HELP
from workflow.models import Polarity, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(draft):
    """The draft's indicator as the import leaves a "NO": no target, flagged for its dirigente; saved as a
    version of its own, as an import saves it."""
    indicator = draft.indicators.get()
    indicator.expected, indicator.polarity, indicator.to_complete = "NO", Polarity.HIGHER, True
    save_with_history(indicator, by=None, reason="import")
    save_with_history(fresh(draft), by=None, reason="import")
    return indicator


def input_value(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert tag, f"no input {name}"
    value = re.search(r'value="([^"]*)"', tag[0])
    return value[1] if value else ""


def _post(client, objective, **fields):
    return client.post(edit_url(objective), edit_post(objective, **fields))


def test_the_edit_form_shows_every_measure_field_with_numbers_the_italian_way(client, draft, people):
    draft.indicators.update(target_1=Decimal("100"), baseline_value=Decimal("0.125"), to_complete=True)
    client.force_login(people["dirigente_satta"])
    page = text(client.get(edit_url(draft)))
    for name in INDICATOR_MEASURES:
        assert f'name="indicatori-0-{name}"' in page, name
    assert input_value(page, "indicatori-0-target_1") == "100,00"
    assert input_value(page, "indicatori-0-baseline_value") == "0,125"
    assert input_value(page, "indicatori-0-target_2") == ""
    assert TO_COMPLETE_HELP in page
    assert 'for="id_indicatori-0-target_1"' in page  # every input has its label


def test_saving_a_target_writes_it_clears_the_flag_and_the_diff_shows_it(client, flagged, people, draft):
    client.force_login(people["dirigente_satta"])
    response = _post(
        client,
        draft,
        **{
            "indicatori-0-target_1": "95,5",
            "indicatori-0-target_2": "1250,75",
            "indicatori-0-unit": "%",
            "indicatori-0-polarity": "lower",
            "indicatori-0-baseline_year": "2022",
            "indicatori-0-frequency": "yearly",
            "note": "Target indicati",
        },
    )
    assert response.status_code == 302, text(response)[:3000]
    flagged.refresh_from_db()
    assert (flagged.target_1, flagged.target_2, flagged.unit, flagged.polarity) == (
        Decimal("95.5"),
        Decimal("1250.75"),
        "%",
        "lower",
    )
    assert (flagged.baseline_year, flagged.frequency, flagged.to_complete) == (2022, "yearly", False)

    vs = versions.objective_versions(draft.pk)
    diff = versions.objective_diff(draft.pk, vs[-2].history_id, vs[-1].history_id)
    [row] = diff.indicators
    assert row.kind_label == "modificato"
    changes = {c.label: (c.before, c.after) for c in row.changes}
    assert changes["Target del primo anno"] == ("—", "95,50")
    assert changes["Target del secondo anno"] == ("—", "1250,75")
    assert changes["Polarità"] == ("Più alto è meglio", "Più basso è meglio")
    assert changes["Da completare"] == ("Sì", "No")
    assert changes["Frequenza di rilevazione"] == ("Semestrale", "Annuale")

    client.force_login(people["revisore"])
    page = text(
        client.get(reverse("audit:diff", args=[draft.pk]), {"da": vs[-2].history_id, "a": vs[-1].history_id})
    )
    assert "Target del primo anno" in page and "95,50" in page


def test_the_flag_stays_when_the_save_gives_no_target(client, flagged, people, draft):
    client.force_login(people["dirigente_satta"])
    assert _post(client, draft, title="Titolo cambiato", **{"indicatori-0-unit": "giorni"}).status_code == 302
    flagged.refresh_from_db()
    assert (flagged.unit, flagged.to_complete) == ("giorni", True)


def test_choosing_done_not_done_clears_the_flag(client, flagged, people, draft):
    client.force_login(people["dirigente_satta"])
    assert _post(client, draft, **{"indicatori-0-polarity": "binary"}).status_code == 302
    flagged.refresh_from_db()
    assert (flagged.polarity, flagged.to_complete) == ("binary", False)


def test_the_dirigente_may_also_untick_the_flag_or_set_it(client, flagged, people, draft):
    client.force_login(people["dirigente_satta"])
    assert _post(client, draft, **{"indicatori-0-to_complete": ""}).status_code == 302
    flagged.refresh_from_db()
    assert flagged.to_complete is False
    assert _post(client, draft, **{"indicatori-0-to_complete": "on"}).status_code == 302
    flagged.refresh_from_db()
    assert flagged.to_complete is True


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"indicatori-0-polarity": "range"}, "Per la polarità «entro un intervallo» indica la tolleranza."),
        ({"indicatori-0-weight": "120"}, "Il peso deve essere tra 0 e 100."),
        ({"indicatori-0-tolerance": "-1"}, "La tolleranza non può essere negativa."),
        ({"indicatori-0-baseline_year": "22"}, "Indica un anno tra il 1900 e il 2100."),
        ({"indicatori-0-target_1": "cento"}, "Inserisci un numero."),
        ({"indicatori-0-polarity": "maggiore"}, "Scegli un'opzione valida."),
    ],
)
def test_a_measure_that_makes_no_sense_is_refused_next_to_its_field(
    client, flagged, people, draft, fields, message
):
    client.force_login(people["dirigente_satta"])
    response = _post(client, draft, **fields)
    assert response.status_code == 400
    assert message in text(response)
    flagged.refresh_from_db()
    assert (flagged.polarity, flagged.target_1, flagged.to_complete) == ("higher", None, True)


def test_the_objective_page_shows_the_measure_and_the_flag(client, draft, people):
    draft.indicators.update(
        unit="%",
        polarity="range",
        tolerance=Decimal("2.5"),
        baseline_value=Decimal("82.5"),
        baseline_year=2022,
        target_1=Decimal("90"),
        target_3=Decimal("95"),
        formula="fatture pagate nei termini / fatture ricevute",
        to_complete=True,
    )
    client.force_login(people["revisore"])
    page = text(client.get(detail_url(draft)))
    for heading in ("Misura", "Partenza", "Target"):
        assert f'<th scope="col">{heading}</th>' in page
    row = page[page.index('data-testid="indicatore"') :]
    row = row[: row.index("</tr>")]
    assert "Da completare" in row and "Entro un intervallo (± 2,50)" in row and "Unità: %" in row
    assert "82,50 (2022)" in row and "2023: 90,00<br>2024: —<br>2025: 95,00" in row
    assert "Formula: fatture pagate nei termini / fatture ricevute" in row
    draft.indicators.update(to_complete=False)
    assert 'data-testid="da-completare"' not in text(client.get(detail_url(draft)))


def test_restoring_a_version_brings_its_measure_back(client, flagged, people, draft):
    client.force_login(people["dirigente_satta"])
    before = versions.objective_versions(draft.pk)[-1]
    assert _post(client, draft, **{"indicatori-0-target_1": "10"}).status_code == 302
    response = client.post(
        reverse("audit:restore", args=[draft.pk, before.history_id]),
        {"lock_version": fresh(draft).lock_version, "reason": "Target da rivedere"},
    )
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert (flagged.target_1, flagged.to_complete) == (None, True)


def test_discarding_a_revision_published_before_the_measure_reads_it_from_the_expected_values(draft, people):
    """A revision published before indicators had a measure keeps none in its stored content: discarding
    a later revision brings the measure back as an import of that content would."""
    walk_to(draft, State.PUBLISHED, people)
    published = PublishedRevision.objects.get(objective=draft)
    published.content = {
        **published.content,
        "indicators": [
            {k: i[k] for k in ("description", "kind", "expected", "notes")}
            for i in published.content["indicators"]
        ],
    }
    PublishedRevision.objects.filter(pk=published.pk).update(content=published.content)
    act(draft, "revise", people["dirigente_satta"])
    draft.indicators.update(polarity="binary", target_1=Decimal(5))
    act(draft, "discard_revision", people["segreteria"])
    indicator = fresh(draft).indicators.get()
    assert (indicator.expected, indicator.polarity, indicator.target_1, indicator.to_complete) == (
        "<30",
        "lower",
        Decimal(30),
        False,
    )


def test_the_diff_keeps_a_target_s_every_decimal(client, flagged, people, draft):
    client.force_login(people["dirigente_satta"])
    assert _post(client, draft, **{"indicatori-0-target_1": "0,1234"}).status_code == 302
    assert _post(client, draft, **{"indicatori-0-target_1": "0,1235"}).status_code == 302
    vs = versions.objective_versions(draft.pk)
    [row] = versions.objective_diff(draft.pk, vs[-2].history_id, vs[-1].history_id).indicators
    changes = [(c.label, c.before, c.after) for c in row.changes]
    assert changes == [("Target del primo anno", "0,1234", "0,1235")]
