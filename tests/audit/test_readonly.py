"""The Revisore reads everything and changes nothing: every page that writes refuses them with 403 and a
clear page, and nothing in the database moves. The transitions are also in the permission table of
tests/views/test_permission_matrix.py; here is every other write with the data its page posts, and a sweep
that takes its pages from the URL resolver: the revisore POSTs to every pattern of the project, so a new
page is guarded without editing this file."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from guardian.models import UserObjectPermission

from approvals.models import AdoptionAct, StepRecord
from audit import versions
from audit.models import AuditEntry
from flows.services.content import objective_update
from tests.support import FORM_DATA, edit_post, fresh, small_pdf
from tests.views import sweep
from workflow.models import Indicator, Membership, Objective, Phase, Plan, StrategicObjective

from .conftest import text

pytestmark = pytest.mark.django_db


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


# -- every page of the resolver ----------------------------------------------------------------------------
#
# A body with an object of every kind (tests/views/sweep.py); its own people crawl their pages, which tells
# the arguments of every pattern and the forms that post to it; then the revisore of that body POSTs what
# those forms post (or, to a pattern no form posts to, the addresses the pages link to) to every pattern of
# the resolver. Each POST is refused (403 with the clear page, 404, or 405 from a page that only reads) and
# no row of the database changes. A pattern the crawl cannot reach fails the sweep until it is reached or
# listed here with the reason; the admin, static files and the logout are left out by the sweep module.

# Patterns the revisore may use, with the reason: they act on the revisore's own account, session or inbox.
OWN_ACCOUNT = {
    "login": "signs a person in: their own session",
    "password_change": "changes the revisore's own password",
    "password_reset": "e-mails a person a link to reset their own password",
    "password_reset_confirm": "sets a password from a person's own reset link",
    "notifications:mark_all_read": "marks the revisore's own notifications read",
    "notifications:mark_group_read": "marks the revisore's own notifications read",
    "notifications:profile": "the revisore's own notification preferences",
    "notifications:operation_status": "the state of an operation the person started, read by its page's "
                                      "script (GET only; 404 to anyone else: tests/flows/test_operations.py)",
    "workflow:switch_body": "chooses the current body among the revisore's own, in the session",
    "ws/notifications/": "the notifications socket's address over HTTP (426 to any request); the socket "
                         "itself is tested in tests/notifications",
}
# Read pages whose view takes any method: a POST is answered as a GET would be (200, or 400 for a bad
# filter), and still changes nothing.
READS_ON_POST = {
    "workflow:dashboard",
    "workflow:objective_list",
    "workflow:objective_detail",
    "workflow:guide",
    "audit:change_log",
    "audit:versions",
    "audit:diff",
    "audit:plan_as_of",
    "trasparenza:verify_relazione",  # anyone checks a file there: it is read and forgotten
}
REFUSED = (403, 404, 405)
POSTS_PER_PATTERN = 12  # distinct addresses of one pattern the revisore posts to
CRAWLERS = ("segreteria", "dirigente", "sindacato")  # whose pages offer every form


def _form_post(form) -> dict:
    """What the page's form posts with its text areas written (a reason, an observation) and a real PDF in
    every file field: what its own user would send."""
    data = form.data()
    for name, kind, _value, _options in form.fields:
        if kind == "file":
            data[name] = SimpleUploadedFile("documento.pdf", small_pdf("revisore"), "application/pdf")
        elif kind == "textarea" and not str(data.get(name, "")).strip():
            data[name] = "Testo scritto dal revisore"
    return data


def _revisore_posts(pattern, found) -> list[tuple[str, object]]:
    """(address, data factory) of each POST the revisore tries on the pattern: the forms the body's people
    were offered; without one, each address their pages named (with a lock version, as action buttons
    carry)."""
    posts: dict[str, object] = {}
    for _who, _page, form in found.forms.get(pattern.name, []):
        posts.setdefault(form.action, lambda form=form: _form_post(form))
    if not posts:
        urls = [pattern.url(kw) for kw in found.kwargs.get(pattern.name, [])] if pattern.slots else [
            "/" + pattern.route]
        for url in urls:
            posts.setdefault(url, lambda: {"lock_version": "1"})
    return list(posts.items())[:POSTS_PER_PATTERN]


def test_the_listed_exceptions_are_patterns_of_the_resolver():
    names = {p.name for p in sweep.project_patterns()}
    assert set(OWN_ACCOUNT) <= names
    assert READS_ON_POST <= names
    assert not set(OWN_ACCOUNT) & READS_ON_POST


def test_every_pattern_of_the_resolver_refuses_the_revisore_a_post(settings):
    settings.TRANSMISSION_SEND_ON_COMMIT = False
    world = sweep.build_body(tag="RRR", number=3, name="Comune di Erre", ipa_code="c_erre", settings=settings)
    patterns = sweep.project_patterns()
    clients = {}
    for who in (*CRAWLERS, "revisore"):
        clients[who] = Client(raise_request_exception=False)
        clients[who].force_login(world.people[who])
    found = sweep.crawl({who: clients[who] for who in CRAWLERS}, patterns,
                        deeper={"segreteria": 12})
    revisore = clients["revisore"]

    failures, swept = [], 0
    for pattern in patterns:
        if pattern.name in OWN_ACCOUNT:
            continue
        posts = _revisore_posts(pattern, found)
        if not posts:
            failures.append(f"{pattern.name}: no page of the body names an address of this pattern; make the "
                            f"crawl reach it or list it in OWN_ACCOUNT with the reason")
            continue
        allowed = (200, 400, *REFUSED) if pattern.name in READS_ON_POST else REFUSED
        before = sweep.snapshot()
        for url, data in posts:
            response = revisore.post(url, data())
            swept += 1
            if response.status_code not in allowed:
                failures.append(f"POST {url} ({pattern.name}): {response.status_code}")
            elif response.status_code == 403:
                page = text(response)
                if "Operazione non consentita" not in page or "Nessun dato è stato modificato" not in page:
                    failures.append(f"POST {url} ({pattern.name}): 403 without the clear page")
        changed = sweep.changes(before, sweep.snapshot())
        if changed:
            failures.append(f"{pattern.name}: the revisore's POST changed rows: {changed}")
    assert swept > len(patterns)
    assert not failures, "\n".join(failures)
