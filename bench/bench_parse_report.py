"""How long parse_report takes on the real report (workflow/data/), best of 5. Prints; never fails.

.venv/bin/python bench/bench_parse_report.py
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workflow.piao_report import parse_report  # noqa: E402  (after the path is set)

REPORT = ROOT / "workflow" / "data" / "piao-2023-sez-2-2-provincia-cremona.txt"
RUNS = 5


def main() -> None:
    text = REPORT.read_text(encoding="utf-8")
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = parse_report(text, expected_year=2023)
        times.append(time.perf_counter() - start)
    stats = ", ".join(f"{key} {value}" for key, value in result.stats.items())
    lines = len(text.splitlines())
    print(f"parse_report on {REPORT.name} ({lines} lines; {stats}; {len(result.warnings)} warnings)")
    every = ", ".join(f"{t * 1000:.1f}" for t in times)
    print(f"best of {RUNS}: {min(times) * 1000:.1f} ms   (all: {every} ms)")


if __name__ == "__main__":
    main()
