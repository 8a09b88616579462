"""How long rendering the PDF to sign takes: the whole real plan (51 objectives) and one objective, the
first render in a process (fonts loaded) and the following ones. Prints; never fails.

.venv/bin/python bench/bench_pdf.py                 # a throwaway SQLite file
.venv/bin/python bench/bench_pdf.py --out /tmp/piao.pdf   # also keep the whole plan's PDF to look at
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="bench-pdf-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from approvals.pdf import render_objectives_pdf  # noqa: E402
from flows.services.interchange import body_for_import, plan_import  # noqa: E402
from workflow.interchange import read_document  # noqa: E402
from workflow.models import Plan  # noqa: E402

REPORT = ROOT / "workflow" / "data" / "piao-2023-sez-2-2-provincia-cremona.txt"


def timed(func):
    start = time.perf_counter()
    result = func()
    return result, (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    document, warnings = read_document(REPORT.read_bytes(), "report", 2023)
    body = body_for_import(name="Provincia di Cremona", ipa_code="p_cr")
    plan_import(by=None, body=body, year=2023, document=document, source=REPORT.name)
    plan = Plan.objects.get(body=body, year=2023)

    def objectives(limit=None):
        qs = plan.objectives.select_related("strategic_objective", "responsible").prefetch_related(
            "phases", "indicators", "dup_links"
        )
        return list(qs[:limit] if limit else qs)

    for label, limit in (("one objective", 1), ("whole plan (51 objectives)", None)):
        times = []
        pdf = None
        for n in range(args.repeat):
            pdf, ms = timed(
                lambda limit=limit: render_objectives_pdf(plan=plan, objectives=objectives(limit))
            )
            times.append(ms)
            if n == 0:
                print(f"{label}: first render {ms:.0f} ms")
        rest = times[1:] or times
        print(
            f"{label}: median of the next {len(rest)} renders {statistics.median(rest):.0f} ms, "
            f"{len(pdf.content) / 1024:.0f} KiB"
        )
        if args.out and limit is None:
            Path(args.out).write_bytes(pdf.content)
            print(f"  written to {args.out}")


if __name__ == "__main__":
    main()
