"""`make backup` / `make restore` through the production entry script: the demo after the
Central Java cycle backed up, restored into a fresh database and media folder, every table's
rows and every file's hash compared; a restore over data, into a used media folder, from a
damaged backup or across incompatible versions is refused and changes nothing."""

import hashlib
import io
import json
import os
import secrets
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from config.backup import portal_version

ENTRYPOINT = Path(settings.BASE_DIR) / "scripts" / "entrypoint.sh"
# The test database is not used, but its server is where the demo copies are made.
pytestmark = pytest.mark.django_db


def entrypoint(*args: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    """scripts/entrypoint.sh with the production settings, as a deployment runs it."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "mgi.example.go.id",
        "DATABASE_URL": database_url,
        "DJANGO_MEDIA_ROOT": str(media_root),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(
        ["bash", str(ENTRYPOINT), *args], env=env, capture_output=True, text=True, check=False
    )


def table_digests(database_url: str) -> dict[str, str]:
    """Every table of the public schema: its row count and a hash of all its rows, in order;
    every sequence: where it stands (new rows after a restore must not collide)."""
    digests = {}
    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
        for (table,) in tables:
            row = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608
            ).fetchone()
            assert row is not None
            count, digest = row
            digests[table] = f"{count}:{digest}"
        for name, value in conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall():
            digests[f"sequence {name}"] = str(value)
    return digests


def file_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def backed_up_demo(demo_database, tmp_path_factory):
    """The demo copied into its own database, and its backup made by the entry script."""
    folder = tmp_path_factory.mktemp("backup")
    source = demo_database.clone(f"{demo_database.template}_bk_src", folder)
    result = entrypoint(
        "backup",
        "--output-dir",
        str(folder / "backups"),
        database_url=source.database_url,
        media_root=source.media_root,
    )
    assert result.returncode == 0, result.stderr
    backup = Path(result.stdout.strip().splitlines()[-1])
    yield source, backup
    demo_database.drop_copies()


def test_the_demo_backed_up_and_restored_has_every_row_and_file(
    demo_database, backed_up_demo, tmp_path
):
    source, backup = backed_up_demo
    assert backup.name.startswith("mgi-backup-")
    assert sorted(p.name for p in backup.iterdir()) == ["database.dump", "manifest.json", "media"]

    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["portal_version"] == portal_version()
    assert "0001_initial" in manifest["migrations"]["assessments"]
    source_digests = table_digests(source.database_url)
    # The manifest counts the rows of every table of the database it dumped.
    assert manifest["row_counts"] == {
        t: int(d.split(":")[0]) for t, d in source_digests.items() if not t.startswith("sequence ")
    }
    assert manifest["row_counts"]["reports_profilerender"] >= 2  # both languages' PDFs
    source_files = file_hashes(source.media_root)
    assert any(name.startswith("profiles/") for name in source_files)
    assert {
        name.removeprefix("media/"): meta["sha256"]
        for name, meta in manifest["files"].items()
        if name != "database.dump"
    } == source_files

    # Into an empty database, but a media folder that holds files: refused.
    target_url = demo_database.create_empty(f"{demo_database.template}_bk_dst")
    result = entrypoint(
        "restore", str(backup), database_url=target_url, media_root=source.media_root
    )
    assert result.returncode != 0
    assert f"The media folder {source.media_root} is not empty" in result.stderr
    assert table_digests(target_url) == {}

    target_media = tmp_path / "restored-media"
    result = entrypoint("restore", str(backup), database_url=target_url, media_root=target_media)
    assert result.returncode == 0, result.stderr
    assert "Restored the backup of" in result.stdout

    assert table_digests(target_url) == source_digests
    assert file_hashes(target_media) == source_files


def test_a_restore_over_data_or_from_an_incompatible_backup_is_refused(
    backed_up_demo, tmp_path, settings
):
    source, backup = backed_up_demo
    before = table_digests(source.database_url)

    # Over the database it came from, through the entry script: refused, nothing touched.
    fresh_media = tmp_path / "fresh"
    result = entrypoint(
        "restore", str(backup), database_url=source.database_url, media_root=fresh_media
    )
    assert result.returncode != 0
    assert "is not empty" in result.stderr
    assert "a restore never writes over data" in result.stderr
    assert table_digests(source.database_url) == before
    assert not fresh_media.exists()

    def altered(name: str, change) -> Path:
        copy = tmp_path / name
        shutil.copytree(backup, copy)
        manifest = json.loads((copy / "manifest.json").read_text())
        change(manifest, copy)
        (copy / "manifest.json").write_text(json.dumps(manifest))
        return copy

    # The other refusals come before the database is looked at (here, the test database).
    major = int(portal_version().split(".")[0])
    refusals = {
        altered(
            "other-major", lambda m, _: m.update(portal_version=f"{major + 1}.0.0")
        ): f"made by portal version {major + 1}.0.0",
        altered(
            "newer", lambda m, _: m["migrations"]["assessments"].append("9999_from_the_future")
        ): "newer than this code: it has migrations the code does not know "
        "(assessments.9999_from_the_future)",
        altered(
            "damaged", lambda m, copy: (copy / "database.dump").write_bytes(b"not a dump")
        ): "is damaged; nothing was restored.\n  SHA-256 differs: database.dump",
    }
    settings.MEDIA_ROOT = fresh_media
    for path, message in refusals.items():
        with pytest.raises(CommandError) as refused:
            call_command("restore", str(path), stdout=io.StringIO())
        assert message in str(refused.value)
        assert not fresh_media.exists()
