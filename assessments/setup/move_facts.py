"""What closing data collection and approving the validated answers leave behind, read for
their confirmation pages (nothing is written here): who has not submitted, which assigned
indicators have no answer, what the snapshot will freeze."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Max

from assessments.models import (
    Assessment,
    Assignment,
    ConsolidatedAnswer,
    Response,
    Snapshot,
    Submission,
)
from indicators.models import Indicator
from ministries.models import Institution


def _answered_indicator_ids(assessment: Assessment) -> set[int]:
    """Indicators with at least one submitted answer with content (not "nothing to add",
    not an unconfirmed carried-forward draft); one query."""
    return set(
        Response.objects.filter(
            assessment=assessment,
            state=Response.State.SUBMITTED,
            nothing_to_add=False,
            confirmed=True,
        )
        .exclude(answer="")
        .values_list("indicator_id", flat=True)
    )


@dataclass
class CloseCollectionFacts:
    """The assigned institutions, those that never submitted, and the assigned indicators
    no institution has sent an answer on."""

    institutions: list[Institution] = field(default_factory=list)
    not_submitted: list[Institution] = field(default_factory=list)
    assigned_indicators: int = 0
    unanswered: list[str] = field(default_factory=list)  # indicator codes


def close_collection_facts(assessment: Assessment) -> CloseCollectionFacts:
    """Four queries: assignments (with codes), submissions, answered indicators, institutions."""
    assigned = list(
        Assignment.objects.filter(assessment=assessment)
        .order_by("indicator__order")
        .values_list("institution_id", "indicator_id", "indicator__code")
    )
    submitted = set(
        Submission.objects.filter(assessment=assessment).values_list("institution_id", flat=True)
    )
    answered = _answered_indicator_ids(assessment)
    institutions = list(
        Institution.objects.filter(pk__in={i for i, _ind, _code in assigned}).order_by("acronym")
    )
    codes = dict.fromkeys(code for _i, ind, code in assigned if ind not in answered)
    return CloseCollectionFacts(
        institutions=institutions,
        not_submitted=[i for i in institutions if i.pk not in submitted],
        assigned_indicators=len({ind for _i, ind, _code in assigned}),
        unanswered=list(codes),
    )


@dataclass
class ApprovalFacts:
    """What approval freezes: the snapshot's number, the consolidated answers by value, and
    the indicators without one or marked "no information"."""

    snapshot_number: int = 1
    indicator_count: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    unconsolidated: list[str] = field(default_factory=list)
    no_information: list[str] = field(default_factory=list)


def approval_facts(assessment: Assessment) -> ApprovalFacts:
    """Three queries: the last snapshot number, the indicators, the consolidated answers."""
    last = Snapshot.objects.filter(assessment=assessment).aggregate(n=Max("number"))["n"] or 0
    answers = dict(
        ConsolidatedAnswer.objects.filter(assessment=assessment).values_list(
            "indicator_id", "answer"
        )
    )
    indicators = list(
        Indicator.objects.filter(framework_id=assessment.framework_id)
        .order_by("order")
        .values_list("pk", "code")
    )
    no_info = ConsolidatedAnswer.Answer.NO_INFORMATION
    return ApprovalFacts(
        snapshot_number=last + 1,
        indicator_count=len(indicators),
        counts=Counter(answers.values()),
        unconsolidated=[code for pk, code in indicators if pk not in answers],
        no_information=[code for pk, code in indicators if answers.get(pk) == no_info],
    )
