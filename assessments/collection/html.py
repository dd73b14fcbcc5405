"""What the answer blocks built in Python share (rendering.py, entry_review.py): escaping and
URL patterns reversed once a page rather than once a block."""

from html import escape
from typing import Any

from django.urls import reverse

SENTINEL = 987654321


def e(value: Any) -> str:
    """Escape a value for HTML text or a double-quoted attribute."""
    return escape(str(value), quote=True)


def _url_pattern(name: str) -> str:
    """The URL of `name` with its one integer argument left as `{}` for str.format."""
    return reverse(name, args=[SENTINEL]).replace(str(SENTINEL), "{}")
