"""The evidence log: every transition appends one hash-chained entry, and tampering is detected."""

import datetime as dt
import json

import pytest
from django.db import connection

from audit.models import AuditEntry, AuditHead
from audit.services import COLUMN_CHANGED, verify
from tests.factories import ObjectiveFactory
from tests.support import act, fresh, walk_to
from workflow.models import State

pytestmark = pytest.mark.django_db

# A scenario that applies every transition once or more: (transition, who).
SCENARIO = [
    ("submit", "dirigente_satta"),
    ("return_to_drafting", "segreteria"),
    ("submit", "dirigente_satta"),
    ("approve", "segreteria"),
    ("close_consultation", "segreteria"),
    ("sign", "segretario"),
    ("sign", "dirigente_satta"),
    ("adopt", "segreteria"),
    ("transmit", "segreteria"),
    ("publish", "segreteria"),
    ("revise", "dirigente_satta"),
    ("discard_revision", "segreteria"),
]


# What a call records once for all the objectives it moved, after their transitions.
ALSO_RECORDED = {
    "approve": ["consultation.information"],
    "close_consultation": ["signature.document"],
    "transmit": ["transmission.recorded"],
}


def _raw(sql, params):
    """Change the log behind the application's back. On PostgreSQL the append-only trigger refuses that
    (tests/audit/test_append_only.py), so first switch it off as the table's owner could: the chain must
    still tell. The test's transaction rolls the switch back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(sql, params)


def test_every_transition_appends_one_entry(draft, people, plan):
    for name, who in SCENARIO:
        before = AuditEntry.objects.count()
        source = fresh(draft).state
        o = act(draft, name, people[who])
        new = list(AuditEntry.objects.filter(sequence__gt=before).order_by("sequence"))
        assert [e.action for e in new] == [f"transition.{name}", *ALSO_RECORDED.get(name, [])], name
        entry = new[0]
        assert entry.actor == people[who] and entry.actor_name == people[who].username
        assert entry.object_type == "workflow.objective" and entry.object_id == str(o.pk)
        assert entry.body_id == plan.body_id
        assert (entry.payload["data"]["from"], entry.payload["data"]["to"]) == (source, o.state)
        assert entry.payload["data"]["code"] == o.code

    other = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    before = AuditEntry.objects.count()
    act(other, "withdraw", people["segreteria"])
    assert list(AuditEntry.objects.filter(sequence__gt=before).values_list("action", flat=True)) == [
        "transition.withdraw"]

    ok, n, message = verify()
    assert ok, message
    assert n == AuditEntry.objects.count() == AuditHead.objects.get().count
    assert message == f"Catena integra: {n} voci."


def test_entries_are_chained(draft, people):
    walk_to(draft, State.SIGNATURE, people)
    entries = list(AuditEntry.objects.order_by("sequence"))
    assert [e.sequence for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == "0" * 64
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == previous.hash
    assert AuditHead.objects.get().hash == entries[-1].hash


def test_tampering_with_a_payload_is_detected_and_named(draft, people):
    walk_to(draft, State.SIGNATURE, people)
    target = AuditEntry.objects.get(action="transition.approve")
    forged = dict(target.payload, actor="dirigente_rossi")
    _raw("UPDATE audit_auditentry SET payload = %s WHERE id = %s", [json.dumps(forged), target.pk])

    ok, n, message = verify()

    assert not ok
    assert n == target.sequence - 1  # entries before it were checked and found intact
    assert message == f"Voce {target.sequence} alterata: l'impronta non corrisponde."


@pytest.mark.parametrize(
    ("column", "value", "label"),
    [
        ("action", "transition.submit", "azione"),
        ("actor_name", "dirigente_rossi", "utente"),
        ("object_id", "999", "oggetto"),
        ("body_id", 999, "ente"),
        ("plan_id", 999, "piano"),
        ("at", "2020-01-01 00:00:00", "data e ora"),
        ("actor_id", 999, "id utente"),
    ],
)
def test_a_column_changed_without_its_payload_is_detected(draft, people, column, value, label):
    # The change log filters and shows the columns: they must say what the hashed payload says.
    walk_to(draft, State.SIGNATURE, people)
    target = AuditEntry.objects.get(action="transition.approve")
    _raw(f"UPDATE audit_auditentry SET {column} = %s WHERE id = %s", [value, target.pk])  # noqa: S608

    ok, n, message = verify()

    assert not ok
    assert n == target.sequence - 1
    assert message == COLUMN_CHANGED.format(sequence=target.sequence, column=label)


def test_a_deleted_entry_is_detected(draft, people):
    walk_to(draft, State.SIGNATURE, people)
    target = AuditEntry.objects.get(action="transition.approve")
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [target.pk])
    ok, _, message = verify()
    assert not ok
    assert message == (f"Voce mancante: attesa la sequenza {target.sequence}, "
                       f"trovata {target.sequence + 1}.")


def test_a_truncated_tail_is_detected_by_the_head(draft, people):
    walk_to(draft, State.SIGNATURE, people)
    last = AuditEntry.objects.order_by("-sequence").first()
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [last.pk])
    ok, n, message = verify()
    assert not ok
    assert message == f"La testa della catena ({last.sequence} voci) non corrisponde alle {n} voci presenti."


def test_times_never_go_back_along_the_chain(db, monkeypatch):
    # A second server whose clock is a little behind: its entry takes the time of the one before it.
    from django.db import transaction
    from django.utils import timezone

    import audit.services as services

    first_time = timezone.now()
    with transaction.atomic():
        first = services.record(action="prova.prima")
    monkeypatch.setattr(services.timezone, "now", lambda: first_time - dt.timedelta(seconds=5))
    with transaction.atomic():
        second = services.record(action="prova.seconda")
    assert second.at == first.at
    assert verify()[0]
