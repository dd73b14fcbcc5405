"""The home page's inbox: what each person has to do next, in their own room's terms.

A focal point answers queries and returns before the deadline (collection.selectors); a
facilitator reviews what awaits (review.selectors); a coordinator clears what blocks the
next workflow move and takes the validation decisions (here). Each part reads in a few
queries whatever the number of assessments and answers.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from assessments.collection.selectors import FocalAssessment, focal_point_inbox
from assessments.models import Assessment, ValidationDecision, ValidationSession
from assessments.permissions import assessments_visible_to, can_manage
from assessments.review.selectors import ReviewInboxItem, facilitator_inbox
from assessments.setup.selectors import workflow_facts_many
from assessments.workflow import Transition, allowed_transitions, transition_problems
from indicators.models import Indicator
from ministries.models import User


@dataclass
class NextMove:
    """A coordinator's assessment: its next forward move and what stands in its way."""

    assessment: Assessment
    to: str
    label: Any
    problems: list[str] = field(default_factory=list)
    undecided: int | None = None  # indicators no validation session has decided yet
    session: ValidationSession | None = None  # the latest, where decisions are recorded


@dataclass
class Inbox:
    focal: list[FocalAssessment] = field(default_factory=list)
    review: list[ReviewInboxItem] = field(default_factory=list)
    moves: list[NextMove] = field(default_factory=list)

    @property
    def awaiting_review(self) -> int:
        return sum(item.awaiting for item in self.review)


def inbox_for(user: User, *, today: datetime.date) -> Inbox:
    if not user.is_authenticated:
        return Inbox()
    if user.is_focal_point:
        return Inbox(focal=focal_point_inbox(user, today=today))
    if user.is_facilitator:
        return Inbox(review=facilitator_inbox(user))
    if user.is_coordinator:
        return Inbox(moves=coordinator_inbox(user))
    return Inbox()


def _forward(status: str) -> tuple[str, Transition] | None:
    """The move that takes an assessment on through the cycle (not a reopening)."""
    return next(((to, t) for to, t in allowed_transitions(status) if not t.reopen), None)


def coordinator_inbox(user: User) -> list[NextMove]:
    """The unpublished assessments the coordinator steers, each with its next move and
    why it is refused (`workflow.transition_problems`); in validation, how many
    indicators still need a decision. At most nine queries whatever their number."""
    moves = []
    for assessment in assessments_visible_to(user).exclude(status=Assessment.Status.PUBLISHED):
        forward = _forward(assessment.status)
        if forward is not None and can_manage(user, assessment):
            moves.append(NextMove(assessment, forward[0], forward[1].label))
    facts = workflow_facts_many([(m.assessment, m.to) for m in moves])
    for move in moves:
        move.problems = transition_problems(
            move.assessment.status, move.to, facts[move.assessment.pk]
        )
    _add_undecided([m for m in moves if m.assessment.status == Assessment.Status.VALIDATION])
    return moves


def _add_undecided(moves: list[NextMove]) -> None:
    """Indicators without a decision in any of the assessment's sessions, and its latest
    session; three queries."""
    if not moves:
        return
    ids = [m.assessment.pk for m in moves]
    decided = dict(
        ValidationDecision.objects.filter(session__assessment_id__in=ids)
        .values("session__assessment_id")
        .annotate(n=Count("indicator_id", distinct=True))
        .order_by()
        .values_list("session__assessment_id", "n")
    )
    indicators = dict(
        Indicator.objects.filter(framework_id__in={m.assessment.framework_id for m in moves})
        .values("framework_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("framework_id", "n")
    )
    latest: dict[int, ValidationSession] = {}
    for session in ValidationSession.objects.filter(assessment_id__in=ids).order_by(
        "held_on", "pk"
    ):
        latest[session.assessment_id] = session
    for move in moves:
        a = move.assessment
        move.undecided = indicators.get(a.framework_id, 0) - decided.get(a.pk, 0)
        move.session = latest.get(a.pk)
