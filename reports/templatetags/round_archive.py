"""`{% round_archive_section assessment %}`: the archive of a round on the assessment page.

A tag rather than context from the assessment page's view, so the assessments app does not
import the reports app: the page only names the tag. Nothing is drawn for people who may
not archive the round (reports/permissions.py, `can_archive`).
"""

from typing import Any

from django import template

from assessments.models import Assessment

from ..archive.selectors import section_context
from ..archive.services import READY
from ..permissions import can_archive

register = template.Library()


@register.inclusion_tag("reports/_round_archive.html", takes_context=True)
def round_archive_section(context: template.Context, assessment: Assessment) -> dict[str, Any]:
    user = context["request"].user
    if not user.is_authenticated or not can_archive(user, assessment):
        return {"can_archive": False}
    if assessment.status not in READY:
        # Before approval there is nothing to archive: the section says so, with no query.
        return {"can_archive": True, "ready": False, "assessment": assessment}
    return {
        **section_context(user, assessment),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
