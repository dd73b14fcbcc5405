"""Why an action item changed, as its history keeps it: a code, shown in the reader's
language (as assessments/history_reasons.py does for answers)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CREATED = "action_created"
CREATED_FROM_FINDING = "action_from_finding"
EDITED = "action_edited"
STATUS_CHANGED = "action_status"
EDITED_API = "action_edited_api"
PROGRESS_POSTED = "action_progress"
COMMENT_POSTED = "action_comment"
PLAN_PUBLISHED = "action_plan_published"
PLAN_CREATED = "action_plan_created"
DEMO = "action_demo"

REASONS: dict[str, Promise] = {
    CREATED: _("Action created by hand"),
    CREATED_FROM_FINDING: _("Action created from a finding"),
    EDITED: _("Action edited"),
    STATUS_CHANGED: _("Status changed"),
    EDITED_API: _("Action edited through the API"),
    PROGRESS_POSTED: _("Progress update posted"),
    COMMENT_POSTED: _("Comment posted"),
    PLAN_PUBLISHED: _("Action plan published"),
    PLAN_CREATED: _("Action plan started"),
    DEMO: _("Demonstration data"),
}


def reason_text(stored: str | None) -> str:
    """A stored reason in the active language; anything else as it was written."""
    known = REASONS.get(stored or "")
    return str(known) if known is not None else (stored or "")
