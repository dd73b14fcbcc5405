"""`manage.py backup`: one self-describing backup of the database and the media files."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.backup import BackupError, backup_create, backup_dir_default


class Command(BaseCommand):
    help = (
        "Back up the database named by DATABASE_URL (pg_dump, custom format) and the media "
        "folder into one timestamped directory with a manifest (portal version, migrations, "
        "rows per table, SHA-256 of every file). README, 'Backup and restore'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=None,
            help="where to write the backup (default: MGI_BACKUP_DIR, else ./backups)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output_dir = options["output_dir"] or backup_dir_default()
        try:
            result = backup_create(output_dir=output_dir, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result.manifest["row_counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {result.path} ({rows} rows, {len(result.manifest['files'])} files)"
            )
        )
        # The last line is the path alone, for scripts (cron jobs copying it elsewhere).
        self.stdout.write(str(result.path))
