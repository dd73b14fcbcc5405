import datetime
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from assessments import demo_data
from assessments import services as assessment_services
from assessments.models import Assessment, Assignment
from indicators.models import FrameworkVersion
from ministries import services
from ministries.models import Institution, Province, User

DEMO_PASSWORD = "demo"  # noqa: S105 - published demo logins, refused under production settings

# (username, role, institution acronym, province code, full name)
DEMO_USERS: list[tuple[str, str, str | None, str | None, str]] = [
    ("admin", User.Role.ADMINISTRATOR, None, None, "Portal Administrator"),
    ("coordinator", User.Role.NATIONAL_COORDINATOR, "KEMLU", None, "Dewi Kusuma (MOFA)"),
    ("facilitator", User.Role.FACILITATOR, None, None, "Maria Santos (IOM)"),
    ("focal-kemnaker", User.Role.FOCAL_POINT, "KEMNAKER", None, "Budi Santoso"),
    ("focal-bp2mi", User.Role.FOCAL_POINT, "BP2MI", None, "Siti Rahmawati"),
    ("focal-kemlu", User.Role.FOCAL_POINT, "KEMLU", None, "Andi Pratama"),
    ("focal-imigrasi", User.Role.FOCAL_POINT, "IMIGRASI", None, "Rina Wulandari"),
    ("focal-bps", User.Role.FOCAL_POINT, "BPS", None, "Agus Setiawan"),
    (
        "jateng-coordinator",
        User.Role.PROVINCIAL_COORDINATOR,
        None,
        "33",
        "Sri Lestari (Jawa Tengah)",
    ),
    ("focal-disnakertrans", User.Role.FOCAL_POINT, "DISNAKERTRANS-JATENG", None, "Wahyu Hidayat"),
    ("focal-bpbd-jateng", User.Role.FOCAL_POINT, "BPBD-JATENG", None, "Yuni Astuti"),
]

CENTRAL_JAVA = "33"


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
        result = services.institutions_load()
        self.stdout.write(
            f"institutions and provinces: {result.created} created, {result.updated} updated"
        )

        institutions = {i.acronym: i for i in Institution.objects.all()}
        provinces = {p.code: p for p in Province.objects.all()}
        for username, role, acronym, province, name in DEMO_USERS:
            first, _, last = name.partition(" ")
            services.user_upsert(
                username=username,
                role=role,
                password=DEMO_PASSWORD,
                email=f"{username}@demo.mgi.localhost",
                first_name=first,
                last_name=last,
                institution=institutions[acronym] if acronym else None,
                province=provinces[province] if province else None,
                is_staff=role == User.Role.ADMINISTRATOR,
                is_superuser=role == User.Role.ADMINISTRATOR,
            )
        coordinator = User.objects.get(username="coordinator")
        jateng = User.objects.get(username="jateng-coordinator")

        national_fw = FrameworkVersion.objects.get(code="mgi-national-2023")
        local_fw = FrameworkVersion.objects.get(code="mgi-local-2023")
        national = Assessment.objects.filter(
            scope=Assessment.Scope.NATIONAL, year=2023, round=1
        ).first()
        if national is None:
            national = assessment_services.assessment_create(
                actor=coordinator,
                framework=national_fw,
                year=2023,
                title_en="Migration Governance Indicators 2023: Republic of Indonesia (demonstration)",
                title_id="Indikator Tata Kelola Migrasi 2023: Republik Indonesia (demonstrasi)",
                data_collection_deadline=datetime.date(2023, 6, 9),
            )
        if not Assessment.objects.filter(
            scope=Assessment.Scope.PROVINCIAL, province__code=CENTRAL_JAVA, year=2023, round=1
        ).exists():
            assessment_services.assessment_create(
                actor=jateng,
                framework=local_fw,
                province=provinces[CENTRAL_JAVA],
                year=2023,
                title_en="Migration Governance Indicators 2023: Central Java Province (demonstration)",
                title_id="Indikator Tata Kelola Migrasi 2023: Provinsi Jawa Tengah (demonstrasi)",
                data_collection_deadline=datetime.date(2023, 9, 8),
            )
        self._national_matrix(national, coordinator, institutions)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Logins (password 'demo'):"))
        for username, role, acronym, province, _name in DEMO_USERS:
            where = acronym or (f"province {province}" if province else "")
            self.stdout.write(f"  {username:<22} {User.Role(role).label} {where}")

    def _national_matrix(
        self, assessment: Assessment, coordinator: User, institutions: dict[str, Institution]
    ) -> None:
        """The full survey matrix, open for data collection, with no answers filled."""
        facilitator = User.objects.get(username="facilitator")
        assessment_services.assessment_set_participants(
            assessment=assessment,
            actor=coordinator,
            institutions=[institutions[a] for a in demo_data.NATIONAL_2023_PARTICIPANTS],
        )
        assessment_services.assessment_set_facilitators(
            assessment=assessment, actor=coordinator, facilitators=[facilitator]
        )
        if assessment.status not in (Assessment.Status.SETUP, Assessment.Status.DATA_COLLECTION):
            return
        cells: dict[tuple[int, int], str] = {}
        for indicator in assessment.framework.indicators.select_related("subarea"):
            lead, contributors = demo_data.assignment_for(indicator.code, indicator.subarea.code)
            cells[(indicator.pk, institutions[lead].pk)] = Assignment.Role.LEAD
            for acronym in contributors:
                cells[(indicator.pk, institutions[acronym].pk)] = Assignment.Role.CONTRIBUTOR
        assessment_services.matrix_apply(assessment=assessment, actor=coordinator, cells=cells)
        if assessment.status == Assessment.Status.SETUP:
            assessment_services.assessment_transition(
                assessment=assessment,
                actor=coordinator,
                to=Assessment.Status.DATA_COLLECTION,
                note="Demo: survey matrix complete, data collection open.",
            )
