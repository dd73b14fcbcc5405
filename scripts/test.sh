#!/usr/bin/env bash
# `make test`: install what is missing, start throwaway PostgreSQL and Redis, run every
# check (ruff, mypy, migrations, deploy check, pytest), and stop what it started.
#   --bench   run the benchmarks under bench/ instead of the checks
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
MODE=${1:-}

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
apt_install() {
  [[ -n "$apt_updated" ]] || { as_root apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- system packages the suite needs --------------------------------------------------
need=()
command -v redis-server >/dev/null || need+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v msgfmt >/dev/null || need+=(gettext)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v chromium >/dev/null || need+=(chromium)
ldconfig -p | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p | grep -q libmagic.so.1 || need+=(libmagic1)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
# The load benchmark (bench/bench_load.py) drives gunicorn with wrk.
if [[ "$MODE" == "--bench" ]]; then command -v wrk >/dev/null || need+=(wrk); fi
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  apt_install "${need[@]}"
fi

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
free_port() { "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PGPORT=$(free_port)
REDISPORT=$(free_port)
WORK=$(mktemp -d /tmp/mgi-test.XXXXXX)
chmod 755 "$WORK"

# PostgreSQL refuses to run as root: run the throwaway cluster as the postgres user.
pg_user=$(id -un)
run_pg() { "$@"; }
if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || useradd --system --home "$WORK" postgres
  pg_user=postgres
  run_pg() { runuser -u postgres -- "$@"; }
fi
mkdir -p "$WORK/pg"
chown "$pg_user" "$WORK/pg"

cleanup() {
  set +e
  [[ -f "$WORK/pg/data/postmaster.pid" ]] && run_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null
  [[ -f "$WORK/redis.pid" ]] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

run_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U mgi -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
run_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w start \
  -o "-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U mgi mgi
redis-server --port "$REDISPORT" --bind 127.0.0.1 --save '' --appendonly no \
  --daemonize yes --pidfile "$WORK/redis.pid" --dir "$WORK" --logfile "$WORK/redis.log"
for _ in $(seq 50); do redis-cli -p "$REDISPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
echo "PostgreSQL on 127.0.0.1:$PGPORT, Redis on 127.0.0.1:$REDISPORT"

export DATABASE_URL="postgres://mgi@127.0.0.1:$PGPORT/mgi"
export REDIS_URL="redis://127.0.0.1:$REDISPORT/0"
export DJANGO_SETTINGS_MODULE=config.settings.test
export DJANGO_MEDIA_ROOT="$WORK/media"
export PATH="$VENV/bin:$PATH"

if [[ "$MODE" == "--bench" ]]; then
  python -m bench
  exit 0
fi

echo "== ruff"
ruff check .
ruff format --check .
echo "== mypy"; mypy .
echo "== translations"; python manage.py compilemessages --locale id --ignore '.venv/*' --ignore '.tools/*' >/dev/null
echo "== migrations"; python manage.py makemigrations --check --dry-run
echo "== deploy check"
DJANGO_SETTINGS_MODULE=config.settings.production \
DJANGO_SECRET_KEY="check-deploy-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')" \
DJANGO_ALLOWED_HOSTS=mgi.example.go.id \
  python manage.py check --deploy --fail-level WARNING
echo "== pytest"
# One pytest-xdist worker per core, at most 4: each has its own test database, Redis
# database and media folder (config/settings/test.py).
workers=$(nproc)
((workers > 4)) && workers=4
pytest -n "$workers"
