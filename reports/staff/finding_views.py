"""The findings editor's answers to its flags: "confirm as still true" for a stale finding,
"confirm translation" for a text copied from the other language. Rewriting a finding is
`views.finding_update_view`. Same door and the same in-place swap (htmx) as that view; the
confirmation step is not needed: neither action is public nor irreversible (the version is
a draft, and approval checks it again).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.errors import ServiceError
from assessments.permissions import request_user as _user

from .. import finding_services, findings, permissions, selectors
from ..models import Finding, Profile


def _answer(request: HttpRequest, finding: Finding, error: str, done: str) -> HttpResponse:
    profile: Profile = finding.profile
    if error:
        finding = selectors.finding_as_saved(finding)
    status = (409 if profile.status != Profile.Status.DRAFT else 422) if error else 200
    if getattr(request, "htmx", False):
        findings.annotate(profile, [finding])
        context = {
            "finding": finding,
            "profile": profile,
            "editable": profile.status == Profile.Status.DRAFT,
            "finding_error": error,
            "error_pk": finding.pk,
            "finding_saved": not error,
        }
        return render(
            request, "reports/staff_profile_findings.html#finding", context, status=status
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    url = reverse("profile_findings", args=[profile.pk])
    return redirect(f"{url}#finding-{finding.pk}")


@login_required
@require_POST
def finding_confirm_view(request: HttpRequest, profile_id: int, finding_id: int) -> HttpResponse:
    """A stale finding is still true of the changed answers."""
    user = _user(request)
    finding = permissions.get_finding_for_user(user, profile_id, finding_id, edit=True)
    error = ""
    try:
        finding_services.finding_confirm(finding=finding, actor=user)
    except ServiceError as exc:
        error = exc.message
    return _answer(request, finding, error, _("The finding now rests on the current answers."))


@login_required
@require_POST
def finding_translation_confirm_view(
    request: HttpRequest, profile_id: int, finding_id: int
) -> HttpResponse:
    """The text in `language` is confirmed as translated."""
    user = _user(request)
    finding = permissions.get_finding_for_user(user, profile_id, finding_id, edit=True)
    error = ""
    try:
        finding_services.finding_translation_confirm(
            finding=finding, actor=user, language=request.POST.get("language", "")
        )
    except ServiceError as exc:
        error = exc.message
    return _answer(request, finding, error, _("The translation is confirmed."))
