"""The audit page (coordinators within their scope, administrators everything): filtered,
paginated, and exported to CSV with the same filters, streamed row by row."""

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.history_reasons import reason_text
from assessments.permissions import request_user

from .forms import AuditFilterForm
from .permissions import audit_events_visible_to, can_see_audit

PAGE_SIZE = 50


def _events(request: HttpRequest) -> tuple[AuditFilterForm, Any]:
    user = request_user(request)
    if not can_see_audit(user):
        raise PermissionDenied
    visible = audit_events_visible_to(user)
    form = AuditFilterForm(request.GET or None, events=visible)
    events = form.filter(visible).select_related("content_type", "assessment", "institution")
    return form, events


@require_safe
@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    form, events = _events(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/events.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rows(events: Any) -> Iterator[list[str]]:
    yield [
        _("When"),
        _("Person"),
        _("Address"),
        _("Action"),
        _("Object kind"),
        _("Object"),
        _("Assessment"),
        _("Institution"),
        _("Reason"),
        _("Details"),
    ]
    for event in events.iterator(chunk_size=500):
        yield [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            event.actor_name,
            event.ip or "",
            str(event.get_action_display()),
            event.content_type.name if event.content_type else "",
            event.object_repr,
            str(event.assessment) if event.assessment else "",
            event.institution.acronym if event.institution else "",
            reason_text(event.reason),
            json.dumps(event.details, ensure_ascii=False, default=str),
        ]


def _safe(value: str) -> str:
    """A cell a spreadsheet would read as a formula is prefixed with an apostrophe."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_safe
@login_required
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    _form, events = _events(request)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow([_safe(cell) for cell in row]) for row in _rows(events)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
