#!/usr/bin/env bash
# `make run`: migrate, load the framework and the demo, print the logins, serve on :8000.
# Without DATABASE_URL it uses SQLite and runs tasks eagerly; with DATABASE_URL and
# REDIS_URL set it uses them, and starts a Celery worker (and beat) first, so the demo's
# profile is rendered by the worker. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=config.settings.local

children=()
stop() {
  trap - INT TERM EXIT
  ((${#children[@]})) && kill "${children[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

$PY manage.py migrate --noinput
$PY manage.py load_framework

if [[ -n "${REDIS_URL:-}" ]]; then
  .venv/bin/celery -A config worker --loglevel=WARNING --concurrency=2 &
  children+=($!)
  .venv/bin/celery -A config beat --loglevel=WARNING \
    --schedule "${TMPDIR:-/tmp}/mgi-run-celerybeat-schedule" &
  children+=($!)
fi
$PY manage.py seed_demo

echo
echo "MGI Portal: http://127.0.0.1:8000  (API docs: http://127.0.0.1:8000/api/docs/)"
echo "Local settings: no second factor is asked of the demo logins."
$PY manage.py runserver 127.0.0.1:8000 &
children+=($!)
wait -n
