from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators import services
from indicators.framework_io import FrameworkInvalid
from indicators.spreadsheets import WorkbookError


class Command(BaseCommand):
    help = (
        "Import a framework version from an Excel workbook. Every sheet is validated first; "
        "if any cell is wrong nothing is applied and each error is listed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report, apply nothing."
        )

    def handle(self, *args: Any, file: Path, dry_run: bool, **options: Any) -> None:
        try:
            with file.open("rb") as fh:
                result = services.framework_import_workbook(
                    upload=fh, name=file.name, dry_run=dry_run
                )
        except (FrameworkInvalid, WorkbookError) as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} error(s); nothing was imported.") from exc
        assert result.framework is not None
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            f"{result.framework.code}: {verb} {result.created} created, {result.updated} updated, "
            f"{result.deleted} removed"
        )
