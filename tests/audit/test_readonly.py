"""The Revisore reads everything and changes nothing: every page that writes refuses them with 403 and a
clear page, and nothing in the database moves. The transitions are also in the permission table of
tests/views/test_permission_matrix.py; here is every other write, and a guard that names each page so a
new one has to be classified."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from guardian.models import UserObjectPermission

from approvals.models import AdoptionAct, StepRecord
from audit import versions
from audit.models import AuditEntry
from flows.services.content import objective_update
from tests.support import FORM_DATA, edit_post, fresh
from workflow.models import Indicator, Membership, Objective, Phase, Plan, StrategicObjective

from .conftest import text

pytestmark = pytest.mark.django_db

# Pages that only read (GET); a revisore may open them (or is refused a form they cannot use).
READS = {
    "workflow:dashboard",
    "workflow:objective_list",
    "workflow:objective_detail",
    "workflow:plan_detail",
    "workflow:plan_download",
    "audit:change_log",
    "audit:change_log_download",
    "audit:versions",
    "audit:diff",
    "audit:plan_as_of",
    "workflow:guide",
    "workflow:accessibilita",
    "workflow:privacy",
    "workflow:note_legali",
}
# Session only: choosing the current body changes no data.
SESSION = {"workflow:switch_body"}
# Every page that writes: (name, url arguments, POST data factory).
WRITES = {
    "workflow:objective_create",
    "workflow:objective_edit",
    "workflow:objective_responsible",
    "workflow:objective_delegation",
    "workflow:objective_transition",
    "workflow:plan_create",
    "workflow:plan_deadline",
    "workflow:plan_import",
    "workflow:plan_import_confirm",
    "workflow:plan_detail",
    "workflow:batch",
    "audit:restore",
}


def _names(resolver=None, namespace=None):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from _names(p, p.namespace or namespace)
        elif isinstance(p, URLPattern) and namespace in ("workflow", "audit"):
            yield f"{namespace}:{p.name}"


def test_every_page_of_the_workflow_and_the_audit_is_classified():
    assert set(_names()) <= READS | SESSION | WRITES


def _database():
    """Counts of everything a write could touch."""
    models = [
        Objective,
        Objective.history.model,
        Phase,
        Phase.history.model,
        Indicator,
        Indicator.history.model,
        StepRecord,
        AdoptionAct,
        Plan,
        StrategicObjective,
        Membership,
        UserObjectPermission,
        AuditEntry,
        get_user_model().groups.through,
    ]
    counts = {m._meta.label: m.objects.count() for m in models}
    counts["lock_versions"] = list(
        Objective.objects.order_by("pk").values_list("pk", "lock_version", "state")
    )
    return counts


@pytest.fixture
def revisore(client, people):
    client.force_login(people["revisore"])
    return client


@pytest.fixture
def edited(draft, people):
    before = versions.objective_versions(draft.pk)[-1]
    objective_update(
        objective_id=draft.pk,
        by=people["dirigente_satta"],
        lock_version=fresh(draft).lock_version,
        fields={"title": "Titolo cambiato"},
    )
    return draft, before


def _posts(objective, version, plan, people):
    """Every write a page offers, with the data that page would post."""
    o = fresh(objective)
    document = b'{"body": "Provincia di Cremona", "year": 2023, "strategic_objectives": [], "objectives": []}'
    yield (
        "objective_create",
        reverse("workflow:objective_create"),
        {"code": "2023_7777", "title": "Nuovo", "kind": "performance"},
    )
    yield "objective_edit", reverse("workflow:objective_edit", args=[o.pk]), edit_post(o, title="Riscritto")
    yield (
        "objective_responsible",
        reverse("workflow:objective_responsible", args=[o.pk]),
        {"responsible": people["dirigente_rossi"].pk, "lock_version": o.lock_version},
    )
    for action in ("concedi", "revoca"):
        yield (
            f"delegation {action}",
            reverse("workflow:objective_delegation", args=[o.pk, action]),
            {"delegate": people["funzionario_bianchi"].pk},
        )
    # the transitions a draft offers (the permission table tries every transition from its own state)
    for name in ("submit", "withdraw"):
        yield (
            f"transition {name}",
            reverse("workflow:objective_transition", args=[o.pk, name]),
            {"lock_version": o.lock_version, **FORM_DATA[name]},
        )
    yield "plan_create", reverse("workflow:plan_create"), {"year": 2030, "triennium": "2030-2032"}
    yield "plan_deadline", reverse("workflow:plan_deadline", args=[plan.year]), {"deadline": "2023-04-30"}
    yield (
        "plan_import",
        reverse("workflow:plan_import"),
        {"year": 2023, "file": SimpleUploadedFile("piano.json", document, content_type="application/json")},
    )
    yield "plan_import_confirm", reverse("workflow:plan_import_confirm"), {"token": "x"}
    yield (
        "plan_detail",
        reverse("workflow:plan_detail", args=[plan.year]),
        {"code": "2023_OS99", "title": "Nuovo obiettivo strategico", "purposes": "Una"},
    )
    yield (
        "batch",
        reverse("workflow:batch"),
        {
            "stato": "drafting",
            "azione": "withdraw",
            "obiettivi": [o.pk],
            f"v_{o.pk}": o.lock_version,
            "comment": "Ritiro",
        },
    )
    yield (
        "restore",
        reverse("audit:restore", args=[o.pk, version.history_id]),
        {"lock_version": o.lock_version, "reason": "Ripristino"},
    )


def test_every_write_refuses_the_revisore(revisore, edited, plan, people):
    objective, version = edited
    before = _database()
    for what, url, data in _posts(objective, version, plan, people):
        response = revisore.post(url, data)
        assert response.status_code == 403, (what, response.status_code)
        page = text(response)
        assert "Operazione non consentita" in page and "Nessun dato è stato modificato" in page, what
        assert _database() == before, what


def test_the_write_pages_refuse_the_revisore_already_on_get(revisore, edited, plan):
    objective, version = edited
    for url in (
        reverse("workflow:objective_create"),
        reverse("workflow:objective_edit", args=[objective.pk]),
        reverse("workflow:plan_create"),
        reverse("workflow:plan_import"),
        reverse("workflow:batch"),
        reverse("audit:restore", args=[objective.pk, version.history_id]),
    ):
        assert revisore.get(url).status_code == 403, url


def test_the_revisore_reads_every_audit_page_and_export(revisore, edited, plan):
    objective, version = edited
    latest = versions.objective_versions(objective.pk)[-1]
    for url in (
        reverse("audit:change_log"),
        reverse("audit:change_log_download", args=["csv"]),
        reverse("audit:change_log_download", args=["json"]),
        reverse("audit:versions", args=[objective.pk]),
        reverse("audit:diff", args=[objective.pk]) + f"?da={version.history_id}&a={latest.history_id}",
        reverse("audit:plan_as_of", args=[plan.year]),
        reverse("workflow:objective_detail", args=[objective.pk]),
        reverse("workflow:plan_detail", args=[plan.year]),
    ):
        assert revisore.get(url).status_code == 200, url


def test_the_revisore_has_no_staff_access(revisore, people):
    # The Django admin is read-only anyway; a revisore does not even reach it.
    assert not people["revisore"].is_staff
    response = revisore.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert get_user_model().objects.get(username="revisore").is_staff is False
