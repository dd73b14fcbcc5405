"""`make run` without services: the zero-setup path (SQLite, eager tasks) seeds the whole demo.

The suite runs on PostgreSQL, so a query only PostgreSQL answers (a JSON `contains` lookup)
once broke `make run` for a newcomer while every test passed. This runs what scripts/run.sh
runs, with the local settings on a throwaway SQLite file, in a subprocess (~40 s).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.timeout(300)
def test_the_demo_seeds_on_sqlite_with_eager_tasks(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'zero.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    python = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput", "-v", "0"], ["load_framework"], ["seed_demo"]):
        done = subprocess.run(
            [*python, *command], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, (command, done.stderr[-3000:])
    media = tmp_path / "media"
    # Rendered eagerly: the Central Java profile and its steering review's minutes, each in
    # both languages.
    assert len(list((media / "profiles").rglob("*.pdf"))) == 2
    assert len(list((media / "review-minutes").rglob("*.pdf"))) == 2
    assert len(list(media.rglob("*.pdf"))) == 4
