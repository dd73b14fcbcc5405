"""`manage.py restore <backup>`: a backup of `manage.py backup` into an empty database and
media folder."""

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from config.backup import BackupError, restore_apply


class Command(BaseCommand):
    help = (
        "Restore a backup directory made by `backup` into the EMPTY database named by "
        "DATABASE_URL and the EMPTY folder DJANGO_MEDIA_ROOT. Refuses to write over data, a "
        "damaged backup, a backup of another major version or one newer than the code."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="the mgi-backup-… directory")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["backup"].resolve()
        if not path.is_dir():
            raise CommandError(f"{path} is not a directory: name an mgi-backup-… directory.")
        try:
            manifest = restore_apply(path=path, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("The backup is older than the code: applying the newer migrations")
            call_command("migrate", interactive=False, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} "
                f"(portal {manifest['portal_version']})."
            )
        )
