"""One pattern for every irreversible or public action: the first POST (without
`confirmed=yes`) answers a page that says what will happen, who will be told and what is
still missing; only the POST from that page's button acts. Works without JavaScript and with
the keyboard; the API is not affected (a client that calls it states its intent already)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirmed"


def is_confirmed(request: HttpRequest) -> bool:
    """True when the POST comes from the confirmation page's button."""
    return request.POST.get(CONFIRM_FIELD) == "yes"


@dataclass
class Confirmation:
    """What the person is about to do. Strings are already translated by the caller."""

    title: str
    action_url: str
    cancel_url: str
    confirm_label: str
    consequences: list[str] = field(default_factory=list)
    notified: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    # Extra fields the action needs, resent as hidden inputs (name, value).
    hidden: Iterable[tuple[str, Any]] = ()
    # Set when something still missing means the action cannot go ahead at all.
    blocked: bool = False
    # When set, the page asks for a reason (posted as `confirm_reason`) under this label.
    reason_label: str = ""


def confirmation_page(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    return render(request, "confirm_action.html", {"confirmation": confirmation})
