"""Pages of validation (the focus group discussion): sessions, their decisions, the
minutes and the snapshots approval freezes.

- sessions: the sessions, one session's facts and decision sheet, the decisions
- minutes: the minutes of a session as PDF and Excel downloads
- snapshots: the numbered, frozen datasets, read-only

Coordinators of the assessment's scope record sessions and decisions while the assessment
is in validation; its facilitators and administrators read them. Focal points and other
strangers get 404: `permissions.validation_assessments_visible_to` is the only door.
"""

from assessments.validation.views.minutes import validation_minutes_pdf, validation_minutes_xlsx
from assessments.validation.views.sessions import (
    validation_confirm_rest,
    validation_decide,
    validation_session,
    validation_sessions,
)
from assessments.validation.views.snapshots import snapshot_detail, snapshot_list

__all__ = [
    "snapshot_detail",
    "snapshot_list",
    "validation_confirm_rest",
    "validation_decide",
    "validation_minutes_pdf",
    "validation_minutes_xlsx",
    "validation_session",
    "validation_sessions",
]
