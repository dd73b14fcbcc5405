"""The assessments app's models, one module per stage; every model is importable from here."""

from .assessment import Assessment, AssessmentStatusChange, Assignment, DeadlineReminder
from .collection import (
    AnswersWorkbookImport,
    Evidence,
    Response,
    Submission,
    _import_path,
    evidence_label,
    response_is_editable,
    response_open_to_institution,
)
from .consolidation import ConsolidatedAnswer
from .review import ResponseComment
from .validation import Snapshot, ValidationDecision, ValidationSession

__all__ = [
    "AnswersWorkbookImport",
    "Assessment",
    "AssessmentStatusChange",
    "Assignment",
    "ConsolidatedAnswer",
    "DeadlineReminder",
    "Evidence",
    "Response",
    "ResponseComment",
    "Snapshot",
    "Submission",
    "ValidationDecision",
    "ValidationSession",
    "_import_path",
    "evidence_label",
    "response_is_editable",
    "response_open_to_institution",
]
