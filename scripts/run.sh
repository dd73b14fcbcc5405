#!/usr/bin/env bash
# `make run`: migrate, load the framework and the demo, print the logins, serve on :8000.
# Without DATABASE_URL it uses SQLite and runs tasks eagerly; with DATABASE_URL and
# REDIS_URL set it uses them, and starts a Celery worker beside the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=config.settings.local

$PY manage.py migrate --noinput
$PY manage.py load_framework
$PY manage.py seed_demo

worker_pid=""
if [[ -n "${REDIS_URL:-}" ]]; then
  .venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 &
  worker_pid=$!
  trap '[[ -n "$worker_pid" ]] && kill "$worker_pid" 2>/dev/null || true' EXIT
fi

echo
echo "MGI Portal: http://127.0.0.1:8000  (API docs: http://127.0.0.1:8000/api/docs/)"
$PY manage.py runserver 127.0.0.1:8000
