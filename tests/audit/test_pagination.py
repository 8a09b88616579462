"""Keyset pagination of the change log: each page has the right rows whichever way one walks, and a page
costs the same number of queries with a hundred entries or a few thousand."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit import selectors
from audit.models import AuditEntry, AuditHead
from audit.selectors import PAGE_SIZE, LogFilters

from .conftest import log_rows

pytestmark = pytest.mark.django_db

LOG = reverse("audit:change_log")


def fill(body, other_body, people, n: int) -> None:
    """``n`` entries: most for the body, one in seven for another body, one in eleven a login of one of
    the body's people (no body). Not chained: pagination does not read the hashes."""
    base = timezone.now() - dt.timedelta(days=30)
    revisore = people["revisore"]
    start = (AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0) + 1
    rows = []
    for seq in range(start, start + n):
        if seq % 11 == 0:
            kw = {
                "action": "auth.login",
                "body_id": None,
                "object_type": "auth.user",
                "object_id": str(revisore.pk),
                "actor": revisore,
                "actor_name": revisore.username,
            }
        elif seq % 7 == 0:
            kw = {
                "action": "transition.submit",
                "body_id": other_body.pk,
                "object_type": "workflow.objective",
                "object_id": "1",
                "actor": None,
                "actor_name": "altro",
            }
        else:
            kw = {
                "action": "objective.update" if seq % 2 else "transition.approve",
                "body_id": body.pk,
                "object_type": "workflow.objective",
                "object_id": str(seq % 5),
                "actor": None,
                "actor_name": "segreteria",
            }
        rows.append(
            AuditEntry(
                sequence=seq,
                chain=kw["body_id"] or 0,
                position=seq,  # unique in any chain; the walk of a chain is not what is tested here
                at=base + dt.timedelta(seconds=seq),
                payload={"data": {}},
                prev_hash="0" * 64,
                hash="0" * 64,
                **kw,
            )
        )
    AuditEntry.objects.bulk_create(rows, batch_size=2000)
    # later appends go after these: each chain's head past its last position, the sequence past the last
    for chain in {r.chain for r in rows}:
        AuditHead.objects.update_or_create(chain=chain, defaults={"count": start + n - 1})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval('audit_entry_sequence', %s)", [start + n - 1])


def _visible(body):
    return [
        s
        for s in AuditEntry.objects.order_by("-sequence").values_list("sequence", "body_id", "action")
        if s[1] == body.pk or (s[1] is None and s[2] == "auth.login")
    ]


def _links(response) -> dict[str, str]:
    page = response.content.decode()
    nav = re.search(r'<nav class="pagination-wrapper".*?</nav>', page, re.S)
    if not nav:
        return {}
    return {
        label: href.replace("&amp;", "&")
        for href, label in re.findall(r'<a class="page-link" href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(0))
    }


@pytest.fixture
def auditor(client, people):
    """The client, logged in as the revisore before the log is filled (the login is an entry too)."""
    client.force_login(people["revisore"])
    return client


@pytest.fixture
def many(auditor, body, other_body, people):
    fill(body, other_body, people, 3000)
    return [s[0] for s in _visible(body)]


def test_walking_forward_and_back_gives_every_row_once_in_order(client, many):
    expected = many
    url = LOG
    seen, pages = [], []
    while url:
        response = client.get(url)
        rows = [r["sequence"] for r in log_rows(response)]
        assert 0 < len(rows) <= PAGE_SIZE
        pages.append(rows)
        seen.extend(rows)
        links = _links(response)
        url = LOG + links["Pagina successiva"] if "Pagina successiva" in links else None
    assert seen == expected
    assert all(len(p) == PAGE_SIZE for p in pages[:-1])

    # back from the last page, page by page, to the first: the same pages in reverse
    response = client.get(LOG + f"?dopo={pages[-2][-1]}")
    back = [[r["sequence"] for r in log_rows(response)]]
    while "Pagina precedente" in (links := _links(response)):
        response = client.get(LOG + links["Pagina precedente"])
        back.append([r["sequence"] for r in log_rows(response)])
    assert back == list(reversed(pages))


def test_the_oldest_page_and_the_newest(client, many, body):
    newest = [r["sequence"] for r in log_rows(client.get(LOG))]
    everything = [s[0] for s in _visible(body)]
    assert newest == everything[:PAGE_SIZE]
    response = client.get(LOG + "?prima=0")
    assert [r["sequence"] for r in log_rows(response)] == everything[-PAGE_SIZE:]
    assert "Pagina successiva" not in _links(response)
    assert "Pagina precedente" in _links(response)


def test_filters_stay_on_every_page(client, many, body):
    response = client.get(LOG, {"azione": "transition.approve"})
    expected = list(
        AuditEntry.objects.filter(body_id=body.pk, action="transition.approve")
        .order_by("-sequence")
        .values_list("sequence", flat=True)
    )
    seen = [r["sequence"] for r in log_rows(response)]
    while "Pagina successiva" in (links := _links(response)):
        assert "azione=transition.approve" in links["Pagina successiva"]
        response = client.get(LOG + links["Pagina successiva"])
        seen += [r["sequence"] for r in log_rows(response)]
    assert seen == expected


def test_the_selector_pages_by_sequence(people, many, body):
    user = people["revisore"]
    page = selectors.change_log_page(user, body, LogFilters(), after=many[100])
    assert [e.sequence for e in page.entries] == many[101 : 101 + PAGE_SIZE]
    assert (page.newer, page.older) == (many[101], many[100 + PAGE_SIZE])
    page = selectors.change_log_page(user, body, LogFilters(), before=many[100])
    assert [e.sequence for e in page.entries] == many[100 - PAGE_SIZE : 100]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_page_costs_the_same_queries_whatever_the_size_of_the_log(
    auditor, client, people, body, other_body
):
    fill(body, other_body, people, 120)
    small = {
        name: _queries(client, LOG + q)
        for name, q in (("first", ""), ("deep", "?dopo=60"), ("filtered", "?azione=transition.&dopo=60"))
    }
    fill(body, other_body, people, 4000)
    large = {
        name: _queries(client, LOG + q)
        for name, q in (("first", ""), ("deep", "?dopo=2000"), ("filtered", "?azione=transition.&dopo=2000"))
    }
    assert small == large
    assert max(large.values()) <= 16


def test_no_count_and_no_offset(client, many):
    with CaptureQueriesContext(connection) as ctx:
        client.get(LOG + f"?dopo={many[1500]}")
    sql = " ".join(q["sql"] for q in ctx.captured_queries if "audit_auditentry" in q["sql"]).upper()
    assert "COUNT(" not in sql and "OFFSET" not in sql
