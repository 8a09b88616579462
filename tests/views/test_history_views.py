"""What the pages leave in the history: every edit and every transition done through a page adds a history
record naming the acting person and the reason, and the objective page's timeline tells the steps in order
with who did them and what they wrote (DESIGN.md, "Versions: four words, four things")."""

from __future__ import annotations

import re

import pytest

from flows.objective_flow import transition_label
from flows.services.content import objective_delegate
from tests.support import block, detail_url, edit_post, edit_url, fresh, text, transition_post, transition_url
from workflow.models import Objective, State

pytestmark = pytest.mark.django_db

NAMES = {"dirigente_satta": "Sabrina Satta", "segreteria": "Giulia Verdi", "segretario": "Massimo Placchi",
         "funzionario_bianchi": "Anna Bianchi"}

# The whole life of one objective, done through the pages: (what, who, input). "edit" is the edit page.
STORY = [
    ("submit", "dirigente_satta", {"comment": "Prima stesura completa"}),
    ("return_to_drafting", "segreteria", {"comment": "Manca l'indicatore di efficienza"}),
    ("edit", "funzionario_bianchi", {"note": "Aggiunto l'indicatore di efficienza"}),
    ("submit", "dirigente_satta", {"comment": "Indicatore aggiunto"}),
    ("approve", "segreteria", {"comment": "Coerente con il DUP"}),
    ("close_consultation", "segretario", {"early_reason": "Scadenza di adozione imminente",
                                          "comment": "Nessuna osservazione dai sindacati"}),
    ("sign", "dirigente_satta", {"comment": "Approvo i contenuti"}),
    ("sign", "segretario", {"comment": ""}),
    ("adopt", "segreteria", {"comment": "Decreto n. 12"}),
    ("transmit", "segreteria", {"comment": "Caricato sul portale"}),
    ("publish", "segreteria", {"comment": "Online in Amministrazione Trasparente"}),
    ("revise", "dirigente_satta", {"comment": "Aggiornamento dei tempi"}),
    ("discard_revision", "segreteria", {"comment": "Revisione non più necessaria"}),
]


def _history(objective):
    return list(Objective.history.filter(id=objective.pk).order_by("history_id"))


def _do(client, objective, what, who, data, people):
    client.force_login(people[who])
    if what == "edit":
        return client.post(edit_url(objective), edit_post(objective, **{
            **data,
            "indicatori-1-description": "Pratiche evase per addetto", "indicatori-1-kind": "EFFICIENZA",
            "indicatori-1-expected": ">= 120",
        }))
    return client.post(transition_url(objective, what), transition_post(objective, what, **data))


def _reason(what, data):
    if what == "edit":
        return f"Modifica del contenuto: {data['note']}"
    comment = data.get("comment", "")
    return f"{transition_label(what)}: {comment}" if comment else transition_label(what)


@pytest.fixture
def lived(client, draft, people):
    """``draft`` taken through STORY by the people in it, each through the page."""
    objective_delegate(objective_id=draft.pk, by=people["dirigente_satta"],
                       delegate=people["funzionario_bianchi"])
    records = []
    for what, who, data in STORY:
        before = len(_history(draft))
        response = _do(client, draft, what, who, data, people)
        assert response.status_code == 302, (what, who)
        records.append((what, who, data, _history(draft)[before:]))
    return draft, records


def test_every_edit_and_transition_through_the_pages_adds_history_with_who_and_why(lived, people):
    objective, records = lived
    for what, who, data, new in records:
        assert new, f"{what} by {who} left no history record"
        assert {h.history_user for h in new} == {people[who]}, what
        assert _reason(what, data) in [h.history_change_reason for h in new], what
    assert fresh(objective).state == State.PUBLISHED


def test_an_edit_through_the_page_records_its_rows_with_the_person_and_the_reason(client, draft, people):
    client.force_login(people["dirigente_satta"])
    response = client.post(edit_url(draft), edit_post(draft, title="Tempi di pagamento entro 30 giorni",
                                                      note="Titolo più preciso",
                                                      **{"fasi-0-description": "Analisi dei flussi"}))
    assert response.status_code == 302
    last = _history(draft)[-1]
    assert (last.history_user, last.history_change_reason, last.title) == (
        people["dirigente_satta"], "Modifica del contenuto: Titolo più preciso",
        "Tempi di pagamento entro 30 giorni")
    phase = draft.phases.get(description="Analisi dei flussi")
    phase_last = phase.history.order_by("-history_id").first()
    assert (phase_last.history_user, phase_last.history_change_reason) == (
        people["dirigente_satta"], "Modifica del contenuto: Titolo più preciso")
    storico = block(text(client.get(detail_url(draft))), "storico")
    assert "Sabrina Satta" in storico and "Modifica del contenuto: Titolo più preciso" in storico


def test_the_timeline_shows_the_steps_in_order_with_who_and_the_comments(client, lived, people):
    objective, records = lived
    client.force_login(people["revisore"])
    timeline = block(text(client.get(detail_url(objective))), "timeline")
    items = re.findall(r"<li>(.*?)</li>", timeline, re.S)
    steps = [(what, who, data) for what, who, data, _ in records if what != "edit"]
    assert len(items) == len(steps)
    for item, (what, who, data) in zip(items, steps, strict=True):
        assert NAMES[who] in item, what
        if data.get("comment"):
            assert data["comment"] in item, what
    assert "Chiusura anticipata: Scadenza di adozione imminente" in items[4]
    assert "Da verificare" in items[4]  # an early closing is highlighted to auditors
    # The steps read from source to target, in the order they happened.
    assert "In redazione → Inviato alla Segreteria" in items[0]
    assert "Inviato alla Segreteria → In redazione" in items[1]
    assert "Pubblicato → In redazione (revisione 2)" in items[-2]
    assert "In redazione → Pubblicato" in items[-1]
