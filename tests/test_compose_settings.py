"""docker-compose.yml passes every MGI_* setting the production settings read (config/settings
base.py and production.py, which imports it) to the portal's processes, each with the same
default the settings have, so an operator sets them in .env and none is silently dropped."""

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = [ROOT / "config" / "settings" / name for name in ("base.py", "production.py")]
SERVICES = ("web", "worker", "beat", "migrate")
DEFAULTED = re.compile(r"^\$\{(?P<name>[A-Z0-9_]+):-(?P<default>.*)\}$")


def settings_read() -> dict[str, Any]:
    """{MGI_* name: its default} of every `env(...)`/`env.int(...)` in the settings files."""
    found: dict[str, Any] = {}
    for path in SETTINGS:
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            named_env = (isinstance(func, ast.Name) and func.id == "env") or (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "env"
            )
            first = node.args[0]
            if not named_env or not isinstance(first, ast.Constant):
                continue
            if not str(first.value).startswith("MGI_"):
                continue
            default = next((k.value for k in node.keywords if k.arg == "default"), None)
            # The defaults are constants and products of constants (12 * 60 * 60).
            found[str(first.value)] = (
                eval(compile(ast.Expression(default), str(path), "eval"), {})  # noqa: S307
                if default is not None
                else None
            )
    return found


def compose_environment(service: str) -> dict[str, str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return {k: str(v) for k, v in compose["services"][service]["environment"].items()}


def test_the_settings_read_the_security_settings_the_readme_documents():
    read = settings_read()
    for name in (
        "MGI_TRUSTED_PROXY_COUNT",
        "MGI_LOGIN_FAILURE_LIMIT",
        "MGI_LOGIN_ADDRESS_FAILURE_LIMIT",
        "MGI_LOGIN_COOLOFF_MINUTES",
        "MGI_SESSION_IDLE_SECONDS",
        "MGI_SESSION_MAX_SECONDS",
        "MGI_API_TOKEN_TTL_HOURS",
    ):
        assert name in read, name
    readme = (ROOT / "README.md").read_text()
    security = readme.split("## Security", 1)[1].split("\n## ", 1)[0]
    assert "MGI_LOGIN_ADDRESS_FAILURE_LIMIT" in security


@pytest.mark.parametrize("service", SERVICES)
def test_compose_passes_every_mgi_setting_with_its_default(service):
    environment = compose_environment(service)
    read = settings_read()
    missing = sorted(set(read) - set(environment))
    assert not missing, f"{service} does not pass {missing}"
    for name, default in read.items():
        match = DEFAULTED.match(environment[name])
        assert match and match["name"] == name, (name, environment[name])
        assert match["default"] == str(default), (name, match["default"], default)
