"""Frozen means frozen: once an assessment is approved or published, no comment, review,
evidence or answer change is accepted (ServiceError, 409 in the API), whatever the door.
Correcting a published assessment is the erratum's business, not an exception here."""

from django.utils.translation import gettext as _

from assessments.errors import ServiceError
from assessments.models import Assessment

FROZEN_STATUSES = (Assessment.Status.APPROVED, Assessment.Status.PUBLISHED)


def is_frozen(assessment: Assessment) -> bool:
    return assessment.status in FROZEN_STATUSES


def check_not_frozen(assessment: Assessment) -> None:
    """Refuse any change to a frozen assessment, saying why."""
    if is_frozen(assessment):
        raise ServiceError(
            _(
                "This assessment is %(status)s and therefore frozen: comments, reviews, "
                "evidence and answers can no longer change."
            )
            % {"status": Assessment.Status(assessment.status).label.lower()}
        )
