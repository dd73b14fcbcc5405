"""What the setup pages share: fetching the assessment a page is about, with the right
permission, and reading a form with more fields than Django's global limit allows."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.datastructures import MultiValueDict
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .. import permissions
from ..models import Assessment
from ..permissions import request_user as _user

# One <select> per cell: 98 indicators x up to ~40 institutions, far above Django's
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000), which stays the limit everywhere else.
GRID_MAX_FIELDS = 10_000


def _get_assessment(request: HttpRequest, pk: int) -> Assessment:
    return get_object_or_404(permissions.assessments_visible_to(_user(request)), pk=pk)


def _get_managed(request: HttpRequest, pk: int) -> Assessment:
    """Strangers 404; members who may not manage it 403."""
    assessment = _get_assessment(request, pk)
    permissions.require(permissions.can_manage(_user(request), assessment))
    return assessment


def _get_matrix(request: HttpRequest, pk: int) -> Assessment:
    assessment = _get_assessment(request, pk)
    if not permissions.can_follow_process(_user(request)):
        raise Http404
    return assessment


def _many_fields(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Parse this view's urlencoded form with GRID_MAX_FIELDS instead of the global limit.

    The CSRF middleware would parse the body (and refuse it) before the view runs, so the
    view is exempted from it and runs the same check itself once the body is parsed.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            encoding = request.encoding or settings.DEFAULT_CHARSET
            try:
                pairs = parse_qsl(
                    request.body.decode(encoding),
                    keep_blank_values=True,
                    max_num_fields=GRID_MAX_FIELDS,
                )
            except ValueError as exc:
                raise TooManyFieldsSent(str(exc)) from exc
            post = QueryDict(mutable=True)
            for name, value in pairs:
                post.appendlist(name, value)
            request.POST = post  # type: ignore[assignment]
            request._files = MultiValueDict()  # type: ignore[attr-defined]
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)
