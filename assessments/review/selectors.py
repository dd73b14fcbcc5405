"""Reads of the cross-check: the facilitators' review queue, and what awaits them."""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber

from assessments.collection.selectors import has_content_q
from assessments.models import Assessment, Response, ResponseComment
from assessments.permissions import assessments_visible_to, responses_visible_to
from assessments.review.services import AWAITING, REVIEWABLE_STATUSES
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

    def query_string(self) -> str:
        """The filters as the queue's query string (to come back to the same view)."""
        return urlencode(
            {
                "assessment": self.assessment.pk if self.assessment else "",
                "dimension": self.dimension or "",
                "institution": self.institution,
                "review_state": self.review_state,
            }
        )


def review_queue(user: User, filters: ReviewFilters) -> QuerySet[Response]:
    """Submitted answers in the user's assessments; by default those awaiting review."""
    qs = (
        responses_visible_to(user)
        .filter(assessment=filters.assessment)
        .exclude(state=Response.State.DRAFT)
        .select_related("indicator__dimension", "institution", "updated_by", "reviewed_by")
        # A correlated subquery, not Count("comments"): the aggregate made PostgreSQL group
        # every submitted answer by all selected columns before taking the page of 50, and
        # the paginator's count repeated that GROUP BY (bench_scale).
        .annotate(
            comment_count=Coalesce(
                Subquery(
                    ResponseComment.objects.filter(response_id=OuterRef("pk"))
                    .order_by()
                    .values("response_id")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            )
        )
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


def bulk_acceptable(queue: QuerySet[Response]) -> QuerySet[Response]:
    """The queue's answers a facilitator may accept in one step: submitted, awaiting review
    and with content (an answer given, or "nothing to add")."""
    return queue.filter(has_content_q(), state=Response.State.SUBMITTED, review_state__in=AWAITING)


def bulk_acceptance_items(queue: QuerySet[Response]) -> list[tuple[int, int, str]]:
    """(id, version, institution acronym) of what `bulk_acceptable` holds; one query."""
    return list(
        bulk_acceptable(queue)
        .order_by("institution__acronym", "pk")
        .values_list("pk", "version", "institution__acronym")
    )


@dataclass
class ReviewInboxItem:
    """One assessment's answers awaiting a facilitator's review."""

    assessment: Assessment
    awaiting: int = 0  # submitted, pending or resubmitted
    resubmitted: list[Response] = field(default_factory=list)  # the latest, newest first
    resubmitted_count: int = 0
    by_institution: dict[str, int] = field(default_factory=dict)  # awaiting, by acronym


INBOX_RESUBMITTED = 10  # listed per assessment on the home page; the queue has them all


def facilitator_inbox(user: User) -> list[ReviewInboxItem]:
    """The facilitator's assessments open for review, with what awaits them: three queries
    whatever the number of assessments and answers."""
    items = {
        a.pk: ReviewInboxItem(a)
        for a in assessments_visible_to(user).filter(status__in=REVIEWABLE_STATUSES)
    }
    if not items:
        return []
    RS = Response.ReviewState
    awaiting = responses_visible_to(user).filter(
        assessment_id__in=list(items),
        state=Response.State.SUBMITTED,
        review_state__in=[RS.PENDING, RS.RESUBMITTED],
    )
    for row in (
        awaiting.values("assessment_id", "institution__acronym")
        .annotate(total=Count("pk"), resubmitted=Count("pk", filter=Q(review_state=RS.RESUBMITTED)))
        .order_by("assessment_id", "institution__acronym")
    ):
        item = items[row["assessment_id"]]
        item.awaiting += row["total"]
        item.resubmitted_count += row["resubmitted"]
        item.by_institution[row["institution__acronym"]] = row["total"]
    latest = (
        awaiting.filter(review_state=RS.RESUBMITTED)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("assessment_id")],
                order_by=[F("updated_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=INBOX_RESUBMITTED)
        .select_related("indicator", "institution")
        .order_by("assessment_id", "-updated_at", "-pk")
    )
    for response in latest:
        items[response.assessment_id].resubmitted.append(response)
    return list(items.values())
