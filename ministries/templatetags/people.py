from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def display_name(first_name: str, last_name: str, username: str) -> str:
    """Full name, else username: what `person` shows, for rows read without the model."""
    return f"{first_name} {last_name}".strip() or username


@register.filter
def person(user: Any) -> str:
    """A user's full name, else their username; "the system" for changes made by no one."""
    if user is None:
        return _("the system")
    return display_name(user.first_name, user.last_name, user.get_username())
