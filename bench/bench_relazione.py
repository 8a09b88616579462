"""How long the Relazione sulla performance takes to build on the real plan, and how big it is: its data
(workflow.relazione), its PDF/A with the data attached (approvals.relazione_pdf), and the seal at
publication. Prints the figures; never fails on slowness.

.venv/bin/python bench/bench_relazione.py                 # a throwaway SQLite file
.venv/bin/python bench/bench_relazione.py --runs 5

The data: ``seed_demo`` (the Provincia di Cremona, its real PIAO 2023-2025 section 2.2, 51 objectives, of
which 16 published and reported through the final period), then, to measure the Relazione of the whole
plan, every other objective marked published (a shortcut of the set-up only: the approval path is not
what this bench measures) and its final report filled in, checked and validated with the demo's own
helpers (workflow/management/commands/_seed_monitoring.py). Timed: the data of the Relazione of all 51,
its render, and the seal with a throwaway certificate.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--runs", type=int, default=3, help="timed renders (default 3)")
args = parser.parse_args()

workdir = tempfile.mkdtemp(prefix="bench-relazione-")
atexit.register(shutil.rmtree, workdir, ignore_errors=True)
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

call_command("migrate", verbosity=0)
started = time.perf_counter()
call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
seeded = time.perf_counter() - started

from approvals import relazione_pdf  # noqa: E402
from flows.services import monitoring  # noqa: E402
from notifications.delivery import without_emails  # noqa: E402
from workflow import relazione as relazione_data  # noqa: E402
from workflow.management.commands._seed_monitoring import MonitoringWalk  # noqa: E402
from workflow.models import Membership, Plan, ProgressReport, State  # noqa: E402

plan = Plan.objects.get(body__ipa_code="p_cr", year=2023)
people = {m.user.username: m.user for m in Membership.objects.filter(body=plan.body).select_related("user")}
walk = MonitoringWalk(plan, {"segreteria": people["segreteria"], "revisore": people["revisore"]})

started = time.perf_counter()
with without_emails():
    plan.objectives.exclude(state=State.PUBLISHED).update(state=State.PUBLISHED)
    final = relazione_data.final_period(plan)
    opened = monitoring.reports_open(period=final, by=people["segreteria"])
    reports = list(
        ProgressReport.objects.filter(pk__in=[r.pk for r in opened]).select_related(
            "objective__responsible", "period"
        )
    )
    ids = []
    for report in reports:
        if report.objective.responsible_id is None:
            continue  # a centro without an account in the demo: left "not reported", as a real one would be
        walk._report(report, final.reference_date, final=True)
        ids.append(report.pk)
    if ids:
        monitoring.reports_batch_transition(report_ids=ids, name="check", by=people["segreteria"])
    for report in ProgressReport.objects.filter(pk__in=ids):
        walk._validate(report, {})
completed = time.perf_counter() - started


def timed(fn):
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, (time.perf_counter() - start_wall) * 1000, (time.process_time() - start_cpu) * 1000


data, data_ms, _ = timed(lambda: relazione_data.relazione_data(plan, generated_at=timezone.now()))
renders = []
for _ in range(max(1, args.runs)):
    rendered, wall, cpu = timed(lambda: relazione_pdf.render(data))
    renders.append((wall, cpu))

from approvals import seal  # noqa: E402
from tests import pki  # noqa: E402  (a throwaway certificate, as the tests make them)

authority = pki.authority("CA di prova del bench")
material = seal.read_pkcs12(authority.seal_pkcs12("Provincia di Cremona"), "segreto", now=timezone.now())
_, seal_ms, _ = timed(
    lambda: seal.seal_pdf(
        rendered.content,
        certificates_pem=material.certificates_pem,
        encrypted_key=material.encrypted_key,
        reason="bench",
        location="bench",
    )
)

totals = data["totals"]
print(
    f"seed_demo: {seeded:.1f} s; the other objectives' final reports filled and validated: {completed:.1f} s"
)
print(
    f"Relazione {plan.year} of {plan.body.name}: {totals['objectives']} objectives, {totals['validated']} "
    f"validated, {totals['not_validated']} not validated, {totals['not_reported']} not reported; overall "
    f"{totals['overall_score']['value'] if totals['overall_score'] else '—'} %"
)
print(f"data: {data_ms:.0f} ms; JSON {len(relazione_data.open_data_json(data)) / 1024:.0f} KB")
walls = [w for w, _ in renders]
print(
    f"PDF/A: {rendered.pages} pages, {len(rendered.content) / 1024:.0f} KB; render p50 "
    f"{statistics.median(walls):.0f} ms (CPU {statistics.median(c for _, c in renders):.0f} ms), "
    f"{len(renders)} runs"
)
print(f"seal (PAdES B-B, ECDSA P-256 test key): {seal_ms:.0f} ms")
print(f"machine: {os.cpu_count()} CPU, load {os.getloadavg()[0]:.2f}")
