#!/bin/bash
# Prepare a working copy: a Python 3.11+ virtualenv in .venv with the exact versions of requirements.lock,
# and the database schema (SQLite in db.sqlite3, or DATABASE_URL when set). Safe to run again: packages
# are reinstalled only when requirements.lock changed since the last successful install.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1

PYTHON=${PYTHON:-python3}
apt_install() {  # a fresh Debian may lack python3 or its venv module; as root we can add them
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installo con apt: $*" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    echo "setup: servono i pacchetti di sistema: $*" >&2
    exit 1
  fi
}

if [ ! -x .venv/bin/python ]; then
  command -v "$PYTHON" >/dev/null || apt_install python3 python3-venv
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "setup: serve Python 3.11 o successivo ($PYTHON è $("$PYTHON" --version 2>&1))." >&2
    exit 1
  fi
  if ! "$PYTHON" -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    apt_install python3-venv
    "$PYTHON" -m venv .venv
  fi
fi

# WeasyPrint (the PDFs to sign) needs Pango and a font; a fresh Debian may lack them.
PDF_PKGS="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
if command -v dpkg-query >/dev/null; then
  # shellcheck disable=SC2086
  missing=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $PDF_PKGS 2>&1 | grep -v '^ii ' || true)
  # shellcheck disable=SC2086
  if [ -n "$missing" ]; then apt_install $PDF_PKGS; fi
fi

stamp=.venv/.requirements.lock.sha256
wanted=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "setup: installo i pacchetti di requirements.lock..." >&2
  log=$(mktemp)
  # pip may print one harmless "Location ... is ignored" line per package where local mirrors are set up
  if ! .venv/bin/python -m pip install -qq -r requirements.lock >"$log" 2>&1; then
    grep -v "is ignored" "$log" >&2 || true
    rm -f "$log"
    echo "setup: installazione dei pacchetti non riuscita." >&2
    exit 1
  fi
  grep -v "is ignored" "$log" >&2 || true
  rm -f "$log"
  echo "$wanted" >"$stamp"
fi

.venv/bin/python manage.py migrate --noinput -v 0
