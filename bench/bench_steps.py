"""How fast an objective moves: the real steps through the transition service, as the views call it.
Prints; never fails on slowness.

.venv/bin/python bench/bench_steps.py                     # a throwaway SQLite file
DATABASE_URL=postgres://... .venv/bin/python bench/bench_steps.py --db pg   # a throwaway database there
.venv/bin/python bench/bench_steps.py --rounds 5 --objectives 40 --no-pdf --no-batch
.venv/bin/python bench/bench_steps.py --worker            # the project side of side_by_side.py

Every step is ``flows.services.transitions.objective_transition`` called as the action view calls it:
the objective's id, the transition's name, the acting user fetched afresh for the call (no permission
cache carried over from an earlier step), the lock version the page showed, the form's cleaned data and
the uploads. Permission checks, history, step record, evidence log, notifications, and after commit the
push and the e-mails' task queued (settings.TASKS: a row in the database; the worker that sends them is
not timed) all happen as in a request. Each objective walks the whole path, 8 steps:
submit (its responsible dirigente), approve, close_consultation (Segreteria, early with a reason),
sign (the dirigente, then the Segretario Generale: login mode), adopt (with a small PDF act), transmit
(manual mode, with the portal's receipt), publish. Layer by layer over fresh objectives, like the anchors:
only the service call is timed; fetching the user and preparing the input are not.

What it prints:
- SQL statements per step, overall and per step kind (one untimed pass; BEGIN/SAVEPOINT included, as the
  anchors count them; "data" leaves them out);
- per round: steps/s, CPU ms per step, and wall ms per step kind;
- unless --no-pdf: the same path with the real WeasyPrint renders, the document to sign and the
  publication's attestation page (the other figures replace both with a stub that returns a small
  ready-made PDF: the renders are measured apart, their cost is WeasyPrint's, see bench_pdf.py);
- unless --no-batch: the real plan (51 objectives of the Provincia di Cremona) moved by
  ``objectives_batch_transition`` for approve, adopt, transmit and publish (and the close_consultation
  and Segretario's sign batches on the way), ms, CPU ms and statements of each call.

--worker speaks the protocol of ../shared/bench/anchor/README.md on stdin/stdout (logs on stderr): the
PDF render is stubbed unless --pdf is given.

--db pg reads DATABASE_URL as the settings do, and works in a database of its own on that server
(bench_steps_<pid>, created and dropped here; the evidence log's trigger forbids cleaning up rows).
"""

from __future__ import annotations

import argparse
import atexit
import gc
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
parser.add_argument("--rounds", type=int, default=3, help="timed rounds (default 3)")
parser.add_argument("--objectives", type=int, default=25, help="fresh objectives per round, x8 steps")
parser.add_argument("--count-objectives", type=int, default=3, help="objectives of the statement count")
parser.add_argument("--no-pdf", action="store_true", help="standalone: skip the run with the real PDF")
parser.add_argument("--pdf-objectives", type=int, default=3, help="objectives of the run with the real PDF")
parser.add_argument("--no-batch", action="store_true", help="standalone: skip the 51-objective batches")
parser.add_argument("--batch-rounds", type=int, default=1, help="times the 51-objective plan is moved")
parser.add_argument("--sql-log", help="write the statements of one objective's path here, step by step")
parser.add_argument("--json", help="standalone: write the figures here too")
parser.add_argument("--worker", action="store_true", help="speak the anchor protocol on stdin/stdout")
parser.add_argument("--pdf", action="store_true", help="worker: real PDF render instead of the stub")
args = parser.parse_args()

# In worker mode stdout carries the protocol only: everything else printed goes to stderr.
PROTOCOL = sys.stdout
if args.worker:
    sys.stdout = sys.stderr


def log(*parts) -> None:
    print(*parts, file=sys.stderr if args.worker else sys.stdout, flush=True)


workdir = tempfile.mkdtemp(prefix="bench-steps-")
atexit.register(shutil.rmtree, workdir, ignore_errors=True)
if args.db == "sqlite":
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
elif not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    raise SystemExit("--db pg: set DATABASE_URL=postgres://user:password@host:port/name")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# E-mails are built and handed to a backend as in production, kept in memory instead of sent.
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ.setdefault("MEDIA_ROOT", f"{workdir}/media")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False  # as in production: no query log kept in memory

from django.contrib.auth import get_user_model  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

User = get_user_model()


# --------------------------------------------------------------------------- database
def make_database() -> None:
    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = f"bench_steps_{os.getpid()}"
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, keepdb=False, serialize=False
        )
        atexit.register(lambda: connection.creation.destroy_test_db(old_name, verbosity=0))
    else:
        call_command("migrate", verbosity=0)


make_database()

from django_tasks_db.models import DBTaskResult  # noqa: E402

import approvals.attestation  # noqa: E402
import approvals.pdf  # noqa: E402
from flows.services.interchange import plan_import  # noqa: E402
from flows.services.memberships import membership_grant  # noqa: E402
from flows.services.transitions import objective_transition, objectives_batch_transition  # noqa: E402
from notifications.delivery import without_emails  # noqa: E402
from tests.factories import ObjectiveFactory, StrategicObjectiveFactory  # noqa: E402
from workflow.interchange import read_document  # noqa: E402
from workflow.management import demo_data as demo  # noqa: E402
from workflow.models import Body, Objective, Plan, Role, State  # noqa: E402


# --------------------------------------------------------------------------- the PDF render
def _small_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


ACT_PDF = _small_pdf()  # the adoption act each adopt uploads
STUB_PDF = approvals.pdf.ready_for_signatures(ACT_PDF)  # what the render returns: ready to be signed
REAL_RENDER = approvals.pdf.render_objectives_pdf
PDF = {"real": False}


def render_objectives_pdf(*, plan, objectives, title: str = "", generated_at=None):
    """The render the services call: WeasyPrint's when PDF["real"], else a small ready-made PDF with the
    real content hash and file name (so the document frozen inside the step matches the one prepared)."""
    if PDF["real"]:
        return REAL_RENDER(plan=plan, objectives=objectives, title=title, generated_at=generated_at)
    objectives = list(objectives)
    digest = approvals.pdf.content_hash(objectives)
    codes = objectives[0].code if len(objectives) == 1 else f"{len(objectives)}-obiettivi"
    filename = f"piao-{plan.year}-{plan.body.ipa_code}-{codes}-{digest[:8]}.pdf"
    return approvals.pdf.RenderedPdf(content=STUB_PDF, content_hash=digest, filename=filename)


def patch_render() -> list[str]:
    """Every module of the project holding the render (imported by name) gets the switchable one."""
    patched = []
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in {"approvals", "flows", "workflow", "notifications"}:
            if getattr(module, "render_objectives_pdf", None) is REAL_RENDER:
                module.render_objectives_pdf = render_objectives_pdf
                patched.append(name)
    return patched


PATCHED = patch_render()

# The publication renders the "Attestazione delle approvazioni" page with WeasyPrint too: the same switch.
REAL_ATTESTATION = approvals.attestation.attestation_pdf


def attestation_pdf(**kwargs) -> bytes:
    return REAL_ATTESTATION(**kwargs) if PDF["real"] else ACT_PDF


approvals.attestation.attestation_pdf = attestation_pdf
PATCHED.append("approvals.attestation")


# --------------------------------------------------------------------------- input of each step
COMMENT = "Nota del passaggio"
# What each action form's cleaned_data holds (the view passes form.cleaned_data, and request.FILES).
INPUT = {
    "submit": {"comment": COMMENT},
    "approve": {"comment": COMMENT},
    "close_consultation": {
        "outcome": "",
        "summary": "",
        "early_reason": demo.EARLY_CLOSE_REASON,
        "comment": COMMENT,
    },
    "sign": {"confirm": True, "signed_pdf": None, "comment": COMMENT},
    "adopt": {**demo.ACT, "comment": COMMENT},
    "transmit": {**demo.RECEIPT, "receipt_file": None, "comment": COMMENT},
    "publish": {**demo.PUBLICATION, "comment": COMMENT},
}


def files_for(name: str) -> dict:
    if name == "adopt":
        return {"act_file": SimpleUploadedFile("atto.pdf", ACT_PDF, content_type="application/pdf")}
    return {}


# The path: (transition, who). "responsible" is the objective's responsible dirigente.
PATH = [
    ("submit", "responsible"),
    ("approve", "segreteria"),
    ("close_consultation", "segreteria"),
    ("sign", "responsible"),
    ("sign", "segretario"),
    ("adopt", "segreteria"),
    ("transmit", "segreteria"),
    ("publish", "segreteria"),
]
KINDS = list(dict.fromkeys(name for name, _ in PATH))
BATCHES = ["approve", "close_consultation", "sign", "adopt", "transmit", "publish"]
TIMED_BATCHES = ["approve", "adopt", "transmit", "publish"]


# --------------------------------------------------------------------------- data
def people_for(body: Body, suffix: str = "") -> dict[str, int]:
    """The demo's people (the six real dirigenti, Segreteria, Segretario, ...) as members of ``body``."""
    admin, _ = User.objects.get_or_create(username="root", defaults={"is_superuser": True, "is_staff": True})
    pks = {}
    for p in demo.PEOPLE:
        username = p["username"] + suffix
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": p["first_name"],
                "last_name": p["last_name"],
                "email": f"{username}@example.org",
            },
        )
        membership_grant(
            by=admin, user=user, body=body, role=p["role"], responsibility_center=p.get("center", "")
        )
        pks[p["username"]] = user.pk
    return pks


class World:
    """One body with the demo's people and a plan; each round adds fresh complete drafts to it."""

    def __init__(self):
        self.body = Body.objects.create(name=demo.BODY["name"], ipa_code=demo.BODY["ipa_code"])
        self.plan = Plan.objects.create(body=self.body, **demo.PLAN)
        self.strategic = StrategicObjectiveFactory(plan=self.plan)
        self.people = people_for(self.body)
        self.dirigenti = [self.people[p["username"]] for p in demo.PEOPLE if p["role"] == Role.DIRIGENTE]
        self.made = 0

    def fresh(self, n: int) -> list[dict]:
        """``n`` complete drafts (two phases, one indicator), their responsibles taking turns."""
        items = []
        for _ in range(n):
            self.made += 1
            responsible = User.objects.get(pk=self.dirigenti[self.made % len(self.dirigenti)])
            o = ObjectiveFactory(
                plan=self.plan,
                strategic_objective=self.strategic,
                responsible=responsible,
                code=f"2023_B{self.made:05d}",
                title=f"Obiettivo del banco {self.made}",
            )
            items.append({"pk": o.pk, "responsible": responsible.pk, "lock_version": o.lock_version})
        return items


def actor(world_people: dict, item: dict, who: str):
    pk = item["responsible"] if who == "responsible" else world_people[who]
    return User.objects.get(pk=pk)  # fresh: no permission cache carried from an earlier step


# --------------------------------------------------------------------------- counting and timing
class Counter:
    """Every statement sent to the database (execute and executemany), through Django's wrapper."""

    def __init__(self, keep=False):
        self.statements: list[str] = []
        self.n = 0
        self.keep = keep

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        if self.keep:
            self.statements.append(sql)
        return execute(sql, params, many, context)


CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def call_step(people, item, name, who):
    """One step as the action view makes it; returns the moved objective."""
    user = actor(people, item, who)
    data, files = dict(INPUT[name]), files_for(name)

    def run():
        moved = objective_transition(
            objective_id=item["pk"],
            name=name,
            by=user,
            lock_version=item["lock_version"],
            data=data,
            files=files,
        )
        item["lock_version"] = moved.lock_version
        return moved

    return run


def drive(people, items, *, sink):
    """The path, layer by layer over ``items``; ``sink(kind, run)`` makes each call."""
    for name, who in PATH:
        for index, item in enumerate(items):
            sink(name, call_step(people, item, name, who), first=index == 0)


def check_published(items) -> None:
    states = set(Objective.objects.filter(pk__in=[i["pk"] for i in items]).values_list("state", flat=True))
    if states != {State.PUBLISHED}:
        raise SystemExit(f"the path did not end in publication: states {sorted(states)}")


def count_pass(world, n, sql_log=None) -> dict:
    """Untimed, after one objective's path as a warm-up: the statements of every step, per kind."""
    warm = world.fresh(1)
    drive(world.people, warm, sink=lambda kind, run, first: run())
    items = world.fresh(n)
    per_kind: dict[str, list[int]] = {k: [] for k in KINDS}
    per_kind_data: dict[str, list[int]] = {k: [] for k in KINDS}
    log_lines = []

    def sink(kind, run, first):
        counter = Counter(keep=True)
        with connection.execute_wrapper(counter):
            run()
        per_kind[kind].append(counter.n)
        per_kind_data[kind].append(
            sum(1 for s in counter.statements if not s.lstrip().upper().startswith(CONTROL))
        )
        if first and sql_log:  # the path of the first objective
            log_lines.append(
                f"=== {kind}: {counter.n} statements\n" + "\n".join(s[:400] for s in counter.statements)
            )

    drive(world.people, items, sink=sink)
    check_published(items)
    if sql_log:
        Path(sql_log).write_text("\n".join(log_lines) + "\n")
    everything = [c for k in KINDS for c in per_kind[k]]
    data = [c for k in KINDS for c in per_kind_data[k]]
    return {
        "per_step": statistics.mean(everything),
        "per_step_data": statistics.mean(data),
        "per_kind": {k: (min(v), max(v), statistics.mean(v)) for k, v in per_kind.items()},
        "per_kind_data": {k: (min(v), max(v), statistics.mean(v)) for k, v in per_kind_data.items()},
    }


def timed_round(world, n) -> dict:
    items = world.fresh(n)
    mail.outbox = []
    queued_before = DBTaskResult.objects.count()
    durations, cpu = [], []
    per_kind: dict[str, list[float]] = {k: [] for k in KINDS}
    per_kind_cpu: dict[str, list[float]] = {k: [] for k in KINDS}

    def sink(kind, run, first):
        c0 = time.process_time()
        t0 = time.perf_counter()
        run()
        d = time.perf_counter() - t0
        c = time.process_time() - c0
        durations.append(d)
        cpu.append(c)
        per_kind[kind].append(d)
        per_kind_cpu[kind].append(c)

    gc.collect()
    drive(world.people, items, sink=sink)
    check_published(items)
    total = sum(durations)
    return {
        "steps": len(durations),
        "steps_per_s": len(durations) / total,
        "cpu_ms_per_step": 1000 * sum(cpu) / len(cpu),
        "ms_per_kind": {k: 1000 * statistics.mean(v) for k, v in per_kind.items()},
        "cpu_ms_per_kind": {k: 1000 * statistics.mean(v) for k, v in per_kind_cpu.items()},
        "emails": len(getattr(mail, "outbox", [])),
        "email_tasks": DBTaskResult.objects.count() - queued_before,
    }


# --------------------------------------------------------------------------- the 51-objective batches
def real_plan(suffix: str):
    """A body of its own with the demo's people, and the real plan imported (51 objectives, each linked to
    its responsible dirigente)."""
    body = Body.objects.create(name=f"{demo.BODY['name']} {suffix}", ipa_code=f"pcr{suffix}")
    people = people_for(body, suffix=f"_{suffix}")
    document, warnings = read_document(demo.REPORT.read_bytes(), "report", demo.PLAN["year"])
    plan_import(
        by=None,
        body=body,
        year=demo.PLAN["year"],
        document=document,
        source=demo.REPORT.name,
        warnings=warnings,
    )
    objectives = list(Objective.objects.filter(plan__body=body).order_by("id"))
    unlinked = [o.code for o in objectives if o.responsible_id is None]
    if unlinked:
        raise SystemExit(f"the import left objectives without a responsible: {unlinked}")
    items = [
        {"pk": o.pk, "responsible": o.responsible_id, "lock_version": o.lock_version} for o in objectives
    ]
    return people, items


def batch_round(r: int) -> dict:
    people, items = real_plan(str(r))
    ids = [i["pk"] for i in items]
    figures = {"objectives": len(ids)}

    def singles(name, who):
        versions = dict(Objective.objects.filter(pk__in=ids).values_list("pk", "lock_version"))
        for item in items:
            item["lock_version"] = versions[item["pk"]]
        with without_emails():
            for item in items:
                call_step(people, item, name, who)()

    def batch(name):
        user = User.objects.get(pk=people["segretario" if name == "sign" else "segreteria"])
        data, files = dict(INPUT[name]), files_for(name)
        versions = dict(Objective.objects.filter(pk__in=ids).values_list("pk", "lock_version"))
        mail.outbox = []
        counter = Counter()
        gc.collect()
        with connection.execute_wrapper(counter):
            c0 = time.process_time()
            t0 = time.perf_counter()
            objectives_batch_transition(
                objective_ids=ids, name=name, by=user, data=data, files=files, lock_versions=versions
            )
            ms = 1000 * (time.perf_counter() - t0)
            cpu = 1000 * (time.process_time() - c0)
        figures[name] = {
            "ms": ms,
            "cpu_ms": cpu,
            "statements": counter.n,
            "per_objective": counter.n / len(ids),
        }

    singles("submit", "responsible")
    batch("approve")
    batch("close_consultation")
    singles("sign", "responsible")
    batch("sign")
    batch("adopt")
    batch("transmit")
    batch("publish")
    check_published(items)
    return figures


# --------------------------------------------------------------------------- output
def machine() -> dict:
    info = {
        "python": platform.python_version(),
        "django": django.get_version(),
        "db": connection.vendor,
        "cpus": os.cpu_count(),
        "load": round(os.getloadavg()[0], 1),
        "machine": platform.machine(),
    }
    if connection.vendor == "sqlite":
        import sqlite3

        info["sqlite"] = sqlite3.sqlite_version
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            info["postgresql"] = cursor.fetchone()[0]
    return info


def span(t) -> str:
    low, high, mean = t
    return f"{low}" if low == high else f"{low}–{high} (mean {mean:.1f})"


def worker(world) -> None:
    PDF["real"] = args.pdf
    counts = count_pass(world, args.count_objectives)
    log(
        f"project worker ready ({machine()}); statements per step {counts['per_step']:.1f}, "
        f"per kind {json.dumps({k: v[2] for k, v in counts['per_kind'].items()})}"
    )
    PROTOCOL.write(json.dumps({"ready": True, "statements_per_step": counts["per_step"]}) + "\n")
    PROTOCOL.flush()
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "quit":
            break
        result = timed_round(world, args.objectives)
        log(
            f"project round {command[1:]}: {result['steps_per_s']:.1f} steps/s, "
            f"{result['cpu_ms_per_step']:.2f} ms CPU per step"
        )
        PROTOCOL.write(
            json.dumps({"steps_per_s": result["steps_per_s"], "cpu_ms_per_step": result["cpu_ms_per_step"]})
            + "\n"
        )
        PROTOCOL.flush()


def standalone(world) -> None:
    out: dict = {"machine": machine(), "patched": PATCHED}
    log(f"machine: {json.dumps(out['machine'])}")
    log(f"render stub in: {', '.join(PATCHED) or 'nothing (render not found!)'}")
    counts = count_pass(world, args.count_objectives, sql_log=args.sql_log)
    out["statements"] = counts
    log(
        f"\nSQL statements per step: {counts['per_step']:.1f} ({counts['per_step_data']:.1f} without "
        f"BEGIN/SAVEPOINT/RELEASE)"
    )
    for kind in KINDS:
        log(f"  {kind:<20} {span(counts['per_kind'][kind]):>20}   data {span(counts['per_kind_data'][kind])}")

    log(
        f"\nsteps without the PDF render: {args.rounds} rounds x {args.objectives} objectives "
        f"x {len(PATH)} steps"
    )
    rounds = []
    for r in range(1, args.rounds + 1):
        result = timed_round(world, args.objectives)
        rounds.append(result)
        log(
            f"  round {r}: {result['steps_per_s']:6.1f} steps/s  "
            f"{result['cpu_ms_per_step']:6.2f} ms CPU/step  "
            f"({result['email_tasks']} e-mail tasks queued, {result['emails']} e-mails built in the step)"
        )
    med = statistics.median
    out["rounds"] = rounds
    out["steps_per_s"] = med(x["steps_per_s"] for x in rounds)
    out["cpu_ms_per_step"] = med(x["cpu_ms_per_step"] for x in rounds)
    log(f"  median: {out['steps_per_s']:.1f} steps/s, {out['cpu_ms_per_step']:.2f} ms CPU per step")
    log(f"  {'kind':<20} {'wall ms':>8} {'CPU ms':>8}   (medians over rounds)")
    for kind in KINDS:
        log(
            f"  {kind:<20} {med(x['ms_per_kind'][kind] for x in rounds):8.2f} "
            f"{med(x['cpu_ms_per_kind'][kind] for x in rounds):8.2f}"
        )

    if not args.no_pdf:
        PDF["real"] = True
        try:
            log(f"\nsteps with the real PDF render: {args.pdf_objectives} objectives x {len(PATH)} steps")
            result = timed_round(world, args.pdf_objectives)
        finally:
            PDF["real"] = False
        out["with_pdf"] = result
        log(
            f"  {result['steps_per_s']:.1f} steps/s, {result['cpu_ms_per_step']:.2f} ms CPU per step; "
            f"close_consultation {result['ms_per_kind']['close_consultation']:.0f} ms "
            f"({result['cpu_ms_per_kind']['close_consultation']:.0f} ms CPU)"
        )

    if not args.no_batch:
        log("\nbatches of the real plan (objectives_batch_transition, one call each, without the PDF render)")
        out["batches"] = []
        for r in range(1, args.batch_rounds + 1):
            figures = batch_round(r)
            out["batches"].append(figures)
            log(f"  round {r}: {figures['objectives']} objectives")
            for name in BATCHES:
                f = figures[name]
                mark = "" if name in TIMED_BATCHES else "   (on the way)"
                log(
                    f"    {name:<20} {f['ms']:8.0f} ms {f['cpu_ms']:8.0f} ms CPU "
                    f"{f['statements']:6d} statements "
                    f"({f['per_objective']:.1f} per objective){mark}"
                )
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


def main() -> None:
    with without_emails():
        world = World()
    if args.worker:
        worker(world)
    else:
        standalone(world)


main()
