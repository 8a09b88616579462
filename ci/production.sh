#!/bin/bash
# The production phase of the test script: the application as an installation runs it, proven end to end.
#   DATABASE_URL (a PostgreSQL role that may create databases) and REDIS_URL come from ci/services.sh.
# 1. a fresh database; the production settings (config.settings.prod) with SECRET_KEY, ALLOWED_HOSTS and
#    the rest from the environment; `check --deploy` with no warning; migrate; collectstatic; demo data;
# 2. two daphne processes (the channel layer on Redis joins them) behind nginx, which terminates TLS and
#    sets X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER) - deploy/nginx.conf.template;
# 3. the browser walk of tests/production over https (pytest, JUnit report in $1), with two workers of the
#    task queue (manage.py db_worker) sending the e-mails of its steps: every task succeeds, the mail leaves;
# 4. backup and restore as README "In produzione" says: audit anchor, pg_dump, restore into a new
#    database, verify_audit --anchor there.
# Usage: bash ci/production.sh JUNIT_XML
set -euo pipefail
cd "$(dirname "$0")/.."
junit=${1:?JUnit report path}
: "${DATABASE_URL:?}" "${REDIS_URL:?}"
run=$(mktemp -d /tmp/piao-prod.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$run/nginx.pid" ] && kill "$(cat "$run/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$run"
}
trap cleanup EXIT
PATH="$PWD/.venv/bin:$PATH"

if ! command -v nginx >/dev/null; then
  echo "production: installo nginx-light con apt" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null; }
fi

admin_url=$DATABASE_URL
base=${admin_url%/*}
PGOPTIONS="--client-min-messages=warning" psql "$admin_url" -qX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS piao_prod" -c "DROP DATABASE IF EXISTS piao_restored" \
  -c "CREATE DATABASE piao_prod" -c "CREATE DATABASE piao_restored" >/dev/null

HTTPS_PORT=${PROD_HTTPS_PORT:-8443}
export DJANGO_SETTINGS_MODULE=config.settings.prod
SECRET_KEY=$(python -c "import secrets; print(secrets.token_urlsafe(50))")
export SECRET_KEY
export ALLOWED_HOSTS="127.0.0.1,localhost"
export DATABASE_URL="$base/piao_prod"
export REDIS_URL
export STATIC_ROOT="$run/static" MEDIA_ROOT="$run/media"
export SITE_URL="https://127.0.0.1:$HTTPS_PORT"
export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend EMAIL_FILE_PATH="$run/mail"
export TRANSMISSION_SEND_ON_COMMIT=0

echo "-- check --deploy"
python manage.py check --deploy --fail-level WARNING
echo "-- migrate, collectstatic, dati dimostrativi"
python manage.py migrate --noinput -v 0
python manage.py collectstatic --noinput -v 0
python manage.py seed_demo --allow-demo-passwords >/dev/null

echo "-- server: 2 processi daphne dietro nginx (TLS) su https://127.0.0.1:$HTTPS_PORT"
upstreams=""
for port in 8801 8802; do
  daphne -b 127.0.0.1 -p "$port" --proxy-headers config.asgi:application >"$run/daphne-$port.log" 2>&1 &
  pids+=($!)
  upstreams+="server 127.0.0.1:$port; "
done
for w in 1 2; do   # the task queue's workers, as README "In produzione" runs them
  python manage.py db_worker --no-reload --verbosity 0 >"$run/worker-$w.log" 2>&1 &
  pids+=($!)
done
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -keyout "$run/key.pem" -out "$run/cert.pem" 2>/dev/null
mkdir -p "$run/body" "$run/proxy"
python - "$run/nginx.conf" <<PY
import string, sys
text = string.Template(open("deploy/nginx.conf.template").read()).safe_substitute(
    LISTEN="127.0.0.1:$HTTPS_PORT", CERT="$run/cert.pem", KEY="$run/key.pem", UPSTREAMS="$upstreams",
    RUNDIR="$run")
open(sys.argv[1], "w").write(text)
PY
for port in 8801 8802; do   # each process answers (with its redirect to https) before the walk starts
  for _ in $(seq 300); do
    curl -s -o /dev/null "http://127.0.0.1:$port/accesso/" && break
    sleep 0.2
  done
  curl -s -o /dev/null "http://127.0.0.1:$port/accesso/" || { echo "daphne sulla porta $port non risponde" >&2; exit 1; }
done
nginx -c "$run/nginx.conf" -e "$run/nginx-error.log"
curl -sfk -o /dev/null "https://127.0.0.1:$HTTPS_PORT/accesso/"

echo "-- percorso nel browser (tests/production)"
rc=0
PIAO_PROD_URL="https://127.0.0.1:$HTTPS_PORT" DJANGO_ALLOW_ASYNC_UNSAFE=true \
  pytest tests/production -m production --ds=config.settings.test -s --junitxml="$junit" || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "-- log dei server"; tail -n 40 "$run"/daphne-*.log "$run/nginx-error.log" || true
  exit "$rc"
fi
if grep -h "Internal Server Error" "$run"/daphne-*.log; then echo "errori 500 nei log dei server" >&2; exit 1; fi

echo "-- coda dei lavori: le e-mail del percorso, inviate dai worker"
python - "$run/mail" <<'PY'
import pathlib, sys, time

import django

django.setup()
from django_tasks_db.models import DBTaskResult  # noqa: E402

for _ in range(150):  # the workers take a task within a second
    if not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
        break
    time.sleep(0.2)
states = dict.fromkeys(("READY", "RUNNING", "FAILED", "SUCCESSFUL"), 0)
for status in DBTaskResult.objects.values_list("status", flat=True):
    states[status] += 1
mails = list(pathlib.Path(sys.argv[1]).glob("*.log"))
print(f"lavori: {states}; file di posta: {len(mails)}")
if states["SUCCESSFUL"] == 0 or states["SUCCESSFUL"] != sum(states.values()) or not mails:
    sys.exit("la coda non ha inviato le e-mail del percorso")
PY

echo "-- copia di sicurezza e ripristino"
python manage.py audit_anchor >"$run/ancore.txt"  # one line per chain
pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" --file="$run/piao.dump"
pg_restore --no-owner --exit-on-error --dbname="$base/piao_restored" "$run/piao.dump"
anchors=()
while read -r line; do anchors+=(--anchor "$line"); done <"$run/ancore.txt"
[ "${#anchors[@]}" -gt 0 ] || { echo "nessuna ancora stampata" >&2; exit 1; }
DATABASE_URL="$base/piao_restored" python manage.py verify_audit "${anchors[@]}"
# the restored database goes on where the copied one stopped: a new entry joins its chain
DATABASE_URL="$base/piao_restored" python manage.py shell -c "
from django.db import transaction
from audit.services import record, verify_chain
with transaction.atomic():
    entry = record(action='prova.ripristino')
assert verify_chain(entry.chain).ok, 'catena rotta dopo il ripristino'
"
echo "$(( ${#anchors[@]} / 2 )) ancore verificate sul database ripristinato ($(du -h "$run/piao.dump" | cut -f1) di copia)"
