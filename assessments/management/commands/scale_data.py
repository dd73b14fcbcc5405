"""Production-sized demonstration data for the scale benchmark (bench/bench_scale.py)."""

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.demo.scale import scale_assessments, scale_clear, scale_generate
from indicators.models import FrameworkVersion
from ministries.models import Province
from ministries.services import institutions_load


class Command(BaseCommand):
    help = (
        "Generate one national and N provincial assessments in data collection, each with a "
        "complete survey matrix and answers in every state (38 provinces: about 100,000 "
        "responses), marked as demonstration data. Refused in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provinces", type=int, default=38, help="0 to 38 (default 38)")
        parser.add_argument(
            "--institutions",
            type=int,
            default=40,
            help="institutions per province, generic agencies added where needed (default 40)",
        )
        parser.add_argument("--year", type=int, default=2025, help="of the rounds (default 2025)")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument(
            "--replace", action="store_true", help="delete this year's scale data first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("scale_data writes demonstration data and refuses production.")
        provinces, year = options["provinces"], options["year"]
        if not 0 <= provinces <= 38:
            raise CommandError("--provinces must be between 0 and 38.")
        if options["institutions"] < 1:
            raise CommandError("--institutions must be at least 1.")
        if not FrameworkVersion.objects.filter(code="mgi-local-2023").exists():
            call_command("load_framework", stdout=self.stdout)
        if Province.objects.count() < provinces:
            institutions_load()
        if scale_assessments(year).exists():
            if not options["replace"]:
                raise CommandError(
                    f"Scale data for {year} exists already; pass --replace to generate it again."
                )
            self.stdout.write(f"deleted {scale_clear(year=year)} scale assessments of {year}")
        start = time.perf_counter()
        try:
            result = scale_generate(
                provinces=provinces,
                institutions_per_province=options["institutions"],
                year=year,
                seed=options["seed"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.assessments)} assessments, {result.responses} responses "
                f"({result.institutions_created} institutions and {result.users_created} users "
                f"created) in {time.perf_counter() - start:.1f} s"
            )
        )
