"""The archive of a round on the assessment page: ask for it, follow its status, download it.

The section itself is drawn on the assessment page by the `round_archive_section` tag
(reports/templatetags/round_archive.py); these views answer its form, its polling and its
link. Coordinators of the scope and administrators only (reports/permissions.py): the
assessment's facilitators get 403, everyone else 404. Asking for an archive changes no
record of the round and publishes nothing, so it needs no confirmation step.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.errors import ServiceError
from assessments.permissions import request_user as _user
from config.files import ZIP, serve_file

from .. import permissions
from . import selectors, services

SECTION = "reports/_round_archive.html"


@login_required
@require_POST
def round_archive_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the archive (or give the one being built); htmx redraws the section in place."""
    user = _user(request)
    assessment = permissions.get_archive_assessment_for_user(user, pk)
    error = ""
    try:
        services.archive_request(assessment=assessment, actor=user)
    except ServiceError as exc:
        error = exc.message
    if getattr(request, "htmx", False):
        context = {**selectors.section_context(user, assessment), "archive_error": error}
        return render(request, f"{SECTION}#section", context, status=409 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("The archive of this round is being built; this page shows when it is ready."),
        )
    return redirect(reverse("assessment_detail", args=[assessment.pk]) + "#round-archive")


@login_required
@require_GET
def round_archive_status(request: HttpRequest, archive_id: int) -> HttpResponse:
    """One archive's line, the fragment the section polls while it is being built."""
    archive = permissions.get_archive_for_user(_user(request), archive_id)
    return render(request, f"{SECTION}#archive", {"archive": archive})


@login_required
@require_GET
def round_archive_download(request: HttpRequest, archive_id: int) -> HttpResponseBase:
    """The zip, as an attachment, once built (404 before); the download is audited."""
    user = _user(request)
    archive = permissions.get_archive_file_for_user(user, archive_id)
    services.archive_downloaded(archive=archive, actor=user)
    return serve_file(archive.file, filename=services.archive_filename(archive), content_type=ZIP)
