#!/usr/bin/env bash
# Make sure the servers the test suite starts for itself are installed:
# PostgreSQL and Redis (and Chromium, Node.js and npm for the browser tests). On Debian or Ubuntu,
# as root, install what is missing; otherwise say what to install. Idempotent.
set -euo pipefail

have_postgres() { command -v initdb >/dev/null || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }

missing=()
have_postgres || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ -d tests/e2e ]; then
  command -v chromium >/dev/null || missing+=(chromium fonts-dejavu-core)
  # npm installs axe-core (package.json) for the accessibility checks.
  command -v npm >/dev/null || missing+=(nodejs npm)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The tests start their own servers; the packaged ones must not hold ports or memory.
  for service in postgresql redis-server; do
    service "$service" stop >/dev/null 2>&1 || true
  done
else
  echo "The tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them (sudo apt-get install ${missing[*]}) or run 'make test' as root." >&2
  exit 1
fi
