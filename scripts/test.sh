#!/bin/bash
# The whole check, as CI runs it: set-up, services (PostgreSQL, Redis, Chromium), lint, import directions,
# the tests on SQLite and on PostgreSQL, then the browser tests. Every check runs even when an earlier one
# failed; a summary closes the output and the exit status is non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
unset DJANGO_SETTINGS_MODULE   # pyproject.toml picks config.settings.test

t_start=$EPOCHREALTIME
work=$(mktemp -d /tmp/piao-test.XXXXXX)
trap 'rm -rf "$work"' EXIT

names=(); statuses=(); durations=()
failed=0

elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# stage LABEL [--no-tests-ok] COMMAND...: run one check, remember its outcome and time.
stage() {
  local label=$1; shift
  local no_tests_ok=0
  if [ "${1:-}" = "--no-tests-ok" ]; then no_tests_ok=1; shift; fi
  printf '\n==> %s\n' "$label"
  local t0=$EPOCHREALTIME rc=0 status
  "$@" || rc=$?
  if [ "$rc" -eq 0 ]; then
    status="ok"
  elif [ "$rc" -eq 5 ] && [ "$no_tests_ok" -eq 1 ]; then
    status="ok (nessun test raccolto)"
  else
    status="FALLITO (uscita $rc)"; failed=1
  fi
  names+=("$label"); statuses+=("$status"); durations+=("$(elapsed "$t0")")
  printf '<== %s: %s (%ss)\n' "$label" "$status" "${durations[-1]}"
}

skip() {
  printf '\n==> %s\n<== %s: saltato (%s)\n' "$1" "$1" "$2"
  names+=("$1"); statuses+=("saltato: $2"); durations+=("0.0")
}

summary() {
  printf '\n%s\n' "Riepilogo"
  local i
  for i in "${!names[@]}"; do
    printf '  %-44s %-28s %6ss\n' "${names[$i]}" "${statuses[$i]}" "${durations[$i]}"
  done
  printf 'Tempo totale: %ss\n' "$(elapsed "$t_start")"
  if [ "$failed" -ne 0 ]; then echo "ESITO: qualcosa non va (vedi sopra)."; else echo "ESITO: tutto a posto."; fi
  # Last line: one count over every pytest run (each wrote a JUnit report into $work).
  .venv/bin/python - "$work" <<'PY' || true
import pathlib, sys
import xml.etree.ElementTree as ET
t = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
for report in sorted(pathlib.Path(sys.argv[1]).glob("*.xml")):
    for suite in ET.parse(report).getroot().iter("testsuite"):
        for key in t:
            t[key] += int(suite.get(key, 0))
failed = t["failures"] + t["errors"]
print(f"Totale: {t['tests'] - failed - t['skipped']} passed, {failed} failed, {t['skipped']} skipped")
PY
}

# -- set-up and services: without them nothing below can run ------------------------------------------
stage "set-up (scripts/setup.sh)" bash scripts/setup.sh
if [ "$failed" -ne 0 ]; then summary; exit 1; fi
stage "servizi (ci/services.sh)" bash -c "bash ci/services.sh > '$work/svc.env'"
if [ "$failed" -ne 0 ]; then summary; exit 1; fi
# shellcheck disable=SC1091
. "$work/svc.env"
PG_URL=$DATABASE_URL
export PATH="$PWD/.venv/bin:$PATH"

# -- static checks ------------------------------------------------------------------------------------
stage "ruff check" ruff check --output-format concise .
if [ -f ../shared/tools/check_layering.py ]; then
  stage "direzioni degli import (check_layering)" python3 ../shared/tools/check_layering.py
else
  skip "direzioni degli import (check_layering)" "../shared/tools/check_layering.py assente"
fi

# -- tests --------------------------------------------------------------------------------------------
# The two database stages run on one worker process per core (pytest-xdist, at most 4): each worker has
# its own test database (test_app_gw0, ...) and its own prefix on the Redis channel layer.
WORKERS=(-n auto --maxprocesses=4)
# (a) SQLite, in memory, with the in-memory channel layer (the Redis cases of the websocket tests skip).
stage "pytest su SQLite" env -u REDIS_URL DATABASE_URL= \
  pytest "${WORKERS[@]}" --ignore=tests/e2e --ignore=tests/production --junitxml="$work/sqlite.xml"
# (b) PostgreSQL: the throwaway server of ci/services.sh (Django creates and drops test_app), and the
# Redis channel layer (REDIS_URL): the websocket tests run on both layers here.
stage "pytest su PostgreSQL" env DATABASE_URL="$PG_URL" \
  pytest "${WORKERS[@]}" --ignore=tests/e2e --ignore=tests/production --junitxml="$work/postgresql.xml"
# (c) Browser tests, in a process of their own (Playwright's event loop and pytest-asyncio do not mix),
# on a file SQLite test database that the live server's thread or process can open.
# Every page they visit is photographed at 1366 and 390 px: the pictures of the last run stay in
# artefatti/schermate/ (with an index.html to browse them).
if [ -d tests/e2e ]; then
  shots="$PWD/artefatti/schermate"
  rm -rf "$shots" && mkdir -p "$shots"
  stage "pytest browser (tests/e2e, Chromium)" --no-tests-ok env -u REDIS_URL DATABASE_URL= \
    TEST_SQLITE_PATH="$work/e2e.sqlite3" E2E_SCREENSHOTS="$shots" pytest tests/e2e -m e2e --junitxml="$work/e2e.xml"
  python3 - "$shots" <<'PY'
import html, pathlib, sys
folder = pathlib.Path(sys.argv[1])
pictures = sorted(p.name for p in folder.glob("*.png"))
rows = "\n".join(f'<li><a href="{html.escape(n)}">{html.escape(n)}</a></li>' for n in pictures)
(folder / "index.html").write_text(
    f'<!doctype html><html lang="it"><meta charset="utf-8"><title>Schermate dei test del browser</title>'
    f"<h1>Schermate dei test del browser ({len(pictures)})</h1><ul>\n{rows}\n</ul></html>\n", encoding="utf-8")
print(f"{len(pictures)} schermate in {folder}")
PY
else
  skip "pytest browser (tests/e2e, Chromium)" "nessun test del browser"
fi

# (d) Production: the production settings behind nginx with two server processes, PostgreSQL and Redis, a
# browser walk over https, then a backup restored into a new database and its evidence chain verified.
stage "produzione (ci/production.sh)" env DATABASE_URL="$PG_URL" bash ci/production.sh "$work/production.xml"

summary
exit "$failed"
