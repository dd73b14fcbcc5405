"""Reads of the cross-check: the facilitators' review queue."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from assessments.models import Assessment, Response
from assessments.permissions import responses_visible_to
from ministries.models import User


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
