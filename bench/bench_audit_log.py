"""The change log with a million entries: how long filling, verifying and paging take. Prints; never fails.

.venv/bin/python bench/bench_audit_log.py                 # a throwaway SQLite file
DATABASE_URL=postgres://... .venv/bin/python bench/bench_audit_log.py   # a throwaway database on that server
.venv/bin/python bench/bench_audit_log.py --entries 200000 --export   # fewer entries; also time a full export

What it prints:
- the time to fill the log (a valid chain: every hash computed as audit.services.record would);
- `verify_audit` over the whole chain (target: under 20 s);
- the change-log query (audit.selectors.change_log_page) for the first, a middle and the last page;
- the change-log page as the server renders it (Django's test client, so middleware, session, selectors,
  template), p50 and p95 over repeated requests, and its SQL queries, for the first and deep pages, with and
  without filters (target: p95 under 200 ms; the number of queries must not grow with the log);
- with --export: streaming the whole log as CSV, its time and the peak of Python memory.

On PostgreSQL the entries go into a database of their own (``bench_audit_log``) created and dropped here,
never into the one DATABASE_URL names: the log's trigger forbids deleting them afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="bench-audit-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

settings.DEBUG = False  # as in production: no query log kept in memory

from audit import selectors, services  # noqa: E402
from audit.models import AuditEntry, AuditHead  # noqa: E402
from workflow.models import Body, Membership, Objective, Plan, Role  # noqa: E402

TRANSITIONS = [
    ("submit", "drafting", "submitted"),
    ("approve", "submitted", "union_consultation"),
    ("return_to_drafting", "submitted", "drafting"),
    ("sign", "signature", "signature"),
]


def timed(label, func):
    start = time.perf_counter()
    result = func()
    print(f"{label}: {time.perf_counter() - start:.1f} s")
    return result


def setup_data():
    User = get_user_model()
    body = Body.objects.create(name="Provincia di Cremona", ipa_code="p_cr")
    other = Body.objects.create(name="Comune di Crema", ipa_code="c_d142")
    plan = Plan.objects.create(body=body, year=2023, triennium="2023-2025")
    people = []
    for n in range(40):
        user = User.objects.create(username=f"persona{n}", first_name="Persona", last_name=str(n))
        Membership.objects.create(user=user, body=body, role=Role.DIRIGENTE if n % 4 else Role.SEGRETERIA)
        people.append(user)
    revisore = User.objects.create(username="revisore", first_name="Laura", last_name="Neri")
    Membership.objects.create(user=revisore, body=body, role=Role.REVISORE)
    objectives = Objective.objects.bulk_create(
        Objective(plan=plan, code=f"2023_{5500 + n}", title=f"Obiettivo {n}") for n in range(50)
    )
    return body, other, plan, people, revisore, objectives


def fill(n, body, other, plan, people, objectives):
    """``n`` chained entries: 80% for the body (transitions, content edits, delegations on its objectives),
    10% for another body, 10% logins of the body's people. One entry every 30 seconds over the last year."""
    rng = random.Random(42)
    start = timezone.now() - dt.timedelta(seconds=30 * n)
    heads = {}  # chain -> (count, last hash)
    batch = []
    for seq in range(1, n + 1):
        at = start + dt.timedelta(seconds=30 * seq)
        roll = rng.random()
        actor = rng.choice(people)
        body_id, plan_id, obj_type, obj_id = body.pk, plan.pk, "workflow.objective", None
        if roll < 0.1:
            action, obj_type, obj_id, body_id, plan_id = "auth.login", "auth.user", str(actor.pk), None, None
            data = {"ip": "10.0.0.1"}
        elif roll < 0.2:
            action, body_id, plan_id, obj_id = "transition.submit", other.pk, None, "999999"
            data = {"code": "2023_9999", "from": "drafting", "to": "submitted", "comment": "Crema"}
        else:
            objective = rng.choice(objectives)
            obj_id = str(objective.pk)
            if roll < 0.6:
                name, source, target = rng.choice(TRANSITIONS)
                action = f"transition.{name}"
                data = {
                    "code": objective.code,
                    "from": source,
                    "to": target,
                    "revision": 1,
                    "step": None,
                    "comment": "Commento del passaggio " * rng.randint(0, 3),
                    "batch": None,
                }
            elif roll < 0.9:
                action = "objective.update"
                data = {"code": objective.code, "fields": ["title", "purpose"], "rows_changed": 2, "note": ""}
            else:
                action = "permission.delegate"
                data = {"code": objective.code, "delegate": "funzionario"}
        chain = body_id or 0
        position, prev = heads.get(chain, (0, services.GENESIS))
        position += 1
        payload = {
            "chain": chain,
            "position": position,
            "sequence": seq,
            "at": at.isoformat(),
            "actor": actor.username,
            "actor_id": actor.pk,
            "action": action,
            "object": f"{obj_type}:{obj_id}",
            "body": body_id,
            "plan": plan_id,
            "data": data,
        }
        digest = services.entry_hash(prev, services.canonical(payload))
        batch.append(
            AuditEntry(
                sequence=seq,
                chain=chain,
                position=position,
                at=at,
                actor_id=actor.pk,
                actor_name=actor.username,
                action=action,
                object_type=obj_type,
                object_id=obj_id,
                body_id=body_id,
                plan_id=plan_id,
                payload=payload,
                prev_hash=prev,
                hash=digest,
            )
        )
        heads[chain] = (position, digest)
        if len(batch) == 10_000:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)
    for chain, (count, digest) in heads.items():
        AuditHead.objects.update_or_create(chain=chain, defaults={"count": count, "hash": digest})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval('audit_entry_sequence', %s)", [n])


def query_times(revisore, body, n):
    print("\nchange-log query (selectors.change_log_page, 50 entries, newest first):")
    cursors = {"first page": {}, "middle page": {"after": n // 2}, "last page": {"before": 0}}
    for label, kwargs in cursors.items():
        samples = []
        for _ in range(20):
            start = time.perf_counter()
            page = selectors.change_log_page(revisore, body, selectors.LogFilters(), **kwargs)
            samples.append((time.perf_counter() - start) * 1000)
        print(
            f"  {label:<12} median {statistics.median(samples):6.1f} ms  ({len(page.entries)} entries, "
            f"{page.entries[0].sequence}…{page.entries[-1].sequence})"
        )


def page_times(client, urls, repeat):
    print(f"\nchange-log page (server time through the test client, {repeat} requests each):")
    print(f"  {'page':<44} {'p50':>8} {'p95':>8} {'queries':>8}")
    for label, url in urls:
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        samples.sort()
        p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
        print(
            f"  {label:<44} {statistics.median(samples):6.1f}ms {p95:6.1f}ms {len(ctx.captured_queries):>8}"
        )


def export_time(client):
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(reverse("audit:change_log_download", args=["csv"]))
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"\nfull CSV export: {rows - 1} entries, {size / 1e6:.0f} MB in {elapsed:.1f} s, "
        f"peak Python memory {peak / 1e6:.1f} MB"
    )


def run(n, repeat, export):
    body, other, plan, people, revisore, objectives = setup_data()
    timed(
        f"fill {n:,} chained entries".replace(",", "."),
        lambda: fill(n, body, other, plan, people, objectives),
    )
    ok, checked, message = timed("verify_audit", services.verify)
    print(f"  {message}")
    query_times(revisore, body, n)

    client = Client(HTTP_HOST="localhost")
    client.force_login(revisore)  # one more entry: the login
    log = reverse("audit:change_log")
    today = timezone.localdate()
    mid = n // 2
    urls = [
        ("first page", log),
        ("middle page (?dopo=n/2)", f"{log}?dopo={mid}"),
        ("last page (?prima=0)", f"{log}?prima=0"),
        ("first page, transitions only", f"{log}?azione=transition."),
        ("middle page, transitions only", f"{log}?azione=transition.&dopo={mid}"),
        ("middle page, one objective", f"{log}?obiettivo={objectives[7].pk}&dopo={mid}"),
        ("middle page, one user", f"{log}?utente={people[3].pk}&dopo={mid}"),
        (
            "a day six months ago",
            f"{log}?dal={today - dt.timedelta(days=182)}&al={today - dt.timedelta(days=182)}",
        ),
        ("last page, one plan and an action", f"{log}?piano={plan.pk}&azione=objective.update&prima=0"),
    ]
    page_times(client, urls, repeat)
    if export:
        export_time(client)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30, help="requests per page for p50/p95")
    parser.add_argument("--export", action="store_true", help="also stream the whole log as CSV")
    args = parser.parse_args()
    print(f"database: {connection.vendor}")
    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = "bench_audit_log"
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            run(args.entries, args.repeat, args.export)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    else:
        call_command("migrate", verbosity=0)
        print(f"SQLite file: {settings.DATABASES['default']['NAME']}")
        run(args.entries, args.repeat, args.export)


if __name__ == "__main__":
    main()
