#!/usr/bin/env bash
# `make run`: migrate and seed the demo database under var/, start web, worker and beat, and
# print the banner (accounts, password, what to try) once the web server answers.
# Quiet by default; VERBOSE=1 shows every log line. Ctrl-C stops everything without an error.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/.venv/bin"
export PATH="$BIN:$PATH"
export DEMO_PORT="${DEMO_PORT:-8000}"  # Procfile.dev's web server
# Links in e-mails and in the FHIR API's answers name the port the demo really listens on.
export SITE_URL="${SITE_URL:-http://127.0.0.1:$DEMO_PORT}"

if [[ "${VERBOSE:-0}" == 1 ]]; then
    export LOG_LEVEL=INFO CELERY_LOG_LEVEL=INFO CELERY_QUIET="" SEED_VERBOSITY=1
else
    export LOG_LEVEL=WARNING CELERY_LOG_LEVEL=WARNING CELERY_QUIET="--quiet" SEED_VERBOSITY=0
    # The banner says this is the development server; Django's own warning need not.
    export DJANGO_RUNSERVER_HIDE_WARNING=true
    # Celery warns when it runs as root: true only in a container or CI, not on a laptop.
    export PYTHONWARNINGS="ignore:You're running the worker with superuser privileges"
fi

echo "Preparing the demo database under var/ (the first time takes a minute) ..."
python scripts/compile_messages.py  # the Spanish catalogues (.po) into what Django reads
honcho run python manage.py migrate --noinput --verbosity "$SEED_VERBOSITY"
honcho run python manage.py seed_demo --intakes 30 --verbosity "$SEED_VERBOSITY"

honcho --procfile Procfile.dev start &
servers=$!
# Ctrl-C sends SIGINT to the whole foreground group, honcho included, and honcho stops its
# processes (they run in sessions of their own). Sending it a SIGTERM as well would race its
# own handler (honcho then dies of a reentrant print and leaves them running), so only a
# SIGTERM to this script is passed on. Either way, wait and end with success: an interrupt is
# how a demo ends.
stop() {
    trap - INT TERM
    if [[ "$1" == TERM ]]; then kill -TERM "$servers" 2>/dev/null || true; fi
    wait "$servers" 2>/dev/null || true
    echo "Stopped."
    exit 0
}
trap 'stop INT' INT
trap 'stop TERM' TERM
base="http://127.0.0.1:$DEMO_PORT"
honcho run python manage.py demo_banner --base-url "$base" --wait-for "$base/healthz" || true
wait "$servers"
