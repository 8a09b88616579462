#!/bin/bash
# System packages and throwaway services for the tests (PostgreSQL on 5433, Redis on 6390, Chromium for
# the browser tests, nginx for the production phase, poppler's pdfsig and NSS's certutil for the independent
# check of the seal). Idempotent. Prints export lines on stdout, everything
# else goes to stderr:
#   bash ci/services.sh > /tmp/svc.env && . /tmp/svc.env
set -euo pipefail; export DEBIAN_FRONTEND=noninteractive
PKGS="postgresql redis-server chromium nginx-light libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils libnss3-tools"
missing=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $PKGS 2>&1 | grep -v '^ii ' || true)
if [ -n "$missing" ]; then
  echo "services: installo con apt: $PKGS" >&2
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends $PKGS >/dev/null
fi

# PostgreSQL: a throwaway cluster owned by the postgres user, on its own port, socket in /tmp
PGPORT=${PGPORT:-5433}; PGDATA=/tmp/pgtest-$PGPORT
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if ! runuser -u postgres -- "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then
  rm -rf "$PGDATA"; install -d -o postgres -g postgres "$PGDATA"
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -o \
    "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null
  runuser -u postgres -- "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qv ON_ERROR_STOP=1 \
    -c "CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB" -c "CREATE DATABASE app OWNER app"
fi

# Redis: loopback only, keeps nothing on disk
REDIS_PORT=${REDIS_PORT:-6390}
if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --pidfile /tmp/redis-$REDIS_PORT.pid --logfile /tmp/redis-$REDIS_PORT.log
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$REDIS_PORT" ping >/dev/null    # fails the script if Redis did not come up
fi

echo "export DATABASE_URL=postgres://app:app@127.0.0.1:$PGPORT/app"
echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
