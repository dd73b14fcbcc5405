"""Load the demonstration data: each app seeds its own part, in the order of the cycle."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from assessments.demo import seed_assessments
from indicators.models import FrameworkVersion
from ministries.demo import DEMO_USERS, seed_people
from ministries.models import User
from reports.demo import DemoRenderFailed, seed_profile


class Command(BaseCommand):
    help = (
        "Load the demonstration data: institutions, provinces, demo users (password 'demo') "
        "and the Indonesia 2023 and Central Java 2023 assessments. Idempotent. Refused in production."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "seed_demo loads published demo passwords and refuses to run in production."
            )
        if not FrameworkVersion.objects.filter(code="mgi-national-2023").exists():
            call_command("load_framework", stdout=self.stdout)
        seed_people(self.stdout)
        central_java = seed_assessments(self.stdout)
        try:
            seed_profile(central_java, self.stdout)
        except DemoRenderFailed as exc:
            raise CommandError(f"Rendering the demo profile failed: {exc}") from exc
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Logins (password 'demo'):"))
        for username, role, acronym, province, _name in DEMO_USERS:
            where = acronym or (f"province {province}" if province else "")
            self.stdout.write(f"  {username:<22} {User.Role(role).label} {where}")
