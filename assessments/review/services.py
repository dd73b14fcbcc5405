"""The facilitators' review of each answer, and the comment thread around it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.errors import InvalidRequest, ServiceError
from assessments.history_reasons import RESUBMITTED, REVIEW_DECISIONS, reason_code
from assessments.models import Assessment, Response, ResponseComment
from ministries.models import User

DECISIONS = {
    "accept": (Response.ReviewState.ACCEPTED, ResponseComment.Kind.ACCEPT),
    "query": (Response.ReviewState.QUERIED, ResponseComment.Kind.QUERY),
    "return": (Response.ReviewState.RETURNED, ResponseComment.Kind.RETURN),
}
REVIEWABLE_STATUSES = (Assessment.Status.DATA_COLLECTION, Assessment.Status.CROSS_CHECK)


def _locked(response: Response) -> Response:
    return (
        Response.objects.select_for_update(of=("self",))
        .select_related("assessment", "indicator", "institution")
        .get(pk=response.pk)
    )


@transaction.atomic
def response_review(
    *, response: Response, actor: User, decision: str, comment: str = ""
) -> Response:
    """Accept, query or return one submitted answer. Query and return need a comment."""
    if decision not in DECISIONS:
        raise ServiceError(_("The decision must be accept, query or return."))
    locked = _locked(response)
    if locked.assessment.status not in REVIEWABLE_STATUSES:
        raise ServiceError(_("Answers are reviewed during data collection and the cross-check."))
    if locked.state != Response.State.SUBMITTED:
        raise ServiceError(_("Only submitted answers can be reviewed."))
    comment = comment.strip()
    if decision in ("query", "return") and not comment:
        raise ServiceError(_("Say what should be clarified or revised."))
    review_state, kind = DECISIONS[decision]
    locked.review_state = review_state
    if decision == "return":
        locked.state = Response.State.RETURNED
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    # The version moves on, so a form opened before the review cannot overwrite it.
    locked.version += 1
    locked._change_reason = reason_code(REVIEW_DECISIONS[decision])  # type: ignore[attr-defined]
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save()
    note = ResponseComment.objects.create(response=locked, author=actor, kind=kind, body=comment)
    if decision in ("query", "return"):
        from assessments import notifications

        notifications.response_reviewed(note)
    return locked


@transaction.atomic
def response_resubmit(*, response: Response, actor: User) -> Response:
    """The institution sends one returned or queried answer back for review."""
    locked = _locked(response)
    if (
        not locked.assessment.is_collecting
        and locked.assessment.status != Assessment.Status.CROSS_CHECK
    ):
        raise ServiceError(_("The assessment is not open for resubmission."))
    if locked.review_state not in (Response.ReviewState.RETURNED, Response.ReviewState.QUERIED):
        raise ServiceError(_("Only returned or queried answers are resubmitted."))
    from assessments.models import Assignment

    is_lead = Assignment.objects.filter(
        assessment=locked.assessment,
        indicator=locked.indicator,
        institution=locked.institution,
        role=Assignment.Role.LEAD,
    ).exists()
    if is_lead and not locked.answer:
        raise ServiceError(_("Answer the indicator before resubmitting it."))
    locked.state = Response.State.SUBMITTED
    locked.review_state = Response.ReviewState.RESUBMITTED
    locked.version += 1
    locked._change_reason = reason_code(RESUBMITTED)  # type: ignore[attr-defined]
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save()
    note = ResponseComment.objects.create(
        response=locked, author=actor, kind=ResponseComment.Kind.RESUBMIT
    )
    from assessments import notifications

    notifications.response_resubmitted(note)
    return locked


@transaction.atomic
def comment_add(*, response: Response, actor: User, body: str) -> ResponseComment:
    body = body.strip()
    if not body:
        raise InvalidRequest(_("Write a comment."), field="body")
    note = ResponseComment.objects.create(
        response=response, author=actor, kind=ResponseComment.Kind.COMMENT, body=body
    )
    from assessments import notifications

    notifications.comment_added(note)
    return note
