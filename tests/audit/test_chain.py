"""The evidence log: every transition appends one hash-chained entry, and tampering is detected."""

import datetime as dt
import json

import pytest
from django.db import connection

from audit.models import INSTALLATION_CHAIN, AuditEntry, AuditHead
from audit.services import (
    ALTERED,
    COLUMN_CHANGED,
    HEAD_DISAGREES,
    MISSING,
    chain_label,
    verify,
    verify_all,
    verify_chain,
)
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


def _last_sequence():
    return AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def test_every_transition_appends_one_entry(draft, people, plan):
    for name, who in SCENARIO:
        before = _last_sequence()
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
    before = _last_sequence()
    act(other, "withdraw", people["segreteria"])
    assert list(AuditEntry.objects.filter(sequence__gt=before).values_list("action", flat=True)) == [
        "transition.withdraw"]

    ok, n, message = verify()
    assert ok, message
    assert n == AuditEntry.objects.count()
    body_chain = AuditEntry.objects.filter(chain=plan.body_id).count()
    assert AuditHead.objects.get(chain=plan.body_id).count == body_chain
    assert verify_chain(plan.body_id).message == (
        f"{chain_label(plan.body_id)}: catena integra, {body_chain} voci.")


def _body_chain(plan):
    return list(AuditEntry.objects.filter(chain=plan.body_id).order_by("position"))


def test_entries_are_chained_in_their_body_chain(draft, people, plan):
    walk_to(draft, State.SIGNATURE, people)
    entries = _body_chain(plan)
    assert {e.body_id for e in entries} == {plan.body_id}
    assert [e.position for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == "0" * 64
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == previous.hash
        assert entry.sequence > previous.sequence
    assert AuditHead.objects.get(chain=plan.body_id).hash == entries[-1].hash
    # the hashed payload says where the entry stands
    assert {(e.payload["chain"], e.payload["position"], e.payload["sequence"]) for e in entries} == {
        (e.chain, e.position, e.sequence) for e in entries}


def test_an_entry_without_a_body_joins_the_installation_chain(db):
    from django.db import transaction

    from audit.services import record

    with transaction.atomic():
        entry = record(action="prova.installazione")
    assert (entry.chain, entry.position) == (INSTALLATION_CHAIN, 1)
    assert verify_chain(INSTALLATION_CHAIN).ok


def _broken(plan, target):
    """verify() and the walk of the body's chain agree on what is wrong, and the entries before the broken
    one were checked."""
    ok, _, message = verify()
    verdict = verify_chain(plan.body_id)
    assert not ok and not verdict.ok
    assert verdict.message == message
    assert verdict.checked == target.position - 1
    return message


def test_tampering_with_a_payload_is_detected_and_named(draft, people, plan):
    walk_to(draft, State.SIGNATURE, people)
    target = AuditEntry.objects.get(action="transition.approve")
    forged = dict(target.payload, actor="dirigente_rossi")
    _raw("UPDATE audit_auditentry SET payload = %s WHERE id = %s", [json.dumps(forged), target.pk])

    message = _broken(plan, target)

    assert message == ALTERED.format(
        label=chain_label(plan.body_id), position=target.position, sequence=target.sequence)


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
        ("sequence", 10**9, "sequenza"),
    ],
)
def test_a_column_changed_without_its_payload_is_detected(draft, people, plan, column, value, label):
    # The change log filters and shows the columns: they must say what the hashed payload says.
    walk_to(draft, State.SIGNATURE, people)
    target = AuditEntry.objects.get(action="transition.approve")
    _raw(f"UPDATE audit_auditentry SET {column} = %s WHERE id = %s", [value, target.pk])  # noqa: S608

    message = _broken(plan, target)

    # the entry is named as it now reads
    sequence = value if column == "sequence" else target.sequence
    assert message == COLUMN_CHANGED.format(
        label=chain_label(plan.body_id), position=target.position, sequence=sequence, column=label)


def test_a_deleted_entry_is_detected(draft, people, plan):
    walk_to(draft, State.SIGNATURE, people)
    target = AuditEntry.objects.get(action="transition.approve")
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [target.pk])
    message = _broken(plan, target)
    assert message == MISSING.format(
        label=chain_label(plan.body_id), expected=target.position, found=target.position + 1)


def test_an_entry_moved_to_another_chain_is_detected(draft, people, plan):
    walk_to(draft, State.SIGNATURE, people)
    target = AuditEntry.objects.get(action="transition.approve")
    _raw("UPDATE audit_auditentry SET chain = 0, position = 999 WHERE id = %s", [target.pk])
    assert verify_chain(plan.body_id).message == MISSING.format(
        label=chain_label(plan.body_id), expected=target.position, found=target.position + 1)
    # nor does it fit where it was put
    assert verify_chain(INSTALLATION_CHAIN).message == MISSING.format(
        label=chain_label(INSTALLATION_CHAIN), expected=1, found=999)
    assert not verify()[0]


def test_a_truncated_tail_is_detected_by_the_head(draft, people, plan):
    walk_to(draft, State.SIGNATURE, people)
    last = AuditEntry.objects.filter(chain=plan.body_id).order_by("-position").first()
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [last.pk])
    ok, n, message = verify()
    assert not ok
    assert message == HEAD_DISAGREES.format(
        label=chain_label(plan.body_id), count=last.position, n=last.position - 1)


def test_tampering_in_one_body_is_reported_for_that_body_only(draft, people, plan, other_body):
    from django.db import transaction

    from audit.services import record

    with transaction.atomic():
        record(action="prova.altro", body_id=other_body.pk)
    walk_to(draft, State.SIGNATURE, people)
    target = AuditEntry.objects.get(action="transition.approve")
    _raw("UPDATE audit_auditentry SET actor_name = 'x' WHERE id = %s", [target.pk])

    verdicts = {v.chain: v for v in verify_all()}
    assert not verdicts[plan.body_id].ok
    assert verdicts[other_body.pk].ok and verdicts[other_body.pk].checked == 1
    assert all(v.ok for chain, v in verdicts.items() if chain != plan.body_id)


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
