"""The demo after the Central Java cycle, built once per test run as a PostgreSQL template.

`seed_demo` (migrations, framework, people, the national assessment in data collection and
Central Java carried to a published profile with both PDFs rendered) takes about half a
minute. The first test of a run that asks for `demo_database` builds it, in a subprocess,
into the database `<test database>_demo_<run id>` and a media folder next to it; the other
xdist workers of the same run wait for it (a file lock) and reuse it. A test then asks for
its own copy: `demo_database.clone("name")` gives a new database made from the template
(CREATE DATABASE … TEMPLATE, a file copy inside PostgreSQL) and a copy of the media folder.
Templates of earlier runs are dropped when a new one is built. Used by the backup test and
the archive of a round.
"""

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from psycopg import sql


@dataclass
class DemoCopy:
    name: str
    database_url: str
    media_root: Path  # DJANGO_MEDIA_ROOT for production settings (the files are right in it)


@dataclass
class DemoDatabase:
    template: str
    media_root: Path
    server: dict[str, str]
    copies: list[str] = field(default_factory=list)

    def url(self, name: str) -> str:
        s = self.server
        auth = s["user"] + (f":{s['password']}" if s["password"] else "")
        return f"postgres://{auth}@{s['host']}:{s['port']}/{name}"

    def admin(self) -> psycopg.Connection:
        return admin_connection(self.server)

    def create_empty(self, name: str) -> str:
        """A new empty database (dropped first if a failed run left it); its URL."""
        with self.admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.copies.append(name)
        return self.url(name)

    def clone(self, name: str, media_parent: Path) -> DemoCopy:
        """A database made from the template and a copy of its media folder."""
        with self.admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(self.template)
                )
            )
        self.copies.append(name)
        media = media_parent / name
        shutil.copytree(self.media_root, media)
        return DemoCopy(name=name, database_url=self.url(name), media_root=media)

    def drop_copies(self) -> None:
        with self.admin() as conn:
            for name in self.copies:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
        self.copies.clear()


def admin_connection(server: dict[str, str]) -> psycopg.Connection:
    return psycopg.connect(
        host=server["host"],
        port=server["port"],
        user=server["user"],
        password=server["password"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _build(demo: DemoDatabase, base: str) -> None:
    with demo.admin() as conn:
        stale = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
            (f"{base}\\_demo\\_%", demo.template),
        ).fetchall()
        for (name,) in stale:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(demo.template)))
    for old in demo.media_root.parent.parent.glob(f"mgi-{base}_demo_*"):
        if old != demo.media_root.parent:
            shutil.rmtree(old, ignore_errors=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": demo.url(demo.template),
        # Test settings put the files in <DJANGO_MEDIA_ROOT>/main without an xdist worker.
        "DJANGO_MEDIA_ROOT": str(demo.media_root.parent),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    for command in (["migrate", "-v", "0"], ["seed_demo"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"building the demo database failed:\n{result.stdout}\n{result.stderr}")
    demo.media_root.mkdir(parents=True, exist_ok=True)
    (demo.media_root.parent / "built").write_text("ok")


@pytest.fixture(scope="session")
def demo_database(django_db_setup, django_db_blocker, request) -> Iterator[DemoDatabase]:
    from django.db import connection

    with django_db_blocker.unblock():
        db = connection.settings_dict
    server = {
        "host": db["HOST"] or "127.0.0.1",
        "port": str(db["PORT"] or 5432),
        "user": db["USER"],
        "password": db["PASSWORD"] or "",
    }
    base = db["NAME"].rsplit("_gw", 1)[0]
    run = request.getfixturevalue("testrun_uid")[:10] if _has_xdist(request) else str(os.getpid())
    template = f"{base}_demo_{run}"
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"mgi-{template}"
    folder.mkdir(parents=True, exist_ok=True)
    demo = DemoDatabase(template=template, media_root=folder / "main", server=server)
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "built").exists():
            _build(demo, base)
        fcntl.flock(lock, fcntl.LOCK_UN)
    yield demo
    demo.drop_copies()


def _has_xdist(request) -> bool:
    return request.config.pluginmanager.hasplugin("xdist")
