"""`{{ record.history_change_reason|history_reason }}`: a stored reason in the reader's language."""

from django import template

from assessments.history_reasons import reason_text

register = template.Library()


@register.filter
def history_reason(stored: str | None) -> str:
    return reason_text(stored)
