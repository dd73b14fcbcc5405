"""The facilitators' review of each answer, and the comment thread around it."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.collection.selectors import has_content
from assessments.errors import InvalidRequest, ServiceError
from assessments.frozen import check_not_frozen
from assessments.history_reasons import (
    ACCEPTED_IN_BULK,
    RESUBMITTED,
    REVIEW_DECISIONS,
    reason_code,
)
from assessments.models import Assessment, Response, ResponseComment
from audit.services import Action, audit_record
from config import text as text_rules
from config.text import text_problem
from ministries.models import User

DECISIONS = {
    "accept": (Response.ReviewState.ACCEPTED, ResponseComment.Kind.ACCEPT),
    "query": (Response.ReviewState.QUERIED, ResponseComment.Kind.QUERY),
    "return": (Response.ReviewState.RETURNED, ResponseComment.Kind.RETURN),
}
REVIEWABLE_STATUSES = (Assessment.Status.DATA_COLLECTION, Assessment.Status.CROSS_CHECK)
REVIEW_FIELDS = ["state", "review_state", "reviewed_by", "reviewed_at", "version"]
AWAITING = (Response.ReviewState.PENDING, Response.ReviewState.RESUBMITTED)


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
    check_not_frozen(locked.assessment)
    if locked.assessment.status not in REVIEWABLE_STATUSES:
        raise ServiceError(_("Answers are reviewed during data collection and the cross-check."))
    if locked.state != Response.State.SUBMITTED:
        raise ServiceError(_("Only submitted answers can be reviewed."))
    comment = comment.strip()
    problem = text_problem(comment, text_rules.COMMENT)
    if problem:
        raise InvalidRequest(problem, field="comment")
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
    # Not `updated_at` (auto_now) nor `updated_by`: "last changed" stays the institution's
    # last edit; the review has its own reviewed_by and reviewed_at.
    locked.save(update_fields=REVIEW_FIELDS)
    note = ResponseComment.objects.create(response=locked, author=actor, kind=kind, body=comment)
    audit_record(
        action=Action.RESPONSE_REVIEWED,
        actor=actor,
        obj=locked,
        reason=comment,
        details={"decision": decision, "review_state": review_state},
    )
    if decision in ("query", "return"):
        from assessments import notifications

        notifications.response_reviewed(note)
    return locked


@transaction.atomic
def response_resubmit(*, response: Response, actor: User) -> Response:
    """The institution sends one returned or queried answer back for review."""
    locked = _locked(response)
    check_not_frozen(locked.assessment)
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
    audit_record(
        action=Action.ANSWER_RESUBMITTED,
        actor=actor,
        obj=locked,
        details={"indicator": locked.indicator.code},
    )
    from assessments import notifications

    notifications.response_resubmitted(note)
    return locked


@transaction.atomic
def comment_add(*, response: Response, actor: User, body: str) -> ResponseComment:
    # The assessment as it is now, under a lock: a comment racing an approval is refused.
    check_not_frozen(Assessment.objects.select_for_update().get(pk=response.assessment_id))
    body = body.strip()
    if not body:
        raise InvalidRequest(_("Write a comment."), field="body")
    problem = text_problem(body, text_rules.COMMENT)
    if problem:
        raise InvalidRequest(problem, field="body")
    note = ResponseComment.objects.create(
        response=response, author=actor, kind=ResponseComment.Kind.COMMENT, body=body
    )
    audit_record(
        action=Action.COMMENT_ADDED,
        actor=actor,
        obj=note,
        assessment=response.assessment_id,
        institution=response.institution_id,
        details={"response": response.pk, "body": body},
    )
    from assessments import notifications

    notifications.comment_added(note)
    return note


@dataclass
class BulkAcceptance:
    accepted: int = 0
    skipped: int = 0  # changed since they were listed, or no longer awaiting review


@transaction.atomic
def responses_accept_bulk(
    *, queryset: QuerySet[Response], actor: User, versions: dict[int, int] | None = None
) -> BulkAcceptance:
    """Accept, in one step, the answers of `queryset` (already limited to what the actor may
    see) that await review with content (an answer given, or nothing to add).

    The rows are locked; one that has changed since it was listed (its version differs from
    `versions`, the {id: version} the person saw), is no longer awaiting review, has no
    content or belongs to an assessment past its cross-check is skipped and counted. Each
    accepted answer gets an "accept" entry in its thread and a history row.
    """
    locked = list(
        queryset.select_for_update(of=("self",)).select_related("assessment").order_by("pk")
    )
    result = BulkAcceptance()
    accepted: list[Response] = []
    now_at = timezone.now()
    for response in locked:
        fresh = versions is None or versions.get(response.pk) == response.version
        awaiting = response.state == Response.State.SUBMITTED and response.review_state in AWAITING
        reviewable = response.assessment.status in REVIEWABLE_STATUSES
        content = has_content(response.answer, response.nothing_to_add, response.confirmed)
        if not (fresh and awaiting and reviewable and content):
            result.skipped += 1
            continue
        response.review_state = Response.ReviewState.ACCEPTED
        response.reviewed_by = actor
        response.reviewed_at = now_at
        response.version += 1
        accepted.append(response)
    if versions is not None:  # listed, but gone from the queryset since (or never visible)
        result.skipped += len(set(versions) - {r.pk for r in locked})
    if accepted:
        Response.objects.bulk_update(accepted, REVIEW_FIELDS, batch_size=500)
        Response.history.bulk_history_create(
            accepted,
            update=True,
            default_user=actor,
            default_change_reason=reason_code(ACCEPTED_IN_BULK),
            default_date=now_at,
        )
        ResponseComment.objects.bulk_create(
            [
                ResponseComment(response=r, author=actor, kind=ResponseComment.Kind.ACCEPT)
                for r in accepted
            ]
        )
        audit_record(
            action=Action.ANSWERS_ACCEPTED,
            actor=actor,
            assessment=accepted[0].assessment_id,
            details={"responses": [r.pk for r in accepted], "skipped": result.skipped},
        )
    result.accepted = len(accepted)
    return result
