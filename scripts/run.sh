#!/bin/bash
# Run the application locally with demo data: http://127.0.0.1:8000, or the PORT given (SQLite in
# db.sqlite3 unless DATABASE_URL is set), with a worker of the task queue beside it (the e-mails of each
# step). The demo people and their passwords are listed in README.md and printed below. E-mails are
# written to files in tmp/email/, their links leading to this PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
export PORT=${PORT:-8000}                  # config/settings/dev.py builds the e-mails' links from it
bash scripts/setup.sh                      # virtualenv, packages, migrations
.venv/bin/python manage.py seed_demo       # does nothing when the demo plan already has objectives
echo "Apri http://127.0.0.1:$PORT/ (Ctrl+C per fermare)"
echo "Le e-mail non vengono inviate: ognuna è scritta in un file in tmp/email/"
# the queue's worker is stopped when the server stops
.venv/bin/python manage.py db_worker --no-reload --verbosity 0 &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true' EXIT INT TERM
.venv/bin/python manage.py runserver "127.0.0.1:$PORT"
