import datetime
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from assessments import demo_data
from assessments import services as assessment_services
from assessments.models import Assessment, Assignment, Evidence
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
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


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
                is_demo=True,
            )
        jateng_assessment = Assessment.objects.filter(
            scope=Assessment.Scope.PROVINCIAL, province__code=CENTRAL_JAVA, year=2023, round=1
        ).first()
        if jateng_assessment is None:
            jateng_assessment = assessment_services.assessment_create(
                actor=jateng,
                framework=local_fw,
                province=provinces[CENTRAL_JAVA],
                year=2023,
                title_en="Migration Governance Indicators 2023: Central Java Province (demonstration)",
                title_id="Indikator Tata Kelola Migrasi 2023: Provinsi Jawa Tengah (demonstrasi)",
                data_collection_deadline=datetime.date(2023, 9, 8),
                is_demo=True,
            )
        self._national_matrix(national, coordinator, institutions)
        JatengCycle(self, jateng_assessment, institutions).run()
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


class JatengCycle:
    """The Central Java 2023 round, carried from setup to a published profile (fictional data).

    Every step goes through the same services a person would use; each step is skipped when
    the assessment is already past it, so running seed_demo again changes nothing.
    """

    DATES: dict[str, datetime.datetime] = {
        Assessment.Status.DATA_COLLECTION: datetime.datetime(2023, 8, 31, 10, 0, tzinfo=JAKARTA),
        Assessment.Status.CROSS_CHECK: datetime.datetime(2023, 9, 11, 10, 0, tzinfo=JAKARTA),
        Assessment.Status.VALIDATION: datetime.datetime(2023, 9, 15, 10, 0, tzinfo=JAKARTA),
        Assessment.Status.APPROVED: datetime.datetime(2023, 12, 19, 15, 0, tzinfo=JAKARTA),
        Assessment.Status.PUBLISHED: datetime.datetime(2024, 6, 12, 9, 0, tzinfo=JAKARTA),
    }

    def __init__(
        self, command: BaseCommand, assessment: Assessment, institutions: dict[str, Institution]
    ):
        self.out = command.stdout
        self.assessment = assessment
        self.institutions = institutions
        self.coordinator = User.objects.get(username="jateng-coordinator")
        self.facilitator = User.objects.get(username="facilitator")

    def run(self) -> None:
        a = self.assessment
        if a.status == Assessment.Status.PUBLISHED:
            return
        if a.status == Assessment.Status.SETUP:
            self._setup()
        if a.status == Assessment.Status.DATA_COLLECTION:
            self._answers()
        if a.status == Assessment.Status.CROSS_CHECK:
            self._cross_check()
        if a.status == Assessment.Status.VALIDATION:
            self._validation()
        if a.status == Assessment.Status.APPROVED:
            self._profile()
        self.out.write(f"Central Java 2023: {Assessment.Status(a.status).label}")

    def _move(self, to: str, note: str = "") -> None:

        from assessments.models import AssessmentStatusChange

        assessment_services.assessment_transition(
            assessment=self.assessment, actor=self.coordinator, to=to, note=note
        )
        # Demonstration dates follow the real 2023 calendar of the Central Java assessment.
        AssessmentStatusChange.objects.filter(assessment=self.assessment, to_status=to).update(
            created_at=self.DATES[to]
        )

    def _focal(self, acronym: str) -> User:
        user, _created = services.user_upsert(
            username=f"focal-{acronym.lower()}",
            role=User.Role.FOCAL_POINT,
            password=DEMO_PASSWORD,
            email=f"focal-{acronym.lower()}@demo.mgi.localhost",
            institution=self.institutions[acronym],
        )
        return user

    def _setup(self) -> None:
        a = self.assessment
        assessment_services.assessment_set_participants(
            assessment=a,
            actor=self.coordinator,
            institutions=[self.institutions[x] for x in demo_data.JATENG_2023_PARTICIPANTS],
        )
        assessment_services.assessment_set_facilitators(
            assessment=a, actor=self.coordinator, facilitators=[self.facilitator]
        )
        cells: dict[tuple[int, int], str] = {}
        for indicator in a.framework.indicators.select_related("subarea"):
            lead, contributors = demo_data.jateng_assignment(indicator.code, indicator.subarea.code)
            cells[(indicator.pk, self.institutions[lead].pk)] = Assignment.Role.LEAD
            for acronym in contributors:
                cells[(indicator.pk, self.institutions[acronym].pk)] = Assignment.Role.CONTRIBUTOR
        assessment_services.matrix_apply(assessment=a, actor=self.coordinator, cells=cells)
        self._move(Assessment.Status.DATA_COLLECTION)

    def _answers(self) -> None:
        from assessments.models import Response

        a = self.assessment
        citations: dict[int, list[Evidence]] = {}
        responses = Response.objects.filter(assessment=a).select_related("indicator", "institution")
        for response in responses:
            institution = response.institution
            actor = self._focal(institution.acronym)
            if institution.pk not in citations:
                citations[institution.pk] = [
                    assessment_services.evidence_create(
                        assessment=a,
                        institution=institution,
                        actor=actor,
                        kind="citation",
                        **c,  # type: ignore[arg-type]
                    )
                    for c in demo_data.JATENG_CITATIONS
                ]
            answer = demo_data.jateng_answer(
                response.indicator.code, national_competence=response.indicator.national_competence
            )
            if answer == "na" and not response.indicator.allows_not_applicable:
                answer = "no"
            _en, id_ = demo_data.JATENG_NARRATIVES[answer]
            evidence = citations[institution.pk][:2] if answer in ("yes", "partial") else []
            assessment_services.response_update(
                response=response,
                actor=actor,
                version=response.version,
                answer=answer,
                justification=id_,
                evidence=evidence,
                reason="Demo",
            )
        for acronym in {r.institution.acronym for r in responses}:
            assessment_services.submission_create(
                assessment=a, institution=self.institutions[acronym], actor=self._focal(acronym)
            )
        self._move(Assessment.Status.CROSS_CHECK)

    def _cross_check(self) -> None:
        from assessments.models import ConsolidatedAnswer, Response

        a = self.assessment
        for response in Response.objects.filter(assessment=a, state=Response.State.SUBMITTED):
            if response.review_state != Response.ReviewState.ACCEPTED:
                assessment_services.response_review(
                    response=response, actor=self.facilitator, decision="accept"
                )
        done = set(
            ConsolidatedAnswer.objects.filter(assessment=a).values_list("indicator_id", flat=True)
        )
        for indicator in a.framework.indicators.exclude(pk__in=done):
            answers = list(
                Response.objects.filter(assessment=a, indicator=indicator).exclude(answer="")
            )
            lead = next(
                (
                    r
                    for r in answers
                    if a.assignments.filter(
                        indicator=indicator, institution=r.institution, role="lead"
                    ).exists()
                ),
                answers[0],
            )
            en, id_ = demo_data.JATENG_NARRATIVES[lead.answer]
            assessment_services.consolidated_save(
                assessment=a,
                indicator=indicator,
                actor=self.facilitator,
                answer=lead.answer,
                coverage=lead.coverage,
                narrative_en=en,
                narrative_id=id_,
                evidence=list(lead.evidence.all()),
                sources=answers,
            )
        self._move(Assessment.Status.VALIDATION)

    def _validation(self) -> None:
        a = self.assessment
        if not a.validation_sessions.exists():
            session = assessment_services.validation_session_save(
                assessment=a,
                actor=self.coordinator,
                held_on=datetime.date(2023, 9, 18),
                format="hybrid",
                place="Semarang",
                participant_count=121,
                institutions=[self.institutions[x] for x in demo_data.JATENG_2023_PARTICIPANTS],
                notes="Demonstration record of the focus group discussion.",
            )
            changed = a.framework.indicators.filter(national_competence=False).order_by("order")[3]
            for indicator in a.framework.indicators.all():
                if indicator.pk == changed.pk:
                    assessment_services.validation_decide(
                        session=session,
                        indicator=indicator,
                        actor=self.coordinator,
                        decision="changed",
                        answer="yes",
                        reason="Demo: the provincial regulation adopted in 2023 was shown at the FGD.",
                    )
                else:
                    assessment_services.validation_decide(
                        session=session,
                        indicator=indicator,
                        actor=self.coordinator,
                        decision="confirmed",
                    )
        self._move(Assessment.Status.APPROVED)

    def _profile(self) -> None:
        import time

        from reports import services as report_services
        from reports.models import Profile, ProfileRender

        a = self.assessment
        profile = a.profiles.filter(
            status=Profile.Status.DRAFT
        ).first() or report_services.profile_create(assessment=a, actor=self.coordinator)
        for language in ("en", "id"):
            render = profile.renders.filter(language=language).first()
            if render is None or render.status != ProfileRender.Status.DONE:
                render = report_services.render_request(
                    profile=profile, language=language, actor=self.coordinator
                )
                if settings.CELERY_TASK_ALWAYS_EAGER:
                    # Without a worker, render here: inside a transaction (as in tests) the
                    # queued task would only run at commit, after this step waits for it.
                    report_services.profile_render(render_id=render.pk)
        # With a worker (REDIS_URL set), wait for it; eagerly, the renders are already done.
        deadline = time.monotonic() + 300
        while profile.renders.exclude(status=ProfileRender.Status.DONE).exists():
            failed = profile.renders.filter(status=ProfileRender.Status.FAILED).first()
            if failed or time.monotonic() > deadline:
                raise CommandError(
                    f"Rendering the demo profile failed: {failed.error if failed else 'timeout'}"
                )
            time.sleep(1)
        profile = report_services.profile_approve(profile=profile, actor=self.coordinator)
        report_services.profile_publish(profile=profile, actor=self.coordinator)

        from assessments.models import AssessmentStatusChange

        when = self.DATES[Assessment.Status.PUBLISHED]
        Profile.objects.filter(pk=profile.pk).update(published_at=when)
        AssessmentStatusChange.objects.filter(
            assessment=a, to_status=Assessment.Status.PUBLISHED
        ).update(created_at=when)
        a.refresh_from_db()
