"""The publication editor: a profile version's sections (cover, acknowledgements, chapter
introductions, annexes, ...) in both languages, and its migration-context figures, entered
by hand or uploaded as a CSV or Excel file.

The same people as the findings editor: the coordinators of the assessment's scope and its
facilitators edit while the version is a draft (`permissions.get_*_for_user(..., edit=True)`,
403 otherwise); whoever may see the profile reads it; strangers get 404. Each POST calls one
service of reports/publication.py; a refused one shows its message on the page.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.errors import ServiceError
from assessments.permissions import request_user as _user
from indicators.models import Dimension
from ministries.models import User

from .. import permissions, publication
from ..models import Profile, ProfileSection

TEMPLATE = "reports/staff_profile_sections.html"
FIGURE_FIELDS = ("label_en", "label_id", "value", "source", "year")


def _title(section: ProfileSection, dimensions: dict[int, Dimension]) -> str:
    label = str(ProfileSection.Key(section.key).label)
    dim = dimensions.get(section.dimension or 0)
    if dim is None:
        return label
    return _("%(section)s: %(number)s. %(dimension)s") % {
        "section": label,
        "number": dim.number,
        "dimension": dim.tr("name"),
    }


def _context(user: User, profile: Profile, **extra: Any) -> dict[str, Any]:
    """The page: every section in the publication's order, with its title, and the figures."""
    dimensions = {
        d.number: d for d in Dimension.objects.filter(framework_id=profile.assessment.framework_id)
    }
    sections = list(profile.sections.select_related("edited_by"))
    for s in sections:
        s.title = _title(s, dimensions)  # type: ignore[attr-defined]
    context = {
        "profile": profile,
        "assessment": profile.assessment,
        "sections": sections,
        "figures": list(profile.context_figures.all()),
        "editable": profile.status == Profile.Status.DRAFT
        and permissions.can_edit_findings(user, profile.assessment),
    }
    context.update(extra)
    return context


def _page_url(profile: Profile, anchor: str = "") -> str:
    url = reverse("profile_sections", args=[profile.pk])
    return f"{url}#{anchor}" if anchor else url


def _status(profile: Profile) -> int:
    # Not a draft any more: a conflict with the workflow; otherwise the input was refused.
    return 409 if profile.status != Profile.Status.DRAFT else 422


@login_required
@require_GET
def profile_sections(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Every section and context figure of a version, editable while it is a draft."""
    user = _user(request)
    profile = permissions.get_profile_for_user(user, profile_id)
    return render(request, TEMPLATE, _context(user, profile))


@login_required
@require_POST
def section_update_view(request: HttpRequest, profile_id: int, section_id: int) -> HttpResponse:
    """Save one section's English and Indonesian text."""
    user = _user(request)
    section = permissions.get_section_for_user(user, profile_id, section_id, edit=True)
    posted = {
        "text_en": request.POST.get("text_en", ""),
        "text_id": request.POST.get("text_id", ""),
    }
    try:
        publication.section_update(section=section, actor=user, **posted)
    except ServiceError as exc:
        context = _context(
            user, section.profile, error_pk=section.pk, section_error=exc.message, posted=posted
        )
        return render(request, TEMPLATE, context, status=_status(section.profile))
    messages.success(request, _("The section was saved; PDFs already rendered are rendered again."))
    return redirect(_page_url(section.profile, f"section-{section.pk}"))


@login_required
@require_POST
def figure_save_view(
    request: HttpRequest, profile_id: int, figure_id: int | None = None
) -> HttpResponse:
    """Add a context figure, or change one (`figure_id`)."""
    user = _user(request)
    if figure_id is None:
        profile = permissions.get_profile_for_user(user, profile_id, edit=True)
        figure = None
    else:
        figure = permissions.get_figure_for_user(user, profile_id, figure_id, edit=True)
        profile = figure.profile
    posted = {name: request.POST.get(name, "") for name in FIGURE_FIELDS}
    try:
        publication.context_figure_save(profile=profile, actor=user, figure=figure, **posted)
    except ServiceError as exc:
        context = _context(
            user,
            profile,
            figure_error=exc.message,
            figure_error_pk=figure.pk if figure else "new",
            figure_posted=posted,
        )
        return render(request, TEMPLATE, context, status=_status(profile))
    messages.success(request, _("The figure was saved."))
    return redirect(_page_url(profile, "figures"))


@login_required
@require_POST
def figure_delete_view(request: HttpRequest, profile_id: int, figure_id: int) -> HttpResponse:
    user = _user(request)
    figure = permissions.get_figure_for_user(user, profile_id, figure_id, edit=True)
    try:
        publication.context_figure_delete(figure=figure, actor=user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The figure was deleted."))
    return redirect(_page_url(figure.profile, "figures"))


@login_required
@require_POST
def figures_upload_view(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Replace the context table with the figures of an uploaded CSV or Excel file."""
    user = _user(request)
    profile = permissions.get_profile_for_user(user, profile_id, edit=True)
    upload = request.FILES.get("file")
    if upload is None:
        context = _context(user, profile, upload_problems=[_("Choose a CSV or Excel file.")])
        return render(request, TEMPLATE, context, status=422)
    try:
        figures = publication.context_figures_import(
            profile=profile, actor=user, upload=upload, name=upload.name or ""
        )
    except ServiceError as exc:
        problems = getattr(exc, "problems", None) or [exc.message]
        context = _context(user, profile, upload_problems=problems)
        return render(request, TEMPLATE, context, status=_status(profile))
    messages.success(
        request,
        _("The context table now holds the %(count)s figures of the file.")
        % {"count": len(figures)},
    )
    return redirect(_page_url(profile, "figures"))
