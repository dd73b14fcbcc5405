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
from assessments.permissions import (
    assessments_visible_to,
    responses_visible_to,
    role_subquery,
)
from indicators.models import Dimension
from ministries.models import User


def answered_q(prefix: str = "") -> Q:
    """An answer given and confirmed: a draft carried forward from an earlier round (or
    otherwise filled in by the system) counts as blank until its institution confirms it.
    `prefix` is the relation the response is reached through ("r__" in a join)."""
    return Q(**{f"{prefix}confirmed": True}) & ~Q(**{f"{prefix}answer": ""})


def nothing_to_add_q(prefix: str = "") -> Q:
    """A contributor's explicit "nothing to add" (never carried, so always confirmed)."""
    return Q(**{f"{prefix}nothing_to_add": True, f"{prefix}answer": ""})


def has_content_q(prefix: str = "") -> Q:
    """What submission sends to review: an answer given and confirmed, or nothing to add."""
    return answered_q(prefix) | nothing_to_add_q(prefix)


def has_content(answer: str, nothing_to_add: bool, confirmed: bool) -> bool:
    """`has_content_q` for one row read into memory."""
    return bool(answer and confirmed) or (nothing_to_add and not answer)


@dataclass
class DimensionProgress:
    dimension: Dimension
    assigned: int = 0
    answered: int = 0  # an answer given and confirmed
    nothing_to_add: int = 0

    @property
    def done(self) -> int:
        return self.answered + self.nothing_to_add

    @property
    def percent(self) -> int:
        """Answered (with nothing to add) as a share of the assigned indicators."""
        return round(100 * self.done / self.assigned) if self.assigned else 0


def missing_lead_answers(assessment: Assessment, institution_id: int) -> QuerySet[Response]:
    """The institution's lead indicators without a confirmed answer."""
    lead = Assignment.objects.filter(
        assessment=assessment, institution_id=institution_id, role=Assignment.Role.LEAD
    ).values("indicator_id")
    return (
        Response.objects.filter(
            assessment=assessment, institution_id=institution_id, indicator_id__in=lead
        )
        .exclude(answered_q())
        .select_related("indicator")
        .order_by("indicator__order")
    )


def institution_evidence(assessment: Assessment, institution_id: int) -> QuerySet[Evidence]:
    """The institution's evidence library; a citation of the register is labelled with its
    instrument, loaded here (no query per item)."""
    return Evidence.objects.filter(
        assessment=assessment, institution_id=institution_id
    ).select_related("instrument__issuer__province")


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
    unconfirmed: int = 0  # carried-forward drafts still to check and confirm

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
        .annotate(
            assigned=Count("pk"),
            answered=Count("pk", filter=answered_q()),
            nothing=Count("pk", filter=nothing_to_add_q()),
            unconfirmed=Count("pk", filter=Q(confirmed=False, state=Response.State.DRAFT)),
        )
        .order_by()
    )
    by_dimension = {(r["assessment_id"], r["indicator__dimension_id"]): r for r in counts}
    frameworks = {item.assessment.framework_id for item in items.values()}
    for dim in Dimension.objects.filter(framework_id__in=frameworks).order_by("number"):
        for item in items.values():
            r = by_dimension.get((item.assessment.pk, dim.pk))
            if r:
                item.progress.append(
                    DimensionProgress(dim, r["assigned"], r["answered"], r["nothing"])
                )
                item.unconfirmed += r["unconfirmed"]
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
        # The link opens the answer's dimension: a phone shows one dimension at a time.
        .select_related("indicator__dimension")
        .annotate(note_id=Subquery(latest_note))
        .order_by("assessment_id", "indicator__order")
    )
    notes = ResponseComment.objects.select_related("author").in_bulk(
        [r.note_id for r in rows if r.note_id]
    )
    for r in rows:
        note = notes.get(r.note_id)
        items[r.assessment_id].to_answer.append(ToAnswer(r, note))


def responses_for_api(user: User) -> QuerySet[Response]:
    return (
        responses_visible_to(user)
        .select_related("indicator__dimension", "institution", "updated_by", "assessment")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("indicator__order", "institution__acronym")
    )


@dataclass
class SubmissionSummary:
    """What submitting would send and what it would leave, by indicator code."""

    answers: list[str] = field(default_factory=list)
    nothing_to_add: list[str] = field(default_factory=list)
    blank: dict[int, list[str]] = field(default_factory=dict)  # by dimension number
    unconfirmed: list[str] = field(default_factory=list)  # carried forward, not confirmed
    missing_lead: list[str] = field(default_factory=list)

    @property
    def to_send(self) -> int:
        return len(self.answers) + len(self.nothing_to_add)

    @property
    def blank_count(self) -> int:
        return sum(len(codes) for codes in self.blank.values())


def submission_summary(assessment: Assessment, institution_id: int) -> SubmissionSummary:
    """The institution's drafts and returned answers sorted into what submission sends (an
    answer given and confirmed, or "nothing to add") and what stays behind; one query."""
    summary = SubmissionSummary()
    rows = (
        Response.objects.filter(
            assessment=assessment,
            institution_id=institution_id,
            state__in=[Response.State.DRAFT, Response.State.RETURNED],
        )
        .annotate(role=role_subquery())
        .order_by("indicator__order")
        .values_list(
            "indicator__code",
            "indicator__dimension__number",
            "answer",
            "nothing_to_add",
            "confirmed",
            "role",
        )
    )
    for code, dimension, answer, nothing, confirmed, role in rows:
        if role == Assignment.Role.LEAD and not (answer and confirmed):
            summary.missing_lead.append(code)
        if has_content(answer, nothing, confirmed):
            (summary.answers if answer else summary.nothing_to_add).append(code)
        elif not confirmed:
            summary.unconfirmed.append(code)
        else:
            summary.blank.setdefault(dimension, []).append(code)
    return summary
