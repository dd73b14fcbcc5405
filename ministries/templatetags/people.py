from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def person(user: Any) -> str:
    """A user's full name, else their username; "the system" for changes made by no one."""
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()
