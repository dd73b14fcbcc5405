"""docker-compose.yml cannot run here (no Docker engine): parse it and check what it names."""

import importlib
import shlex
import subprocess
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


ENTRYPOINT = (ROOT / "scripts" / "entrypoint.sh").read_text()


def entrypoint_body(role: str) -> str:
    """The body of one role's function in scripts/entrypoint.sh (`role() { ... }`)."""
    return ENTRYPOINT.split(f"\n{role}() {{\n", 1)[1].split("\n}\n", 1)[0]


def entrypoint_function(role: str) -> list[str]:
    """The command of one role, as words (continuation lines joined)."""
    return shlex.split(entrypoint_body(role).replace("\\\n", " "))


def test_every_process_starts_through_the_one_entry_script():
    for service, role in [
        ("web", "web"),
        ("worker", "worker"),
        ("beat", "beat"),
        ("migrate", "migrate"),
    ]:
        assert command_of(service) == ["scripts/entrypoint.sh", role]
    assert "scripts/entrypoint.sh all" in (ROOT / "Makefile").read_text()  # make serve


def test_web_command_names_an_existing_wsgi_application():
    command = entrypoint_function("web")
    assert command[:2] == ["exec", "gunicorn"]
    module, _, attr = command[2].partition(":")
    wsgi = importlib.import_module(module)
    assert callable(getattr(wsgi, attr))


def test_worker_and_beat_commands_name_the_celery_app():
    for role in ("worker", "beat"):
        command = entrypoint_function(role)
        assert command[:3] == ["exec", "celery", "-A"]
        app = importlib.import_module(command[3]).celery_app
        assert isinstance(app, Celery)
        assert command[4] == role


def test_migrate_step_runs_existing_management_commands():
    from django.core.management import get_commands

    steps = [line.split() for line in entrypoint_body("migrate").splitlines()]
    names = [step[step.index("manage.py") + 1] for step in steps if "manage.py" in step]
    assert names == ["migrate", "load_framework"]
    known = get_commands()
    assert all(name in known for name in names)


def test_the_web_healthcheck_asks_readyz():
    check = " ".join(COMPOSE["services"]["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/readyz" in check


def test_the_entry_script_refuses_an_unknown_role():
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "entrypoint.sh"), "bogus"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_compose_has_no_default_production_password():
    db_env = COMPOSE["services"]["db"]["environment"]
    assert db_env["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_dockerfile_installs_from_the_lock_file():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "uv sync --frozen" in dockerfile
    assert "COPY pyproject.toml uv.lock" in dockerfile
