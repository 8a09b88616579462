"""How long importing the real report takes: parse + one-transaction import into an empty database,
then the same report again (nothing to change). Prints; never fails.

.venv/bin/python bench/bench_import.py             # a throwaway SQLite file
DATABASE_URL=postgres://... .venv/bin/python bench/bench_import.py   # an empty PostgreSQL database
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="bench-import-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from flows.services.interchange import body_for_import, plan_import  # noqa: E402
from workflow.interchange import read_document  # noqa: E402

REPORT = ROOT / "workflow" / "data" / "piao-2023-sez-2-2-provincia-cremona.txt"


def timed(label, func):
    start = time.perf_counter()
    result = func()
    print(f"{label}: {(time.perf_counter() - start) * 1000:.0f} ms")
    return result


def main() -> None:
    call_command("migrate", verbosity=0)
    raw = REPORT.read_bytes()
    body = body_for_import(name="Provincia di Cremona", ipa_code="p_cr")
    document, warnings = timed("parse", lambda: read_document(raw, "report", 2023))
    result = timed(
        "first import (51 objectives, 315 phases, 220 indicators)",
        lambda: plan_import(by=None, body=body, year=2023, document=document, source=REPORT.name),
    )
    print(f"  created {len(result.created)}, warnings {len(warnings)}")
    again = timed(
        "same report again",
        lambda: plan_import(by=None, body=body, year=2023, document=document, source=REPORT.name),
    )
    print(f"  unchanged {len(again.unchanged)}")


if __name__ == "__main__":
    main()
