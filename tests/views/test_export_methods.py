"""Downloads are reads: a POST to an export is refused with 405 and writes nothing, not even the evidence
entry that a real download leaves."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("workflow:plan_download", {"fmt": "json"}),
        ("audit:change_log_download", {"fmt": "csv"}),
    ],
)
def test_an_export_answers_only_get(client, plan, people, name, kwargs):
    if name == "workflow:plan_download":
        kwargs = {**kwargs, "year": plan.year}
    url = reverse(name, kwargs=kwargs)
    client.force_login(people["segreteria"])
    entries = AuditEntry.objects.count()
    assert client.post(url).status_code == 405
    assert AuditEntry.objects.count() == entries
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.count() == entries + 1
