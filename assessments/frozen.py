"""Frozen means frozen: once an assessment is approved or published, no comment, review,
evidence or answer change is accepted (ServiceError, 409 in the API), whatever the door.

The one door for corrections is the erratum: a coordinator reopens a published assessment
for correction (workflow.py, PUBLISHED → VALIDATION, with a reason). While the correction
is under way, what is needed passes and nothing else: the consolidated answers
(consolidation room) and a new validation session with its decisions (validation room),
then approval makes the next snapshot. The institutions' answers, their evidence, reviews
and comments stay as they were published (`check_not_frozen` refuses them), the sessions
of the published validation are not changed (`check_correction_session`), and data
collection is not reopened (the workflow's guard).
"""

import datetime

from django.db.models import Max
from django.utils.translation import gettext as _

from assessments.errors import ServiceError
from assessments.models import Assessment, AssessmentStatusChange, ValidationSession

FROZEN_STATUSES = (Assessment.Status.APPROVED, Assessment.Status.PUBLISHED)
# The stages a correction passes through: validation, then approved until the corrected
# profile version is published (which moves the assessment back to published).
CORRECTION_STATUSES = (Assessment.Status.VALIDATION, Assessment.Status.APPROVED)


def is_frozen(assessment: Assessment) -> bool:
    return assessment.status in FROZEN_STATUSES


def corrections_started(assessments: list[Assessment]) -> dict[int, datetime.datetime]:
    """{assessment id: when it was reopened for correction} for those of `assessments` whose
    correction is under way (reopened after publication, not yet published again): one
    query, none when no assessment is at a correction's stage."""
    ids = [a.pk for a in assessments if a.status in CORRECTION_STATUSES]
    if not ids:
        return {}
    return dict(
        AssessmentStatusChange.objects.filter(
            assessment_id__in=ids, from_status=Assessment.Status.PUBLISHED
        )
        .values("assessment_id")
        .annotate(at=Max("created_at"))
        .order_by()
        .values_list("assessment_id", "at")
    )


def correction_started(assessment: Assessment) -> datetime.datetime | None:
    """When the correction under way was opened, or None when there is none."""
    return corrections_started([assessment]).get(assessment.pk)


def check_not_frozen(assessment: Assessment) -> None:
    """Refuse any change to a frozen assessment, or to one reopened for correction, saying why."""
    if is_frozen(assessment):
        raise ServiceError(
            _(
                "This assessment is %(status)s and therefore frozen: comments, reviews, "
                "evidence and answers can no longer change."
            )
            % {"status": Assessment.Status(assessment.status).label.lower()}
        )
    if correction_started(assessment) is not None:
        raise ServiceError(
            _(
                "This assessment is published and reopened only to correct its validated "
                "answers: comments, reviews, evidence and the institutions' answers stay as "
                "they were published. Change the consolidated answers and validate them again."
            )
        )


def check_correction_session(session: ValidationSession) -> None:
    """In a correction, the sessions of the published validation stay as they were: the
    changes are recorded in a session of the correction."""
    started = correction_started(session.assessment)
    if started is not None and session.pk and session.created_at < started:
        raise ServiceError(
            _(
                "This session belongs to the published validation and is not changed; record "
                "a new validation session for the correction."
            )
        )
