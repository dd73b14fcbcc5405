#!/usr/bin/env bash
# One entry point for every process of a production deployment, used by docker-compose.yml
# and by `make serve` alike:
#   entrypoint.sh migrate   apply migrations and load the framework (one-off)
#   entrypoint.sh web       gunicorn with the production settings (static files by whitenoise)
#   entrypoint.sh worker    a Celery worker
#   entrypoint.sh beat      Celery beat (deadline reminders, embargoed publications)
#   entrypoint.sh all       migrate, then worker and beat in the background and gunicorn in
#                           front; Ctrl-C or SIGTERM stops all three
#   entrypoint.sh backup [--output-dir DIR]   one backup of the database and media folder
#   entrypoint.sh restore BACKUP              restore it into an empty database and folder
#                           (README, "Backup and restore")
# Settings come from the environment (README, "Deployment"); nothing here has a default secret.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -x .venv/bin/python ]]; then export PATH="$PWD/.venv/bin:$PATH"; fi
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.production}

web() {
  exec gunicorn config.wsgi:application \
    --bind "${MGI_BIND:-0.0.0.0:8000}" \
    --workers "${WEB_CONCURRENCY:-3}" \
    --timeout "${MGI_WEB_TIMEOUT:-60}" \
    --access-logfile - --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
}
worker() {
  exec celery -A config worker --loglevel=INFO \
    --concurrency "${WORKER_CONCURRENCY:-2}" --max-tasks-per-child 50
}
beat() {
  exec celery -A config beat --loglevel=INFO \
    --schedule "${MGI_BEAT_SCHEDULE:-${TMPDIR:-/tmp}/mgi-celerybeat-schedule}"
}
migrate() {
  python manage.py migrate --noinput
  python manage.py load_framework
}

case "${1:-}" in
  migrate) migrate ;;
  web) web ;;
  worker) worker ;;
  beat) beat ;;
  backup) shift; exec python manage.py backup "$@" ;;
  restore) shift; exec python manage.py restore "$@" ;;
  all)
    migrate
    children=()
    stop() {
      trap - INT TERM EXIT
      ((${#children[@]})) && kill "${children[@]}" 2>/dev/null || true
      wait 2>/dev/null || true
    }
    trap stop INT TERM EXIT
    (worker) & children+=($!)
    (beat) & children+=($!)
    (web) & children+=($!)
    wait -n
    ;;
  *)
    echo "usage: $0 migrate|web|worker|beat|all|backup [--output-dir DIR]|restore BACKUP" >&2
    exit 2
    ;;
esac
