"""On PostgreSQL the database itself refuses to change or remove an entry of the evidence log."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEntry
from audit.services import verify
from tests.support import walk_to
from workflow.models import State

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"),
    pytest.mark.django_db,
]


@pytest.fixture
def entry(draft, people):
    walk_to(draft, State.SUBMITTED, people)
    return AuditEntry.objects.get(action="transition.submit")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET action = 'transition.approve' WHERE id = %s",
        "UPDATE audit_auditentry SET payload = '{}' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_remove_an_entry(entry, sql):
    with pytest.raises(DatabaseError, match="solo in aggiunta"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "transition.submit"
    assert verify()[0]


def test_the_orm_cannot_either(entry):
    with pytest.raises(DatabaseError, match="solo in aggiunta"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(actor_name="qualcun altro")
    with pytest.raises(DatabaseError, match="solo in aggiunta"), transaction.atomic():
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk, actor_name=entry.actor_name).exists()
