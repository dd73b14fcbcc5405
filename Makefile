# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: install run serve test lint messages bench clean backup restore

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	touch $@

install: $(VENV)/.synced

run: install
	bash scripts/run.sh

# Production settings on one machine, as docker-compose.yml runs them: gunicorn, a Celery
# worker and beat, against the PostgreSQL and Redis named by DATABASE_URL and REDIS_URL.
serve: install
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py collectstatic --noinput -v 0
	bash scripts/entrypoint.sh all

# Backup and restore (README, "Backup and restore") through the production entry script, against
# the DATABASE_URL and DJANGO_MEDIA_ROOT of the environment; BACKUP_DIR defaults to ./backups.
backup: install
	bash scripts/entrypoint.sh backup $(if $(BACKUP_DIR),--output-dir "$(BACKUP_DIR)")

restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/mgi-backup-<time>" >&2; exit 2; }
	bash scripts/entrypoint.sh restore "$(BACKUP)"

test: install
	bash scripts/test.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

messages: install
	$(PY) manage.py makemessages --locale id --ignore '.venv/*' --ignore '.tools/*' --ignore 'static/*' --no-obsolete
	$(PY) manage.py compilemessages --locale id --ignore '.venv/*' --ignore '.tools/*'

bench: install
	bash scripts/test.sh --bench

clean:
	rm -rf $(VENV) $(TOOLS) staticfiles db.sqlite3 media
