from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.collection.citations import citations_match
from indicators import framework_io, services
from indicators.framework_io import FrameworkInvalid
from indicators.register import instruments_load


class Command(BaseCommand):
    help = (
        "Load the GCM / SDG 10.7.2 crosswalks, the register of legal instruments and the MGI "
        "framework versions kept in indicators/data/, and link typed citations that agree "
        "with the register. Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files",
            nargs="*",
            type=Path,
            help="Framework YAML files (default: every file in indicators/data/frameworks/).",
        )

    def handle(self, *args: Any, files: list[Path], **options: Any) -> None:
        crosswalks = services.crosswalks_load(
            data=framework_io.load_yaml(framework_io.CROSSWALKS_FILE)
        )
        self.stdout.write(f"crosswalks: {crosswalks.created} created, {crosswalks.updated} updated")
        register = instruments_load()
        linked = citations_match()
        self.stdout.write(
            f"legal instruments: {register.created} created, {register.updated} updated; "
            f"{linked} typed citation(s) linked to the register"
        )
        paths = files or sorted(framework_io.FRAMEWORKS_DIR.glob("*.yaml"))
        for path in paths:
            try:
                result = services.framework_load_file(path=path)
            except FrameworkInvalid as exc:
                for error in exc.errors:
                    self.stderr.write(f"{path.name}: {error}")
                raise CommandError(
                    f"{path.name}: {len(exc.errors)} error(s); nothing loaded."
                ) from exc
            assert result.framework is not None
            self.stdout.write(
                f"{result.framework.code}: {result.framework.indicators.count()} indicators "
                f"({result.created} created, {result.updated} updated, {result.deleted} removed)"
            )
