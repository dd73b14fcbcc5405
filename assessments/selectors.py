"""Reads of assessments, always starting from a permission-scoped queryset."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery

from indicators.bilingual import active_language
from indicators.models import Dimension, Indicator
from ministries.models import Institution, User

from .models import Assessment, Assignment, Evidence, Response
from .permissions import assessments_visible_to, responses_visible_to

__all__ = ["assessments_visible_to", "responses_visible_to"]


def matrix_gaps(assessment: Assessment) -> QuerySet[Indicator]:
    """Indicators of the assessment with no lead institution."""
    led = Assignment.objects.filter(assessment=assessment, role=Assignment.Role.LEAD).values(
        "indicator_id"
    )
    return (
        Indicator.objects.filter(framework_id=assessment.framework_id)
        .exclude(pk__in=led)
        .select_related("dimension")
        .order_by("order")
    )


def eligible_institutions(assessment: Assessment) -> QuerySet[Institution]:
    qs = Institution.objects.select_related("province")
    if assessment.scope == Assessment.Scope.NATIONAL:
        return qs.filter(level=Institution.Level.NATIONAL)
    return qs.filter(province_id=assessment.province_id or 0)


def matrix_columns(assessment: Assessment) -> list[Institution]:
    """The institutions shown across the matrix: the participants, or every eligible one."""
    participants = list(assessment.participants.order_by("acronym"))
    if participants:
        return participants
    return list(eligible_institutions(assessment).order_by("acronym"))


@dataclass
class MatrixRow:
    indicator: Indicator
    cells: list[str]
    has_lead: bool


def matrix_rows(assessment: Assessment, columns: list[Institution]) -> list[MatrixRow]:
    """Indicators down, institutions across, the role in each cell; three queries."""
    roles: dict[tuple[int, int], str] = {
        (a.indicator_id, a.institution_id): a.role
        for a in Assignment.objects.filter(assessment=assessment).only(
            "indicator_id", "institution_id", "role"
        )
    }
    rows = []
    indicators = Indicator.objects.filter(framework_id=assessment.framework_id).select_related(
        "dimension"
    )
    for indicator in indicators.order_by("order"):
        cells = [roles.get((indicator.pk, inst.pk), "") for inst in columns]
        rows.append(MatrixRow(indicator, cells, Assignment.Role.LEAD in cells))
    return rows


@dataclass
class DimensionProgress:
    dimension: Dimension
    assigned: int = 0
    answered: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.assigned) if self.assigned else 0


def progress_by_dimension(assessment: Assessment, institution_id: int) -> list[DimensionProgress]:
    rows = (
        Response.objects.filter(assessment=assessment, institution_id=institution_id)
        .values("indicator__dimension_id")
        .annotate(assigned=Count("pk"), answered=Count("pk", filter=~Q(answer="")))
    )
    by_dim = {r["indicator__dimension_id"]: r for r in rows}
    result = []
    for dim in Dimension.objects.filter(framework_id=assessment.framework_id):
        r = by_dim.get(dim.pk)
        if r:
            result.append(DimensionProgress(dim, r["assigned"], r["answered"]))
    return result


@dataclass
class EntryGroup:
    dimension: Dimension
    responses: list[Response] = field(default_factory=list)


def entry_page(assessment: Assessment, institution_id: int) -> list[EntryGroup]:
    """The institution's responses grouped by dimension, with everything the page shows.

    A fixed number of queries whatever the number of indicators, evidence and history rows.
    """
    roles = dict(
        Assignment.objects.filter(assessment=assessment, institution_id=institution_id).values_list(
            "indicator_id", "role"
        )
    )
    lang = active_language()
    texts = {
        f"indicator__{name}_{code}" for name in ("question", "guidance") for code in ("en", lang)
    }
    responses = (
        Response.objects.filter(assessment=assessment, institution_id=institution_id)
        .select_related("indicator__dimension", "updated_by")
        # Only what the page shows: the indicator's long texts in two other languages stay in
        # the database (they are most of the row).
        .only(
            *Response.ENTRY_FIELDS,
            "indicator__code",
            "indicator__order",
            "indicator__allows_not_applicable",
            "indicator__has_coverage",
            "indicator__dimension",
            *texts,
            "updated_by__username",
            "updated_by__first_name",
            "updated_by__last_name",
        )
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("indicator__order")
    )
    groups: dict[int, EntryGroup] = {}
    for response in responses:
        response.role = roles.get(response.indicator_id, "")  # type: ignore[attr-defined]
        dim = response.indicator.dimension
        groups.setdefault(dim.pk, EntryGroup(dim)).responses.append(response)
    return sorted(groups.values(), key=lambda g: g.dimension.number)


def history_count_subquery() -> Subquery:
    historical = Response.history.model
    return Subquery(
        historical.objects.filter(id=OuterRef("pk"))
        .order_by()
        .values("id")
        .annotate(n=Count("*"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def missing_lead_answers(assessment: Assessment, institution_id: int) -> QuerySet[Response]:
    lead = Assignment.objects.filter(
        assessment=assessment, institution_id=institution_id, role=Assignment.Role.LEAD
    ).values("indicator_id")
    return (
        Response.objects.filter(
            assessment=assessment, institution_id=institution_id, indicator_id__in=lead, answer=""
        )
        .select_related("indicator")
        .order_by("indicator__order")
    )


def institution_evidence(assessment: Assessment, institution_id: int) -> QuerySet[Evidence]:
    return Evidence.objects.filter(assessment=assessment, institution_id=institution_id)


def focal_point_home(user: User) -> list[dict[str, object]]:
    """For each of the user's assessments: deadline, progress per dimension, returned items."""
    if not user.institution_id:
        return []
    items = []
    for assessment in assessments_visible_to(user):
        returned = list(
            Response.objects.filter(
                assessment=assessment,
                institution_id=user.institution_id,
                state=Response.State.RETURNED,
            ).select_related("indicator")
        )
        items.append(
            {
                "assessment": assessment,
                "progress": progress_by_dimension(assessment, user.institution_id),
                "returned": returned,
                "submitted": assessment.submissions.filter(
                    institution_id=user.institution_id
                ).first(),
            }
        )
    return items


def assignments_by_indicator(assessment: Assessment) -> dict[int, list[Assignment]]:
    result: dict[int, list[Assignment]] = defaultdict(list)
    for a in Assignment.objects.filter(assessment=assessment).select_related("institution"):
        result[a.indicator_id].append(a)
    return result


@dataclass
class ReviewFilters:
    assessment: Assessment | None = None
    dimension: int | None = None
    institution: str = ""
    review_state: str = "awaiting"

    @classmethod
    def from_query(cls, query: Any, assessments: list[Assessment]) -> "ReviewFilters":
        by_pk = {str(a.pk): a for a in assessments}
        chosen = by_pk.get(query.get("assessment", "")) or (assessments[0] if assessments else None)
        dimension = query.get("dimension", "")
        state = query.get("review_state", "awaiting")
        if state not in {"awaiting", "all", *Response.ReviewState.values}:
            state = "awaiting"
        return cls(
            assessment=chosen,
            dimension=int(dimension) if dimension.isdigit() else None,
            institution=query.get("institution", "")[:40],
            review_state=state,
        )


def review_queue(user: User, filters: ReviewFilters) -> QuerySet[Response]:
    """Submitted answers in the user's assessments; by default those awaiting review."""
    qs = (
        responses_visible_to(user)
        .filter(assessment=filters.assessment)
        .exclude(state=Response.State.DRAFT)
        .select_related("indicator__dimension", "institution", "updated_by", "reviewed_by")
        .annotate(comment_count=Count("comments"))
        .order_by("indicator__order", "institution__acronym")
    )
    if filters.dimension:
        qs = qs.filter(indicator__dimension__number=filters.dimension)
    if filters.institution:
        qs = qs.filter(institution__acronym=filters.institution)
    if filters.review_state == "awaiting":
        qs = qs.filter(
            state=Response.State.SUBMITTED,
            review_state__in=[Response.ReviewState.PENDING, Response.ReviewState.RESUBMITTED],
        )
    elif filters.review_state != "all":
        qs = qs.filter(review_state=filters.review_state)
    return qs
