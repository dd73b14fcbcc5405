"""Reads for the archive section of the assessment page."""

from typing import Any

from assessments.models import Assessment
from ministries.models import User

from .. import permissions
from ..models import RoundArchive
from .services import PENDING, READY

SHOWN = 5


def section_context(user: User, assessment: Assessment) -> dict[str, Any]:
    """What the section shows: the last archives (newest first), whether one may be asked
    for now. One query: the archives with who asked each, nothing per row."""
    archives = list(
        RoundArchive.objects.filter(assessment=assessment)
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")[:SHOWN]
    )
    return {
        "assessment": assessment,
        "archives": archives,
        "can_archive": permissions.can_archive(user, assessment),
        "ready": assessment.status in READY,
        "pending": any(a.status in PENDING for a in archives),
    }
