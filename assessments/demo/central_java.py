"""The Central Java 2023 demo round, through the same services a person would use."""

import datetime
import zoneinfo

from assessments.collection import services as collection_services
from assessments.consolidation import services as consolidation_services
from assessments.demo import data
from assessments.history_reasons import DEMO, reason_code
from assessments.models import (
    Assessment,
    AssessmentStatusChange,
    Assignment,
    ConsolidatedAnswer,
    Evidence,
    Response,
)
from assessments.review import services as review_services
from assessments.setup import services as setup_services
from assessments.validation import services as validation_services
from indicators.instruments import reference, register
from indicators.models import FrameworkVersion, LegalInstrument
from indicators.register import instruments_load
from ministries.demo import demo_focal_point
from ministries.models import Institution, Province, User

CENTRAL_JAVA = "33"
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def demo_register() -> dict[str, LegalInstrument]:
    """The register as the demo cites it, by short form: the reference instruments (loaded
    if they are not yet) and the demonstration's own governor regulation."""
    instruments_load()
    values = dict(data.JATENG_DEMO_INSTRUMENT)
    identity = {k: values.pop(k) for k in ("kind", "number", "year", "issuer_name_id")}
    LegalInstrument.objects.get_or_create(**identity, issuer=None, defaults=values)
    return {reference(i): i for i in register()}


def central_java_assessment(coordinator: User) -> Assessment:
    existing = Assessment.objects.filter(
        scope=Assessment.Scope.PROVINCIAL, province__code=CENTRAL_JAVA, year=2023, round=1
    ).first()
    if existing is not None:
        return existing
    return setup_services.assessment_create(
        actor=coordinator,
        framework=FrameworkVersion.objects.get(code="mgi-local-2023"),
        province=Province.objects.get(code=CENTRAL_JAVA),
        year=2023,
        title_en="Migration Governance Indicators 2023: Central Java Province (demonstration)",
        title_id="Indikator Tata Kelola Migrasi 2023: Provinsi Jawa Tengah (demonstrasi)",
        data_collection_deadline=datetime.date(2023, 9, 8),
        is_demo=True,
    )


class CentralJavaCycle:
    """The Central Java 2023 round, carried from setup to approval (fictional data); the
    profile and its publication are the reports app's demo (`reports.demo`).

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

    def __init__(self, assessment: Assessment, institutions: dict[str, Institution]):
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

    def _move(self, to: str, note: str = "") -> None:
        setup_services.assessment_transition(
            assessment=self.assessment, actor=self.coordinator, to=to, note=note
        )
        # Demonstration dates follow the real 2023 calendar of the Central Java assessment.
        AssessmentStatusChange.objects.filter(assessment=self.assessment, to_status=to).update(
            created_at=self.DATES[to]
        )

    def _focal(self, acronym: str) -> User:
        return demo_focal_point(self.institutions[acronym])

    def _setup(self) -> None:
        a = self.assessment
        setup_services.assessment_set_participants(
            assessment=a,
            actor=self.coordinator,
            institutions=[self.institutions[x] for x in data.JATENG_2023_PARTICIPANTS],
        )
        setup_services.assessment_set_facilitators(
            assessment=a, actor=self.coordinator, facilitators=[self.facilitator]
        )
        cells: dict[tuple[int, int], str] = {}
        for indicator in a.framework.indicators.select_related("subarea"):
            lead, contributors = data.jateng_assignment(indicator.code, indicator.subarea.code)
            cells[(indicator.pk, self.institutions[lead].pk)] = Assignment.Role.LEAD
            for acronym in contributors:
                cells[(indicator.pk, self.institutions[acronym].pk)] = Assignment.Role.CONTRIBUTOR
        setup_services.matrix_apply(assessment=a, actor=self.coordinator, cells=cells)
        self._move(Assessment.Status.DATA_COLLECTION)

    def _answers(self) -> None:
        a = self.assessment
        citations: dict[int, list[Evidence]] = {}
        cited = demo_register()
        responses = Response.objects.filter(assessment=a).select_related("indicator", "institution")
        for response in responses:
            institution = response.institution
            actor = self._focal(institution.acronym)
            if institution.pk not in citations:
                citations[institution.pk] = [
                    collection_services.evidence_create(
                        assessment=a,
                        institution=institution,
                        actor=actor,
                        kind="citation",
                        instrument=cited[c["instrument"]],
                        article=c.get("article", ""),
                    )
                    for c in data.JATENG_CITATIONS
                ]
            answer = data.jateng_answer(
                response.indicator.code, national_competence=response.indicator.national_competence
            )
            if answer == "na" and not response.indicator.allows_not_applicable:
                answer = "no"
            _en, id_ = data.JATENG_NARRATIVES[answer]
            evidence = citations[institution.pk][:2] if answer in ("yes", "partial") else []
            collection_services.response_update(
                response=response,
                actor=actor,
                version=response.version,
                answer=answer,
                justification=id_,
                evidence=evidence,
                reason=reason_code(DEMO),
            )
        for acronym in {r.institution.acronym for r in responses}:
            collection_services.submission_create(
                assessment=a, institution=self.institutions[acronym], actor=self._focal(acronym)
            )
        self._move(Assessment.Status.CROSS_CHECK)

    def _cross_check(self) -> None:
        a = self.assessment
        for response in Response.objects.filter(assessment=a, state=Response.State.SUBMITTED):
            if response.review_state != Response.ReviewState.ACCEPTED:
                review_services.response_review(
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
            en, id_ = data.JATENG_NARRATIVES[lead.answer]
            consolidation_services.consolidated_save(
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
            session = validation_services.validation_session_save(
                assessment=a,
                actor=self.coordinator,
                held_on=datetime.date(2023, 9, 18),
                format="hybrid",
                place="Semarang",
                participant_count=121,
                institutions=[self.institutions[x] for x in data.JATENG_2023_PARTICIPANTS],
                notes=data.JATENG_FGD_NOTES,
            )
            changed = a.framework.indicators.filter(national_competence=False).order_by("order")[3]
            for indicator in a.framework.indicators.all():
                if indicator.pk == changed.pk:
                    validation_services.validation_decide(
                        session=session,
                        indicator=indicator,
                        actor=self.coordinator,
                        decision="changed",
                        answer="yes",
                        reason=data.JATENG_FGD_CHANGE_REASON,
                    )
                    # The facilitators rewrite the narrative to what the FGD showed: a
                    # narrative left saying "no measure" would contradict its new answer.
                    current = a.consolidated_answers.get(indicator=indicator)
                    consolidation_services.consolidated_save(
                        assessment=a,
                        indicator=indicator,
                        actor=self.facilitator,
                        answer="yes",
                        coverage=current.coverage,
                        narrative_en=data.JATENG_FGD_NARRATIVE[0],
                        narrative_id=data.JATENG_FGD_NARRATIVE[1],
                        evidence=list(current.evidence.all()),
                        sources=list(current.sources.all()),
                        version=current.version,
                    )
                else:
                    validation_services.validation_decide(
                        session=session,
                        indicator=indicator,
                        actor=self.coordinator,
                        decision="confirmed",
                    )
        self._move(Assessment.Status.APPROVED)
