#!/bin/bash
# Run the application locally with demo data: http://127.0.0.1:8000 (SQLite in db.sqlite3 unless
# DATABASE_URL is set). The demo people and their passwords are listed in README.md and printed below.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh                      # virtualenv, packages, migrations
.venv/bin/python manage.py seed_demo       # does nothing when the demo plan already has objectives
PORT=${PORT:-8000}
echo "Apri http://127.0.0.1:$PORT/ (Ctrl+C per fermare)"
exec .venv/bin/python manage.py runserver "127.0.0.1:$PORT"
