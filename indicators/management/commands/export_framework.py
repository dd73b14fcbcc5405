from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.models import FrameworkVersion
from indicators.resources import framework_workbook_bytes


class Command(BaseCommand):
    help = "Export a framework version as an Excel workbook (sheets Framework, Dimensions, Sub-areas, Indicators)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="Framework version code, e.g. mgi-national-2023")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args: Any, code: str, output: Path, **options: Any) -> None:
        framework = FrameworkVersion.objects.filter(code=code).first()
        if framework is None:
            raise CommandError(f"No framework version {code!r}.")
        output.write_bytes(framework_workbook_bytes(framework))
        self.stdout.write(f"{code}: written to {output}")
