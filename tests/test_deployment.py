"""docker-compose.yml cannot run here (no Docker engine): parse it and check what it names."""

import importlib
import shlex
from pathlib import Path

import yaml
from celery import Celery

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_of(service: str) -> list[str]:
    command = COMPOSE["services"][service]["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def test_compose_describes_the_production_like_services():
    services = COMPOSE["services"]
    assert {"db", "redis", "web", "worker", "migrate"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    for name in ("web", "worker", "migrate"):
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        importlib.import_module("config.settings.base")  # the module tree exists
        assert (ROOT / "config" / "settings" / "production.py").exists()
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert "@db:5432/" in env["DATABASE_URL"]


def test_web_command_names_an_existing_wsgi_application():
    command = command_of("web")
    assert command[0] == "gunicorn"
    module, _, attr = command[1].partition(":")
    wsgi = importlib.import_module(module)
    assert callable(getattr(wsgi, attr))


def test_worker_and_beat_commands_name_the_celery_app():
    for service in ("worker", "beat"):
        command = command_of(service)
        assert command[:2] == ["celery", "-A"]
        app = importlib.import_module(command[2]).celery_app
        assert isinstance(app, Celery)
        assert command[3] in ("worker", "beat")


def test_migrate_step_runs_existing_management_commands():
    from django.core.management import get_commands

    command = " ".join(command_of("migrate"))
    steps = [part.strip().split() for part in command.split("&&")]
    names = [step[step.index("manage.py") + 1] for step in steps if "manage.py" in step]
    assert names and "migrate" in names and "load_framework" in names
    known = get_commands()
    assert all(name in known for name in names)


def test_compose_has_no_default_production_password():
    db_env = COMPOSE["services"]["db"]["environment"]
    assert db_env["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_dockerfile_installs_from_the_lock_file():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "uv sync --frozen" in dockerfile
    assert "COPY pyproject.toml uv.lock" in dockerfile
