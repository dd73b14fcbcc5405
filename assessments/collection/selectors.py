"""Reads of data collection: progress, missing lead answers, a focal point's inbox."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from assessments.models import (
    Assessment,
    Assignment,
    Evidence,
    Response,
    ResponseComment,
    Submission,
)
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


@dataclass
class ToAnswer:
    """A queried or returned answer, and the comment that asks for it."""

    response: Response  # with its indicator
    note: ResponseComment | None  # the latest query or return, with its author


@dataclass
class FocalAssessment:
    """One assessment on a focal point's home page."""

    assessment: Assessment
    progress: list[DimensionProgress] = field(default_factory=list)
    to_answer: list[ToAnswer] = field(default_factory=list)
    submitted: Submission | None = None
    days_left: int | None = None  # to the data-collection deadline, while collecting

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def deadline_state(self) -> str:
        """ "overdue" or "upcoming" while the institution still owes answers, else ""."""
        owes = not self.submitted or any(
            t.response.state == Response.State.RETURNED for t in self.to_answer
        )
        if self.days_left is None or not owes:
            return ""
        return "overdue" if self.days_left < 0 else "upcoming"


def focal_point_inbox(user: User, *, today: datetime.date) -> list[FocalAssessment]:
    """For each of the focal point's assessments: the queries and returns to answer, the
    data-collection deadline, progress per dimension and the last submission.

    At most six queries whatever the number of assessments and answers: the assessments,
    the progress counts, the dimensions, the submissions, the answers to revise or clarify
    and the comments that ask for it.
    """
    if not user.institution_id:
        return []
    items = {a.pk: FocalAssessment(a) for a in assessments_visible_to(user)}
    if not items:
        return []
    mine = responses_visible_to(user).filter(assessment_id__in=list(items))
    counts = (
        mine.values("assessment_id", "indicator__dimension_id")
        .annotate(assigned=Count("pk"), answered=Count("pk", filter=~Q(answer="")))
        .order_by()
    )
    by_dimension = {(r["assessment_id"], r["indicator__dimension_id"]): r for r in counts}
    frameworks = {item.assessment.framework_id for item in items.values()}
    for dim in Dimension.objects.filter(framework_id__in=frameworks).order_by("number"):
        for item in items.values():
            r = by_dimension.get((item.assessment.pk, dim.pk))
            if r:
                item.progress.append(DimensionProgress(dim, r["assigned"], r["answered"]))
    for submission in Submission.objects.filter(
        assessment_id__in=list(items), institution_id=user.institution_id
    ).order_by("submitted_at"):
        items[submission.assessment_id].submitted = submission
    _add_to_answer(items, mine)
    for item in items.values():
        deadline = item.assessment.data_collection_deadline
        if item.assessment.is_collecting and deadline:
            item.days_left = (deadline - today).days
    return list(items.values())


def _add_to_answer(items: dict[int, FocalAssessment], mine: QuerySet[Response]) -> None:
    latest_note = (
        ResponseComment.objects.filter(
            response=OuterRef("pk"),
            kind__in=[ResponseComment.Kind.QUERY, ResponseComment.Kind.RETURN],
        )
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    rows = list(
        mine.filter(
            Q(review_state__in=[Response.ReviewState.QUERIED, Response.ReviewState.RETURNED])
            | Q(state=Response.State.RETURNED)
        )
        .select_related("indicator")
        .annotate(note_id=Subquery(latest_note))
        .order_by("assessment_id", "indicator__order")
    )
    notes = ResponseComment.objects.select_related("author").in_bulk(
        [r.note_id for r in rows if r.note_id]
    )
    for r in rows:
        note = notes.get(r.note_id)
        items[r.assessment_id].to_answer.append(ToAnswer(r, note))


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
