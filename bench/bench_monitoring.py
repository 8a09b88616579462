"""How fast the monitoring's pages open on the real plan: the plan dashboard and a report page, each
requested N times with the Django test client (the whole request: middleware, the page's reads, the
template). Prints p50 and p95 in ms and the statements of one request; never fails on slowness.

.venv/bin/python bench/bench_monitoring.py                        # a throwaway SQLite file
.venv/bin/python bench/bench_monitoring.py --requests 100
.venv/bin/python bench/bench_monitoring.py --reuse /tmp/monitoring.sqlite3   # build once, time many times
DATABASE_URL=postgres://... .venv/bin/python bench/bench_monitoring.py --db pg   # a database of its own there

The data, built through the services as people would (only the PDF render of the document to sign is
replaced by a small ready-made PDF, as in bench_steps.py): the Provincia di Cremona with the demo's people,
its real PIAO 2023-2025 section 2.2 (workflow/data/piao-2023-sez-2-2-provincia-cremona.txt, 51 objectives)
imported by flows.services.interchange.plan_import, every objective walked to publication by the batch
steps (``seed_demo`` publishes only a few, so it is not used), the two default periods, and the
intermediate period's reports opened and filled by their dirigenti: about two thirds sent, half of those
checked by the Segreteria and a third validated by the NIV/OIV (one with an adjusted score).

The machine's load is printed with the figures: p95 moves with what else runs; the CPU time of the
process (its p50) much less.

What is timed: GET of workflow:plan_dashboard for the intermediate period (as the Segreteria), once for
the default section choices and once for each strategic objective's phases; GET of workflow:report_detail
of the report with the most phases and indicators (as its dirigente). A report page still answering with
the placeholder (404) is left out, and the output says so.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
parser.add_argument("--requests", type=int, default=40, help="timed requests per page (default 40)")
parser.add_argument("--reuse", help="SQLite file: built there when missing, reused as it is otherwise")
args = parser.parse_args()

workdir = tempfile.mkdtemp(prefix="bench-monitoring-")
atexit.register(shutil.rmtree, workdir, ignore_errors=True)
REUSED = False
if args.db == "sqlite":
    path = Path(args.reuse).resolve() if args.reuse else Path(workdir) / "bench.sqlite3"
    REUSED = path.exists()
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
elif not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    raise SystemExit("--db pg: set DATABASE_URL=postgres://user:password@host:port/name")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ.setdefault("MEDIA_ROOT", f"{workdir}/media")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False  # as in production: no query log kept in memory
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

User = get_user_model()


def make_database() -> None:
    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = f"bench_monitoring_{os.getpid()}"
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, keepdb=False, serialize=False
        )
        atexit.register(lambda: connection.creation.destroy_test_db(old_name, verbosity=0))
    else:
        call_command("migrate", verbosity=0)


make_database()

import approvals.pdf  # noqa: E402
from flows.services import monitoring  # noqa: E402
from flows.services.interchange import plan_import  # noqa: E402
from flows.services.memberships import membership_grant  # noqa: E402
from flows.services.transitions import objective_transition, objectives_batch_transition  # noqa: E402
from notifications.delivery import without_emails  # noqa: E402
from workflow.interchange import read_document  # noqa: E402
from workflow.management import demo_data as demo  # noqa: E402
from workflow.models import Body, Objective, Plan, Polarity, ProgressReport, State  # noqa: E402
from workflow.views.monitoring import reports as report_views  # noqa: E402

IPA = "p_cr_bench_mon"


# --------------------------------------------------------------------------- the PDF render
def _small_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


ACT_PDF = _small_pdf()
STUB_PDF = approvals.pdf.ready_for_signatures(ACT_PDF)
REAL_RENDER = approvals.pdf.render_objectives_pdf


def render_objectives_pdf(*, plan, objectives, title: str = "", generated_at=None):
    """A small ready-made PDF with the real content hash and file name: the document to sign is not what
    this bench measures (bench_pdf.py does)."""
    objectives = list(objectives)
    digest = approvals.pdf.content_hash(objectives)
    codes = objectives[0].code if len(objectives) == 1 else f"{len(objectives)}-obiettivi"
    filename = f"piao-{plan.year}-{plan.body.ipa_code}-{codes}-{digest[:8]}.pdf"
    return approvals.pdf.RenderedPdf(content=STUB_PDF, content_hash=digest, filename=filename)


for _name, _module in list(sys.modules.items()):
    if _name.split(".")[0] in {"approvals", "flows", "workflow", "notifications"}:
        if getattr(_module, "render_objectives_pdf", None) is REAL_RENDER:
            _module.render_objectives_pdf = render_objectives_pdf


# --------------------------------------------------------------------------- the data
def people_for(body: Body) -> dict[str, User]:
    admin, _ = User.objects.get_or_create(username="root", defaults={"is_superuser": True, "is_staff": True})
    people = {}
    for p in demo.PEOPLE:
        user, _ = User.objects.get_or_create(
            username=p["username"],
            defaults={"first_name": p["first_name"], "last_name": p["last_name"], "email": "x@example.org"},
        )
        membership_grant(
            by=admin, user=user, body=body, role=p["role"], responsibility_center=p.get("center", "")
        )
        people[p["username"]] = user
    return people


def fresh(user):
    return User.objects.get(pk=user.pk)  # no permission cache carried over


def publish_all(plan: Plan, people: dict) -> int:
    ids = list(Objective.objects.filter(plan=plan).order_by("pk").values_list("pk", flat=True))
    segreteria, segretario = fresh(people["segreteria"]), fresh(people["segretario"])
    for objective in Objective.objects.filter(pk__in=ids).select_related("responsible"):
        objective_transition(objective_id=objective.pk, name="submit", by=fresh(objective.responsible))
    objectives_batch_transition(objective_ids=ids, name="approve", by=segreteria)
    objectives_batch_transition(
        objective_ids=ids,
        name="close_consultation",
        by=segreteria,
        data={"early_reason": demo.EARLY_CLOSE_REASON},
    )
    for objective in Objective.objects.filter(pk__in=ids).select_related("responsible"):
        if objective.state == State.SIGNATURE:
            objective_transition(
                objective_id=objective.pk,
                name="sign",
                by=fresh(objective.responsible),
                data={"confirm": True},
            )
    pending = list(Objective.objects.filter(pk__in=ids, state=State.SIGNATURE).values_list("pk", flat=True))
    if pending:
        objectives_batch_transition(objective_ids=pending, name="sign", by=segretario, data={"confirm": True})
    act = SimpleUploadedFile("atto.pdf", ACT_PDF, content_type="application/pdf")
    objectives_batch_transition(
        objective_ids=ids, name="adopt", by=segreteria, data=demo.ACT, files={"act_file": act}
    )
    objectives_batch_transition(objective_ids=ids, name="transmit", by=segreteria, data=demo.RECEIPT)
    objectives_batch_transition(objective_ids=ids, name="publish", by=segreteria, data=demo.PUBLICATION)
    return Objective.objects.filter(pk__in=ids, state=State.PUBLISHED).count()


def measure_of(indicator, k: int) -> dict:
    """A plausible value: between 40 % and 110 % of the target, done or not, text where there is none."""
    factor = Decimal(40 + (k * 37) % 71) / 100
    if indicator.polarity == Polarity.BINARY:
        return {"value": Decimal(k % 4 != 0), "source": "Atti d'ufficio"}
    if indicator.target_1 is None:
        return {"text_value": "Attività svolta come da cronoprogramma", "source": "Relazione del settore"}
    target = Decimal(indicator.target_1)
    value = target * factor if indicator.polarity != Polarity.LOWER else target / max(factor, Decimal("0.5"))
    return {"value": value.quantize(Decimal("0.01")), "source": "Sistema informativo dell'ente"}


def step(report, name: str, who, **data) -> None:
    current = ProgressReport.objects.get(pk=report.pk)
    monitoring.report_transition(
        report_id=report.pk, name=name, by=who, lock_version=current.lock_version, data=data
    )


def fill_reports(period, people: dict) -> dict[str, int]:
    segreteria, revisore = fresh(people["segreteria"]), fresh(people["revisore"])
    reports = list(
        ProgressReport.objects.filter(period=period)
        .select_related("objective__responsible")
        .prefetch_related("objective__phases", "objective__indicators")
        .order_by("objective__code")
    )
    figures = {"filled": 0, "submitted": 0, "checked": 0, "validated": 0}
    for k, report in enumerate(reports):
        if k % 10 == 9:
            continue  # one in ten still untouched
        by = fresh(report.objective.responsible)
        phases = {}
        for n, phase in enumerate(report.objective.phases.all()):
            percent = Decimal((k * 13 + n * 29) % 101)
            phases[phase.pk] = {
                "percent": percent,
                "status": "done" if percent == 100 else "late" if (k + n) % 5 == 0 else "on_track",
                "actual_start": phase.start,
                "actual_end": phase.end if percent == 100 else None,
            }
        measures = {i.pk: measure_of(i, k + n) for n, i in enumerate(report.objective.indicators.all())}
        current = ProgressReport.objects.get(pk=report.pk)
        monitoring.report_save(
            report_id=report.pk,
            by=by,
            lock_version=current.lock_version,
            explanation="Alcune fasi in ritardo per i tempi delle gare; recupero previsto entro l'anno.",
            phases=phases,
            measures=measures,
        )
        figures["filled"] += 1

        if k % 3 == 2:
            continue  # filled, not sent
        step(report, "submit", by)
        figures["submitted"] += 1
        if k % 2:
            continue
        step(report, "check", segreteria)
        figures["checked"] += 1
        if k % 3:
            continue
        extra = {"adjusted_score": "85", "adjustment_reason": "Evidenze parziali"} if k == 0 else {}
        step(report, "validate", revisore, **extra)
        figures["validated"] += 1
    return figures


def build() -> tuple[Plan, dict]:
    t0 = time.perf_counter()
    body = Body.objects.create(name=demo.BODY["name"], ipa_code=IPA)
    people = people_for(body)
    document, warnings = read_document(demo.REPORT.read_bytes(), "report", demo.PLAN["year"])
    plan_import(
        by=None,
        body=body,
        year=demo.PLAN["year"],
        document=document,
        source=demo.REPORT.name,
        warnings=warnings,
    )
    plan = Plan.objects.get(body=body, year=demo.PLAN["year"])
    unlinked = list(Objective.objects.filter(plan=plan, responsible=None).values_list("code", flat=True))
    if unlinked:
        raise SystemExit(f"the import left objectives without a responsible: {unlinked}")
    published = publish_all(plan, people)
    print(f"  {published} objectives published ({time.perf_counter() - t0:.0f} s so far)", flush=True)
    periods = monitoring.periods_create_default(plan=plan, by=fresh(people["segreteria"]))
    monitoring.reports_open(period=periods[0], by=fresh(people["segreteria"]))
    figures = fill_reports(periods[0], people)
    print(
        f"  intermediate period: {figures['filled']} reports filled, {figures['submitted']} sent, "
        f"{figures['checked']} checked, {figures['validated']} validated ({time.perf_counter() - t0:.0f} s)",
        flush=True,
    )
    return plan, people


# --------------------------------------------------------------------------- timing
class Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def timed(client: Client, address: str, n: int) -> dict:
    response = client.get(address)  # warm-up: templates compiled, caches filled
    if response.status_code != 200:
        return {"status": response.status_code}
    counter = Counter()
    with connection.execute_wrapper(counter):
        client.get(address)
    durations, cpu = [], []
    gc.collect()
    for _ in range(n):
        c0 = time.process_time()
        t0 = time.perf_counter()
        response = client.get(address)
        durations.append(1000 * (time.perf_counter() - t0))
        cpu.append(1000 * (time.process_time() - c0))
        assert response.status_code == 200  # noqa: S101 - a page that breaks midway is not a figure
    durations.sort()
    return {
        "status": 200,
        "p50": statistics.median(durations),
        "p95": durations[max(0, round(0.95 * len(durations)) - 1)],
        "cpu_p50": statistics.median(cpu),
        "statements": counter.n,
        "kb": len(response.content) / 1024,
    }


def show(label: str, figures: dict) -> None:
    if figures["status"] != 200:
        print(f"  {label:<58} answered {figures['status']}: not timed")
        return
    print(
        f"  {label:<58} p50 {figures['p50']:6.1f} ms  p95 {figures['p95']:6.1f} ms  "
        f"(CPU p50 {figures['cpu_p50']:6.1f} ms)  "
        f"{figures['statements']:3d} statements   {figures['kb']:6.0f} kB"
    )


def main() -> None:
    if REUSED and Body.objects.filter(ipa_code=IPA).exists():
        plan = Plan.objects.get(body__ipa_code=IPA, year=demo.PLAN["year"])
        people = {p["username"]: User.objects.get(username=p["username"]) for p in demo.PEOPLE}
        print(f"reusing {os.environ['DATABASE_URL']}")
    else:
        print("building the real plan's monitoring (import, publication, reports)...", flush=True)
        with without_emails(), transaction.atomic():  # all or nothing: a file to reuse is complete
            plan, people = build()
    period = plan.monitoring_periods.order_by("reference_date").first()
    reports = ProgressReport.objects.filter(period=period)
    print(
        f"\nload {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
        f"{connection.vendor}, Django {django.get_version()}, {plan.objectives.count()} objectives, "
        f"{reports.count()} reports in «{period.name}»; {args.requests} requests per page"
    )

    client = Client()
    client.force_login(people["segreteria"])
    dashboard = reverse("workflow:plan_dashboard", args=[plan.year]) + f"?periodo={period.pk}"
    show("plan dashboard (default choices)", timed(client, dashboard, args.requests))
    show("plan dashboard, solo validate", timed(client, dashboard + "&solo_validate=1", args.requests))
    for strategic in plan.strategic_objectives.order_by("code"):
        n = plan.objectives.filter(strategic_objective=strategic).count()
        show(
            f"plan dashboard, phases of {strategic.code} ({n} objectives)",
            timed(client, f"{dashboard}&gruppo=os:{strategic.pk}", max(5, args.requests // 4)),
        )

    if getattr(report_views.report_detail, "__name__", "") == "_todo":
        print("  report page: still a placeholder in workflow/views/monitoring/reports.py, not timed")
        return
    biggest = max(
        reports.select_related("objective__responsible"),
        key=lambda r: r.objective.phases.count() + r.objective.indicators.count(),
    )
    client = Client()
    client.force_login(biggest.objective.responsible)
    show(
        f"report page {biggest.objective.code} ({biggest.get_state_display()})",
        timed(client, reverse("workflow:report_detail", args=[biggest.pk]), args.requests),
    )


main()
