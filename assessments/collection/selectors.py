"""Reads of data collection: progress, missing lead answers, a focal point's home."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from assessments.models import Assessment, Assignment, Evidence, Response
from assessments.permissions import assessments_visible_to, responses_visible_to
from indicators.models import Dimension
from ministries.models import User


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


def role_subquery() -> Subquery:
    """The role (lead, contributor) of the response's institution on its indicator.

    At most one row (the cell is unique): no ordering, whose joins would run once per row."""
    return Subquery(
        Assignment.objects.filter(
            assessment_id=OuterRef("assessment_id"),
            indicator_id=OuterRef("indicator_id"),
            institution_id=OuterRef("institution_id"),
        )
        .order_by()
        .values("role")[:1]
    )


def responses_for_api(user: User) -> QuerySet[Response]:
    return (
        responses_visible_to(user)
        .select_related("indicator__dimension", "institution", "updated_by", "assessment")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("indicator__order", "institution__acronym")
    )
