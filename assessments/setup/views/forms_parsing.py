"""Reading a form with more fields than Django's global limit allows (the matrix grid)."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# One <select> per cell: 98 indicators x up to ~40 institutions, far above Django's
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000), which stays the limit everywhere else.
GRID_MAX_FIELDS = 10_000


def many_fields(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
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
