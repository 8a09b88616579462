"""Restoring an earlier version of a draft: content, phases and indicators back as a new version, with a
reason naming the version; history untouched; one evidence entry; only the Segreteria or the responsible
dirigente, only drafts, only with the lock version the page showed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from audit import versions
from audit.models import AuditEntry
from audit.services import verify
from flows import errors
from flows.services.content import objective_delegate, objective_update
from flows.services.versions import (
    NOTHING_TO_RESTORE,
    RESTORE_FORBIDDEN,
    RESTORE_NOT_DRAFT,
    VERSION_NOT_FOUND,
    objective_restore,
)
from notifications import delivery
from notifications.models import Notification
from tests.support import fresh, snapshot, walk_to
from workflow.models import Indicator, Objective, Phase, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(draft, people):
    """The draft, then an edit that rewrites title and purpose, deletes «Attuazione», adds «Verifica» and
    changes the indicator. Returns (objective, the version before the edit)."""
    before = versions.objective_versions(draft.pk)[-1]
    analisi, attuazione = draft.phases.all()
    indicator = draft.indicators.get()
    objective_update(
        objective_id=draft.pk,
        by=people["dirigente_satta"],
        lock_version=fresh(draft).lock_version,
        fields={"title": "Titolo nuovo", "purpose": "Tutt'altra finalità", "weight": Decimal("10")},
        phases=[
            {"id": analisi.pk, "description": "Analisi rivista"},
            {"id": attuazione.pk, "delete": True},
            {
                "id": None,
                "description": "Verifica",
                "weight": Decimal("50"),
                "start": None,
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
                "expected": "<20",
                "notes": "",
            }
        ],
    )
    return draft, before


def _restore(objective, version, by, **kw):
    return objective_restore(
        objective_id=objective.pk,
        by=by,
        history_id=version.history_id,
        lock_version=kw.pop("lock_version", fresh(objective).lock_version),
        reason=kw.pop("reason", "Torniamo alla stesura concordata"),
        **kw,
    )


@pytest.mark.parametrize("who", ["dirigente_satta", "segreteria"])
def test_restore_brings_back_fields_phases_and_indicators_as_a_new_version(edited, people, who):
    objective, before = edited
    target = versions.snapshot(objective.pk, before.history_id)
    history = Objective.history.filter(id=objective.pk).count()
    old_records = list(Objective.history.filter(id=objective.pk).values_list("history_id", "title"))

    restored = _restore(objective, before, people[who])

    o = fresh(restored)
    assert (o.title, o.purpose, o.weight) == (
        target.version.record.title,
        target.version.record.purpose,
        Decimal("40"),
    )
    assert [(p.pk, p.description, p.weight, p.start) for p in o.phases.all()] == [
        (p.id, p.description, p.weight, p.start) for p in target.phases
    ]  # same rows, same ids
    assert [(i.pk, i.expected) for i in o.indicators.all()] == [(i.id, i.expected) for i in target.indicators]
    assert not Phase.objects.filter(description="Verifica").exists()
    assert o.state == State.DRAFTING and o.revision == 1

    # history is never rewritten: one more version, whose reason names the restored one
    assert (
        list(
            Objective.history.filter(id=o.pk, history_id__in=[h for h, _ in old_records]).values_list(
                "history_id", "title"
            )
        )
        == old_records
    )
    assert Objective.history.filter(id=o.pk).count() == history + 1
    latest = versions.objective_versions(o.pk)[-1]
    assert latest.record.history_user == people[who]
    assert latest.record.history_change_reason.startswith(f"Ripristino della versione {before.number} del ")
    assert latest.record.history_change_reason.endswith(": Torniamo alla stesura concordata")

    # and the diff between the restored version and the new one is empty
    assert versions.objective_diff(o.pk, before.history_id, latest.history_id).empty

    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.action, entry.actor, entry.object_id) == ("objective.restore", people[who], str(o.pk))
    assert entry.payload["data"]["version"] == before.number
    assert entry.payload["data"]["reason"] == "Torniamo alla stesura concordata"
    assert set(entry.payload["data"]["fields"]) == {"title", "purpose", "weight"}
    assert verify()[0]


def test_a_restored_row_comes_back_in_the_as_of_view(edited, people, plan):
    objective, before = edited
    _restore(objective, before, people["dirigente_satta"])
    [now] = versions.plan_as_of(plan, timezone.now())
    assert [p.description for p in now.phases] == ["Analisi", "Attuazione"]
    assert now.gone_phases == set()


@pytest.mark.parametrize("who", ["dirigente_rossi", "revisore", "funzionario_bianchi"])
def test_others_may_not_restore(edited, people, who):
    # another dirigente, the auditor, and a funzionario even with a delegation to edit the draft
    objective, before = edited
    objective_delegate(
        objective_id=objective.pk, by=people["dirigente_satta"], delegate=people["funzionario_bianchi"]
    )
    state = snapshot(objective)
    with pytest.raises(errors.Forbidden) as refused:
        _restore(objective, before, people[who])
    assert refused.value.message == RESTORE_FORBIDDEN
    assert snapshot(objective) == state


def test_the_segretario_generale_may_restore(edited, people):
    objective, before = edited
    _restore(objective, before, people["segretario"])
    assert fresh(objective).title != "Titolo nuovo"


def test_only_drafts(edited, people):
    objective, before = edited
    walk_to(objective, State.SUBMITTED, people)
    state = snapshot(objective)
    with pytest.raises(errors.Forbidden) as refused:
        _restore(objective, before, people["segreteria"])
    assert refused.value.message == RESTORE_NOT_DRAFT
    assert snapshot(objective) == state


def test_a_stale_page_is_told(edited, people):
    objective, before = edited
    with pytest.raises(errors.StaleObjective):
        _restore(objective, before, people["dirigente_satta"], lock_version=fresh(objective).lock_version - 1)


def test_a_version_of_another_objective_is_refused(edited, people, plan):
    from tests.factories import ObjectiveFactory

    objective, _ = edited
    other = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    foreign = versions.objective_versions(other.pk)[0]
    with pytest.raises(errors.InvalidInput) as refused:
        _restore(objective, foreign, people["dirigente_satta"])
    assert refused.value.message == VERSION_NOT_FOUND


def test_nothing_to_restore_and_a_reason_is_needed(edited, people):
    objective, before = edited
    current = versions.objective_versions(objective.pk)[-1]
    with pytest.raises(errors.InvalidInput) as refused:
        _restore(objective, current, people["dirigente_satta"])
    assert refused.value.message == NOTHING_TO_RESTORE
    with pytest.raises(errors.InvalidInput) as refused:
        _restore(objective, before, people["dirigente_satta"], reason="   ")
    assert refused.value.message == errors.REASON_REQUIRED


def test_an_invisible_objective_is_not_found(edited, people, other_body):
    from tests.factories import Role, member

    objective, before = edited
    stranger = member("segreteria_crema", other_body, Role.SEGRETERIA)
    with pytest.raises(Objective.DoesNotExist):
        _restore(objective, before, stranger)


def test_restoring_twice_round_trips(edited, people):
    objective, before = edited
    after_edit = versions.objective_versions(objective.pk)[-1]
    _restore(objective, before, people["dirigente_satta"])
    _restore(objective, after_edit, people["dirigente_satta"], reason="Ripensamento")
    o = fresh(objective)
    assert o.title == "Titolo nuovo"
    assert sorted(o.phases.values_list("description", flat=True)) == ["Analisi rivista", "Verifica"]
    assert list(o.indicators.values_list("expected", flat=True)) == ["<20"]
    assert Indicator.history.filter(objective_id=o.pk).count() >= 3


# -- who is told -------------------------------------------------------------------------------------------
@pytest.fixture
def pushed(monkeypatch):
    """What reaches the channel layer: (group, message) pairs, in order."""
    sent = []
    monkeypatch.setattr(delivery, "push", lambda messages: sent.extend(messages))
    return sent


def test_a_restore_tells_the_responsible_and_the_open_pages_of_the_objective(
    edited, people, pushed, django_capture_on_commit_callbacks
):
    objective, before = edited
    satta, bianchi = people["dirigente_satta"], people["funzionario_bianchi"]
    objective_delegate(objective_id=objective.pk, by=satta, delegate=bianchi)
    Notification.objects.all().delete()
    pushed.clear()
    segreteria = people["segreteria"]
    with django_capture_on_commit_callbacks(execute=True):
        objective_restore(
            objective_id=objective.pk,
            by=segreteria,
            history_id=before.history_id,
            lock_version=fresh(objective).lock_version,
            reason="Torniamo al testo concordato",
        )
    told = Notification.objects.filter(objective=objective, transition="restore")
    assert {n.recipient.username for n in told} == {"dirigente_satta", "funzionario_bianchi", "segretario"}
    assert all("Torniamo al testo concordato" in n.message for n in told)
    assert all("ha ripristinato una versione precedente della bozza" in n.message for n in told)
    assert (
        f"objective.{objective.pk}",
        {"type": "objective.event", "objective": objective.pk, "event": "restore", "actor": segreteria.pk},
    ) in pushed


def test_a_refused_restore_tells_nobody(edited, people, pushed, django_capture_on_commit_callbacks):
    objective, before = edited
    count = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(errors.InvalidInput):
        objective_restore(
            objective_id=objective.pk,
            by=people["segreteria"],
            history_id=before.history_id,
            lock_version=fresh(objective).lock_version,
            reason="",
        )
    assert Notification.objects.count() == count
    assert not [m for m in pushed if m[1].get("event") == "restore"]
