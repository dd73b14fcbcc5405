"""Backup and restore of the portal: the PostgreSQL database and the media folder.

A backup is one directory, `mgi-backup-<UTC time>/`, that describes itself:

    manifest.json   portal version, the applied migrations, the rows of every table and the
                    SHA-256 and size of every file below
    database.dump   `pg_dump --format=custom` of the database named by DATABASE_URL
    media/...       the files under DJANGO_MEDIA_ROOT (evidence, profile PDFs, imports)

It is written under a `.partial` name and renamed once complete, so a directory without
that suffix is a whole backup. The database is dumped before the media files are copied:
every file a row of the dump names was already stored (files are written before the row
that names them commits), so the copy holds it.

A restore goes only into an empty database and an empty media folder, and only from a
backup of the same portal major version whose migrations the code knows (a backup from a
newer portal is refused; one from an older portal is migrated forward after the restore).
Used by `manage.py backup` / `manage.py restore` (and `scripts/entrypoint.sh`).
"""

import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "mgi-backup/1"
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """What stops a backup or a restore, said so that an operator knows what to do."""


def portal_version() -> str:
    with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def _major(version: str) -> str:
    return version.split(".", 1)[0]


# --- PostgreSQL -------------------------------------------------------------------------------


def _connection() -> Any:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        raise BackupError(
            f"Backups need PostgreSQL; DATABASE_URL names a {connection.vendor} database."
        )
    connection.ensure_connection()
    return connection


def pg_tool(name: str, server_major: int) -> str:
    """The pg_dump / pg_restore to use: MGI_PG_BIN if set, else the newest of Debian's
    /usr/lib/postgresql/<n>/bin at least as new as the server (pg_dump refuses an older
    one), else the one on PATH."""
    if override := os.environ.get("MGI_PG_BIN"):
        return str(Path(override) / name)
    candidates = []
    for bin_dir in Path("/usr/lib/postgresql").glob("*/bin"):
        tool = bin_dir / name
        if bin_dir.parent.name.isdigit() and tool.exists():
            candidates.append((int(bin_dir.parent.name), str(tool)))
    newer = sorted(c for c in candidates if c[0] >= server_major)
    if newer:
        return newer[0][1]
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(
        f"{name} (PostgreSQL {server_major} or newer) was not found: install the "
        f"postgresql-client-{server_major} package or set MGI_PG_BIN to its bin folder."
    )


def _pg_env(connection: Any) -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed:\n{result.stderr.strip()}")


def _tables(connection: Any) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def row_counts(connection: Any) -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in _tables(connection):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(connection: Any) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# --- files ------------------------------------------------------------------------------------


def _copy_hashing(source: Path, target: Path) -> str:
    """Copy a file in chunks (never whole in memory) and return its SHA-256."""
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, target.open("wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    shutil.copystat(source, target)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file())


# --- backup -----------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def backup_create(*, output_dir: Path, log: Callable[[str], None] = print) -> BackupResult:
    """Write one backup under `output_dir` and return its directory and manifest."""
    connection = _connection()
    server_major = connection.pg_version // 10000
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    final = output_dir / f"mgi-backup-{stamp}"
    partial = output_dir / f"mgi-backup-{stamp}.partial"
    if final.exists() or partial.exists():
        raise BackupError(f"{final} already exists; wait a second and run the backup again.")
    partial.mkdir(parents=True)
    try:
        manifest = _write_backup(connection, server_major, partial, log)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    partial.rename(final)
    return BackupResult(path=final, manifest=manifest)


def _write_backup(
    connection: Any, server_major: int, target: Path, log: Callable[[str], None]
) -> dict[str, Any]:
    # The counts, the migrations and the dump read one snapshot of the database (exported
    # by a repeatable-read transaction, passed to pg_dump): saves made meanwhile are in none.
    pg_dump = pg_tool("pg_dump", server_major)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        migrations = applied_migrations(connection)
        counts = row_counts(connection)
        log(f"Dumping database {connection.settings_dict['NAME']} ({len(counts)} tables)")
        command = [pg_dump, "--format=custom", "--no-owner", "--no-privileges"]
        command += ["--snapshot", snapshot, "--file", str(target / DUMP)]
        _run(command, _pg_env(connection))
    files = {DUMP: {"sha256": file_sha256(target / DUMP), "size": (target / DUMP).stat().st_size}}
    media_root = Path(settings.MEDIA_ROOT)
    for source in _media_files(media_root):
        relative = f"{MEDIA}/{source.relative_to(media_root).as_posix()}"
        sha = _copy_hashing(source, target / relative)
        files[relative] = {"sha256": sha, "size": source.stat().st_size}
    log(f"Copied {len(files) - 1} media files from {media_root}")
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "portal_version": portal_version(),
        "database": {
            "name": connection.settings_dict["NAME"],
            "server_version": connection.pg_version,
            "dump_tool": Path(pg_dump).parent.parent.name,
        },
        "migrations": migrations,
        "row_counts": counts,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


# --- restore ----------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{path} is not a portal backup: it has no {MANIFEST}.")
    try:
        manifest = json.loads(manifest_path.read_text())
    except json.JSONDecodeError as exc:
        raise BackupError(f"{manifest_path} is damaged: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} is in the format {manifest.get('format')!r}; this portal reads {FORMAT!r}."
        )
    return dict(manifest)


def check_files(path: Path, manifest: dict[str, Any]) -> None:
    """Every file the manifest lists is there with its SHA-256, and nothing else is."""
    listed = set(manifest["files"])
    present = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()}
    present.discard(MANIFEST)
    problems = [f"missing: {name}" for name in sorted(listed - present)]
    problems += [f"not in the manifest: {name}" for name in sorted(present - listed)]
    for name in sorted(listed & present):
        if file_sha256(path / name) != manifest["files"][name]["sha256"]:
            problems.append(f"SHA-256 differs: {name}")
    if problems:
        shown = "\n  ".join(problems[:20])
        raise BackupError(f"The backup {path} is damaged; nothing was restored.\n  {shown}")


def check_compatible(manifest: dict[str, Any], connection: Any) -> None:
    """Refuse a backup of another major version, or with migrations this code lacks."""
    ours, theirs = portal_version(), str(manifest.get("portal_version", "?"))
    if _major(ours) != _major(theirs):
        raise BackupError(
            f"This backup was made by portal version {theirs}; this is version {ours}. "
            "Restore it with a portal of the same major version, then upgrade."
        )
    known = MigrationLoader(connection, ignore_no_migrations=True).disk_migrations
    unknown = [
        f"{app}.{name}"
        for app, names in sorted(manifest["migrations"].items())
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        shown = ", ".join(unknown[:10])
        raise BackupError(
            "This backup's database is newer than this code: it has migrations the code "
            f"does not know ({shown}). Restore it with the portal version that made it "
            f"({theirs}) or newer."
        )


def check_empty_target(connection: Any) -> None:
    tables = _tables(connection)
    name = connection.settings_dict["NAME"]
    if tables:
        raise BackupError(
            f"The database {name} is not empty ({len(tables)} tables): a restore never "
            "writes over data. Create an empty database (createdb) and point DATABASE_URL "
            "at it."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            f"The media folder {media_root} is not empty: a restore never writes over files. "
            "Point DJANGO_MEDIA_ROOT at an empty or new folder."
        )


def restore_apply(*, path: Path, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Restore the backup at `path` into the (empty) database and media folder."""
    connection = _connection()
    manifest = read_manifest(path)
    check_compatible(manifest, connection)
    check_files(path, manifest)
    check_empty_target(connection)
    log(f"Restoring database {connection.settings_dict['NAME']} from {path / DUMP}")
    pg_restore = pg_tool("pg_restore", connection.pg_version // 10000)
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            connection.settings_dict["NAME"],
            str(path / DUMP),
        ],
        _pg_env(connection),
    )
    media_root = Path(settings.MEDIA_ROOT)
    copied = 0
    for name, meta in manifest["files"].items():
        if not name.startswith(f"{MEDIA}/"):
            continue
        target = media_root / name.removeprefix(f"{MEDIA}/")
        if _copy_hashing(path / name, target) != meta["sha256"]:
            raise BackupError(f"{name} changed while it was being restored.")
        copied += 1
    log(f"Restored {copied} media files into {media_root}")
    differences = _count_differences(manifest["row_counts"], row_counts(connection))
    if differences:
        log("Rows that differ from the manifest (written while the backup ran): " + differences)
    return manifest


def _count_differences(expected: dict[str, int], actual: dict[str, int]) -> str:
    tables = sorted(set(expected) | set(actual))
    return ", ".join(
        f"{t} {expected.get(t)}→{actual.get(t)}" for t in tables if expected.get(t) != actual.get(t)
    )


def backup_dir_default() -> Path:
    return Path(os.environ.get("MGI_BACKUP_DIR") or Path(settings.BASE_DIR) / "backups")
