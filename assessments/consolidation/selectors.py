"""Reads of consolidation: rows across institutions, side-by-side comparison, history."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from assessments.collection.selectors import role_subquery
from assessments.consolidation.services import comparison_has_conflict
from assessments.consolidation.takeover import TakeOverCheck, TakeOverPlan, take_over_check
from assessments.consolidation.takeover import take_over_plan as _plan
from assessments.history_reasons import reason_text
from assessments.models import Assessment, Assignment, ConsolidatedAnswer, Evidence, Response
from indicators.models import Indicator
from ministries.models import User


def get_indicator(assessment: Assessment, code: str) -> Indicator:
    """An indicator of the assessment's framework by its code (else 404)."""
    return get_object_or_404(
        Indicator.objects.select_related("dimension"),
        framework_id=assessment.framework_id,
        code=code,
    )


def _lead_first(response: Response) -> tuple[bool, str]:
    return (getattr(response, "role", "") != Assignment.Role.LEAD, response.institution.acronym)


@dataclass
class IndicatorComparison:
    """One indicator of an assessment: every institution's answer and the consolidated one."""

    indicator: Indicator
    responses: list[Response]
    consolidated: ConsolidatedAnswer | None

    @property
    def answered(self) -> list[Response]:
        return [r for r in self.responses if r.answer]

    @property
    def conflict(self) -> bool:
        return comparison_has_conflict(r.answer for r in self.responses)

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.responses if r.state != Response.State.DRAFT)

    @property
    def accepted(self) -> int:
        return sum(1 for r in self.responses if r.review_state == Response.ReviewState.ACCEPTED)

    @property
    def take_over(self) -> TakeOverCheck:
        """Whether the lead institution's answer can become the consolidated one, or why not."""
        return take_over_check(self.responses)


@dataclass
class ConsolidationFilters:
    dimension: int | None = None
    conflicts_only: bool = False
    missing_only: bool = False

    @classmethod
    def from_query(cls, query: Any) -> "ConsolidationFilters":
        def flag(name: str) -> bool:
            return str(query.get(name, "")).lower() in ("1", "true", "on", "yes")

        dimension = str(query.get("dimension", ""))
        return cls(
            dimension=int(dimension) if dimension.isdigit() else None,
            conflicts_only=flag("conflicts"),
            missing_only=flag("missing"),
        )

    @property
    def active(self) -> bool:
        return bool(self.dimension or self.conflicts_only or self.missing_only)


def consolidation_rows(
    assessment: Assessment, filters: ConsolidationFilters | None = None
) -> list[IndicatorComparison]:
    """Every indicator of the assessment with its answers and consolidated answer.

    Three queries whatever the number of indicators and institutions: indicators, responses
    (with their institution and role), consolidated answers. "Conflicts only" and "not yet
    consolidated" filter in Python, since a conflict is a comparison across rows.
    """
    filters = filters or ConsolidationFilters()
    indicators = (
        Indicator.objects.filter(framework_id=assessment.framework_id)
        .select_related("dimension")
        .only(
            "code",
            "order",
            "question_en",
            "question_id",
            "dimension__number",
            "dimension__name_en",
            "dimension__name_id",
        )
        .order_by("order")
    )
    responses = (
        Response.objects.filter(assessment=assessment)
        .select_related("institution")
        .annotate(role=role_subquery())
        .only(
            "indicator_id",
            "institution__acronym",
            "answer",
            "coverage",
            "state",
            "review_state",
            "nothing_to_add",
            "confirmed",
        )
        .order_by()
    )
    consolidated = ConsolidatedAnswer.objects.filter(assessment=assessment).only(
        "indicator_id", "answer", "coverage", "version", "updated_at"
    )
    if filters.dimension:
        indicators = indicators.filter(dimension__number=filters.dimension)
        responses = responses.filter(indicator__dimension__number=filters.dimension)
        consolidated = consolidated.filter(indicator__dimension__number=filters.dimension)
    by_indicator: dict[int, list[Response]] = defaultdict(list)
    for response in responses:
        by_indicator[response.indicator_id].append(response)
    answers = {c.indicator_id: c for c in consolidated}
    rows = []
    for indicator in indicators:
        row = IndicatorComparison(
            indicator,
            sorted(by_indicator.get(indicator.pk, []), key=_lead_first),
            answers.get(indicator.pk),
        )
        if filters.conflicts_only and not row.conflict:
            continue
        if filters.missing_only and row.consolidated is not None:
            continue
        rows.append(row)
    return rows


def take_over_plan(
    assessment: Assessment, rows: list[IndicatorComparison] | None = None
) -> TakeOverPlan:
    """What the bulk take-over would do now; from `rows` when they are every indicator's
    (no query), else from freshly read rows (three queries)."""
    return _plan(rows if rows is not None else consolidation_rows(assessment))


def indicator_comparison(assessment: Assessment, indicator: Indicator) -> IndicatorComparison:
    """Everything the consolidation page of one indicator shows; five queries."""
    evidence = Evidence.objects.select_related("institution").order_by("pk")
    responses = (
        Response.objects.filter(assessment=assessment, indicator=indicator)
        .select_related("institution", "updated_by", "reviewed_by")
        .annotate(role=role_subquery())
        .prefetch_related(Prefetch("evidence", queryset=evidence))
        .order_by()
    )
    consolidated = (
        ConsolidatedAnswer.objects.filter(assessment=assessment, indicator=indicator)
        .select_related("updated_by")
        .prefetch_related(
            Prefetch("evidence", queryset=evidence),
            Prefetch(
                "sources",
                queryset=Response.objects.select_related("institution").order_by(
                    "institution__acronym"
                ),
            ),
        )
        .first()
    )
    return IndicatorComparison(indicator, sorted(responses, key=_lead_first), consolidated)


def comparison_evidence(comparison: IndicatorComparison) -> list[Evidence]:
    """The evidence a consolidated answer can rest on: what the answers cite, and what it
    already rests on (an answer may have dropped an item since). No query: all prefetched."""
    items: dict[int, Evidence] = {}
    for response in comparison.responses:
        for item in response.evidence.all():
            items.setdefault(item.pk, item)
    if comparison.consolidated is not None:
        for item in comparison.consolidated.evidence.all():
            items.setdefault(item.pk, item)
    return sorted(items.values(), key=lambda item: (item.institution.acronym, item.pk))


@dataclass
class ConsolidationChange:
    when: Any
    who: User | None
    reason: str
    old_answer: str
    new_answer: str
    old_coverage: str
    new_coverage: str
    created: bool

    @staticmethod
    def _label(
        choices: type[ConsolidatedAnswer.Answer] | type[Indicator.Coverage], value: str
    ) -> str:
        return str(choices(value).label) if value in choices.values else "—"

    @property
    def old_answer_label(self) -> str:
        return self._label(ConsolidatedAnswer.Answer, self.old_answer)

    @property
    def new_answer_label(self) -> str:
        return self._label(ConsolidatedAnswer.Answer, self.new_answer)

    @property
    def coverage_changed(self) -> bool:
        return not self.created and self.old_coverage != self.new_coverage

    @property
    def old_coverage_label(self) -> str:
        return self._label(Indicator.Coverage, self.old_coverage)

    @property
    def new_coverage_label(self) -> str:
        return self._label(Indicator.Coverage, self.new_coverage)


def consolidated_history(consolidated: ConsolidatedAnswer | None) -> list[ConsolidationChange]:
    """Who changed the consolidated answer, when, why, and from what to what; newest first.

    One query: the previous answer comes from the row before, not `prev_record` (a query each).
    """
    if consolidated is None:
        return []
    records = consolidated.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    changes = []
    previous = None
    for record in records:
        changes.append(
            ConsolidationChange(
                when=record.history_date,
                who=record.history_user,
                reason=reason_text(record.history_change_reason),
                old_answer=previous.answer if previous else "",
                new_answer=record.answer,
                old_coverage=previous.coverage if previous else "",
                new_coverage=record.coverage,
                created=previous is None,
            )
        )
        previous = record
    changes.reverse()
    return changes


def neighbour_codes(assessment: Assessment, indicator: Indicator) -> tuple[str | None, str | None]:
    """The codes of the indicators before and after this one in the framework; one query."""
    codes = list(
        Indicator.objects.filter(framework_id=assessment.framework_id)
        .order_by("order", "pk")
        .values_list("code", flat=True)
    )
    i = codes.index(indicator.code)
    return (codes[i - 1] if i > 0 else None), (codes[i + 1] if i + 1 < len(codes) else None)
