"""Reads of the steering committee reviews: a plan's reviews with their decision counts, one
review with its decisions and minutes files, in a fixed number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import ActionPlan
from .review_models import ReviewDecision, ReviewMinutesFile, SteeringReview


def plan_reviews(plan: ActionPlan, visible: QuerySet[SteeringReview]) -> QuerySet[SteeringReview]:
    """The plan's reviews, newest meeting first, each with its decisions counted."""
    decided = ReviewDecision.Decision
    return (
        visible.filter(plan=plan)
        .select_related("created_by")
        .prefetch_related("participants")
        .annotate(
            on_track=Count("decisions", filter=Q(decisions__decision=decided.ON_TRACK)),
            needs_attention=Count(
                "decisions", filter=Q(decisions__decision=decided.NEEDS_ATTENTION)
            ),
            replanned=Count("decisions", filter=Q(decisions__decision=decided.REPLANNED)),
            undecided=Count("decisions", filter=Q(decisions__decision="")),
        )
        .order_by("-held_on", "-pk")
    )


def review_detail(review: SteeringReview) -> SteeringReview:
    """The review with its participants, decisions and minutes files prefetched."""
    return (
        SteeringReview.objects.filter(pk=review.pk)
        .select_related("plan__assessment__framework", "created_by", "updated_by")
        .prefetch_related(
            "participants",
            Prefetch("decisions", queryset=ReviewDecision.objects.order_by("pk")),
            Prefetch("files", queryset=ReviewMinutesFile.objects.order_by("language")),
        )
        .get()
    )
