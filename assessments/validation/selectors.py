"""Reads of validation: sessions, decisions, the decision sheet and snapshots.

Each starts from an assessment already reached through the permissions door
(`permissions.get_validation_assessment_for_user` or `get_validation_session_for_user`).
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from assessments.models import (
    Assessment,
    Assignment,
    ConsolidatedAnswer,
    Snapshot,
    ValidationDecision,
    ValidationSession,
)
from indicators.bilingual import active_language
from indicators.models import Indicator
from ministries.models import Institution


def validation_sessions(assessment: Assessment) -> QuerySet[ValidationSession]:
    """The assessment's sessions with their institutions and decision counts; two queries."""
    return (
        ValidationSession.objects.filter(assessment=assessment)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("institutions", queryset=Institution.objects.order_by("acronym"))
        )
        .annotate(
            decision_count=Count("decisions"),
            changed_count=Count(
                "decisions", filter=Q(decisions__decision=ValidationDecision.Decision.CHANGED)
            ),
        )
        .order_by("held_on", "pk")
    )


def validation_institution_choices(assessment: Assessment) -> list[Institution]:
    """Institutions that can be present at a session: the participants and the assigned."""
    assigned = Assignment.objects.filter(assessment=assessment).values("institution_id")
    invited = Assessment.participants.through.objects.filter(assessment=assessment).values(
        "institution_id"
    )
    return list(
        Institution.objects.filter(Q(pk__in=assigned) | Q(pk__in=invited)).order_by("acronym")
    )


def validation_decisions(session: ValidationSession) -> QuerySet[ValidationDecision]:
    """What a session decided, in indicator order, with the indicator and who decided."""
    return (
        ValidationDecision.objects.filter(session=session)
        .select_related("indicator", "decided_by")
        .order_by("indicator__order")
    )


@dataclass
class DecisionRow:
    """One line of a session's decision sheet, with its labels translated once for the page."""

    indicator: Indicator
    consolidated: ConsolidatedAnswer | None
    decision: ValidationDecision | None
    choices: list[tuple[str, str]]
    answer_label: str = ""
    coverage_label: str = ""
    decision_label: str = ""
    previous_label: str = ""
    new_label: str = ""
    new_coverage_label: str = ""


class _SheetLabels:
    """The choices' labels, translated once for the page, not once per row."""

    def __init__(self) -> None:
        # Consolidated answers: "no information" included, so it is never shown as absent.
        self.answers = {value: str(label) for value, label in ConsolidatedAnswer.Answer.choices}
        self.coverages = {value: str(label) for value, label in Indicator.Coverage.choices}
        self.verdicts = {value: str(label) for value, label in ValidationDecision.Decision.choices}
        self.with_na = list(self.answers.items())
        self.without_na = [
            c for c in self.with_na if c[0] != ConsolidatedAnswer.Answer.NOT_APPLICABLE
        ]

    def row(
        self,
        indicator: Indicator,
        c: ConsolidatedAnswer | None,
        d: ValidationDecision | None,
    ) -> DecisionRow:
        return DecisionRow(
            indicator=indicator,
            consolidated=c,
            decision=d,
            choices=self.with_na if indicator.allows_not_applicable else self.without_na,
            answer_label=self.answers.get(c.answer, "") if c else "",
            coverage_label=self.coverages.get(c.coverage, "") if c else "",
            decision_label=self.verdicts.get(d.decision, "") if d else "",
            previous_label=self.answers.get(d.previous_answer, "") if d else "",
            new_label=self.answers.get(d.answer, "") if d else "",
            new_coverage_label=self.coverages.get(d.coverage, "") if d else "",
        )


def validation_sheet(
    assessment: Assessment, session: ValidationSession, *, indicator: Indicator | None = None
) -> list[DecisionRow]:
    """Every indicator (or just `indicator`) with its consolidated answer and this session's
    decision; three queries.

    Labels are translated once for the page, not once per row.
    """
    lang = active_language()
    only_one = Q(indicator=indicator) if indicator is not None else Q()
    consolidated = {
        c.indicator_id: c
        for c in ConsolidatedAnswer.objects.filter(only_one, assessment=assessment).only(
            "indicator_id", "answer", "coverage", "version"
        )
    }
    decisions = {
        d.indicator_id: d
        for d in ValidationDecision.objects.filter(only_one, session=session).only(
            "indicator_id", "decision", "previous_answer", "answer", "coverage", "reason"
        )
    }
    labels = _SheetLabels()
    indicators = (
        Indicator.objects.filter(
            Q(pk=indicator.pk) if indicator is not None else Q(),
            framework_id=assessment.framework_id,
        )
        .only(
            "code",
            "order",
            "allows_not_applicable",
            "has_coverage",
            "question_en",
            f"question_{lang}",
        )
        .order_by("order")
    )
    return [
        labels.row(item, consolidated.get(item.pk), decisions.get(item.pk)) for item in indicators
    ]


def snapshots_of(assessment: Assessment) -> QuerySet[Snapshot]:
    """The assessment's snapshots, newest first, without their (large) data."""
    return (
        Snapshot.objects.filter(assessment=assessment)
        .select_related("approved_by")
        .defer("data")
        .order_by("-number")
    )


def frozen_snapshots(assessment: Assessment) -> QuerySet[Snapshot]:
    """The assessment's snapshots with their frozen data and who approved them."""
    return Snapshot.objects.filter(assessment=assessment).select_related("approved_by")


def latest_snapshot_number(assessment: Assessment) -> int | None:
    """The number of the assessment's newest snapshot, if any; one query."""
    latest = (
        Snapshot.objects.filter(assessment=assessment).order_by("-number").values("number").first()
    )
    return latest["number"] if latest else None
