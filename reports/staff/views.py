"""The profiles' staff pages: versions, PDF renders, findings, approval and publication.

Coordinators of the assessment's scope, its facilitators and administrators see these
pages; focal points and other strangers get 404. Facilitators and coordinators edit the
findings and render the PDFs; only the coordinators of the scope create versions, approve
and publish (403 otherwise). Every object comes through `permissions.get_*_for_user`, the
same doors as the staff API (reports/staff/api.py). A refused action (`ServiceError`)
becomes a message for the user.
"""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.errors import ServiceError
from assessments.models import Assessment
from assessments.permissions import request_user as _user
from config.confirm import confirmation_page, is_confirmed
from config.files import PDF, serve_file
from ministries.models import User

from .. import exports, findings, permissions, selectors, services
from ..actionplan import permissions as plan_permissions
from ..actionplan import selectors as plan_selectors
from ..models import Profile, ProfileRender
from . import confirmations, launch_views

# Embargo dates are entered and shown in Indonesian Western time, whatever the browser's.
JAKARTA = ZoneInfo("Asia/Jakarta")


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _manage_url(profile: Profile) -> str:
    return reverse("profile_manage", args=[profile.assessment_id])


def parse_embargo(value: str) -> datetime.datetime:
    """A `datetime-local` value (no zone) read as Jakarta time; ValueError if it is not one."""
    moment = datetime.datetime.fromisoformat(value.strip())
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=JAKARTA)
    return moment


# --- the profile page -------------------------------------------------------------------------


def _slot_context(user: User, profile: Profile, slot: selectors.RenderSlot) -> dict[str, Any]:
    return {
        "profile": profile,
        "slot": slot,
        "can_render": permissions.can_render_profiles(user, profile.assessment)
        and profile.status in selectors.IN_PREPARATION,
    }


@login_required
@require_GET
def profile_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version of the assessment's profile; for the one in preparation, its PDFs (the
    status updates itself), approval and publication."""
    user = _user(request)
    assessment = permissions.get_assessment_for_user(user, pk)
    versions = list(selectors.profile_versions(assessment))
    current = next((p for p in versions if p.status in selectors.IN_PREPARATION), None)
    manage = permissions.can_manage_profiles(user, assessment)
    now = timezone.now().astimezone(JAKARTA)
    context = {
        "assessment": assessment,
        "versions": versions,
        "current": current,
        "slots": selectors.render_slots(current) if current else [],
        "can_manage": manage,
        "can_render": current is not None and permissions.can_render_profiles(user, assessment),
        "can_publish": permissions.can_publish_profiles(user, assessment),
        "can_hand_over": permissions.can_hand_over_launch(user, assessment),
        "handed_over": assessment.scope == Assessment.Scope.PROVINCIAL
        and permissions.launch_is_handed_over(assessment),
        "can_edit_findings": permissions.can_edit_findings(user, assessment),
        "can_create": manage
        and current is None
        and assessment.status in (Assessment.Status.APPROVED, Assessment.Status.PUBLISHED),
        "assessment_ready": assessment.status
        in (Assessment.Status.APPROVED, Assessment.Status.PUBLISHED),
        "embargo_min": now.strftime("%Y-%m-%dT%H:%M"),
    }
    return render(request, "reports/staff_profile_manage.html", context)


@login_required
@require_POST
def profile_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version from the latest snapshot; after the first, it says what it corrects."""
    user = _user(request)
    assessment = permissions.get_assessment_for_user(user, pk, manage=True)
    try:
        profile = services.profile_create(
            assessment=assessment,
            actor=user,
            correction_note=request.POST.get("correction_note", ""),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Version %(version)s created from snapshot no. %(snapshot)s, its findings drafted.")
            % {"version": profile.version, "snapshot": profile.snapshot.number},
        )
    return redirect("profile_manage", pk=assessment.pk)


@login_required
@require_POST
def profile_approve_view(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Approve a version, once confirmed: the first POST answers what approval means and
    which PDF is still missing (confirmations.approve_confirmation)."""
    user = _user(request)
    profile = permissions.get_profile_for_user(user, profile_id, manage=True)
    if not is_confirmed(request):
        return confirmation_page(request, confirmations.approve_confirmation(profile))
    try:
        services.profile_approve(profile=profile, actor=user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Version %(version)s approved. Publish it now or on an embargo date.")
            % {"version": profile.version},
        )
    return redirect(_manage_url(profile))


@login_required
@require_POST
def profile_publish_view(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Publish now, or (with `embargo_until`, Jakarta time) on that date and time, once
    confirmed: the first POST answers what becomes public when, and who will be told."""
    user = _user(request)
    profile = permissions.get_profile_for_user(user, profile_id, publish=True)
    # One form: "Publish now" ignores a date typed for the other button.
    now = request.POST.get("when") == "now"
    raw = "" if now else request.POST.get("embargo_until", "").strip()
    embargo = None
    if raw or request.POST.get("when") == "embargo":
        try:
            embargo = parse_embargo(raw)
        except ValueError:
            messages.error(request, _("Give the publication date and time as shown."))
            return redirect(_manage_url(profile))
        if embargo <= timezone.now():
            # Publishing at once by mistake (a wrong year) cannot be undone: refuse instead.
            messages.error(request, _("The publication date must be in the future."))
            return redirect(_manage_url(profile))
    try:
        launch = launch_views.posted_launch(request, embargo)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(_manage_url(profile))
    if not is_confirmed(request):
        confirmation = confirmations.publish_confirmation(profile, user, embargo, raw)
        confirmation.hidden = [*confirmation.hidden, *launch_views.hidden_launch(request)]
        confirmation.consequences.append(launch_views.launch_consequence(launch, embargo))
        return confirmation_page(request, confirmation)
    try:
        published = services.profile_publish(
            profile=profile, actor=user, embargo_until=embargo, **launch
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if published.status == Profile.Status.PUBLISHED:
            messages.success(
                request,
                _("Version %(version)s is published.") % {"version": published.version},
            )
        else:
            assert published.embargo_until is not None
            messages.success(
                request,
                _("Version %(version)s will be published on %(when)s (Jakarta time).")
                % {
                    "version": published.version,
                    "when": published.embargo_until.astimezone(JAKARTA).strftime("%Y-%m-%d %H:%M"),
                },
            )
    return redirect(_manage_url(profile))


# --- renders ----------------------------------------------------------------------------------


@login_required
@require_POST
def render_request_view(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Queue the PDF of one language (again); htmx swaps that language's status in place."""
    user = _user(request)
    profile = permissions.get_profile_for_user(user, profile_id, render=True)
    language = request.POST.get("language", "")
    if language not in services.LANGUAGES:
        raise Http404
    error = ""
    status = 200
    if profile.status not in selectors.IN_PREPARATION:
        error = _("This version is published or superseded; start a new version to correct it.")
        status = 409
    else:
        try:
            services.render_request(profile=profile, language=language, actor=user)
        except ServiceError as exc:
            error, status = exc.message, 409
    if _is_htmx(request):
        # Read back after the commit: without a worker the task has already run.
        slot = selectors.render_slot(profile, language)
        context = {**_slot_context(user, profile, slot), "slot_error": error}
        return render(request, "reports/staff_profile_manage.html#render", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("The %(language)s PDF is queued; this page shows when it is ready.")
            % {"language": ProfileRender.Language(language).label},
        )
    return redirect(_manage_url(profile))


@login_required
@require_GET
def render_status(request: HttpRequest, render_id: int) -> HttpResponse:
    """One render's status, the fragment the profile page polls while it is not finished."""
    user = _user(request)
    render_row = permissions.get_render_for_user(user, render_id)
    slot = selectors.RenderSlot(
        language=render_row.language,
        label=str(render_row.get_language_display()),
        render=render_row,
    )
    return render(
        request,
        "reports/staff_profile_manage.html#render",
        _slot_context(user, render_row.profile, slot),
    )


@login_required
@require_GET
def render_pdf(request: HttpRequest, render_id: int) -> HttpResponseBase:
    """The rendered PDF, once done (404 before), for whom reports/permissions.py allows."""
    render_row = permissions.get_render_file_for_user(_user(request), render_id)
    filename = exports.filename(render_row.profile, f"-{render_row.language}.pdf")
    return serve_file(render_row.file, filename=filename, content_type=PDF, inline=True)


# --- findings ---------------------------------------------------------------------------------


def _findings_context(user: User, profile: Profile, **extra: Any) -> dict[str, Any]:
    sections = selectors.finding_sections(profile)
    findings.annotate(profile, (f for s in sections for g in s.groups for f in g.findings))
    # "Add to action plan" (the plan page's one click): the coordinators of the scope, on
    # the published version's findings; "In the action plan" once an item comes from one.
    can_add_actions = profile.status == Profile.Status.PUBLISHED and (
        plan_permissions.can_manage_plan(user, profile.assessment)
    )
    if profile.status == Profile.Status.PUBLISHED:
        made = plan_selectors.items_from_findings(profile)
        for finding in (f for s in sections for g in s.groups for f in g.findings):
            finding.plan_item_id = made.get(finding.pk)  # type: ignore[attr-defined]
    context = {
        "can_add_actions": can_add_actions,
        "profile": profile,
        "assessment": profile.assessment,
        "sections": sections,
        "editable": profile.status == Profile.Status.DRAFT
        and permissions.can_edit_findings(user, profile.assessment),
        "can_edit_findings": permissions.can_edit_findings(user, profile.assessment),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def profile_findings(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Every finding by dimension and kind, editable in both languages while the version is a
    draft."""
    user = _user(request)
    profile = permissions.get_profile_for_user(user, profile_id)
    return render(request, "reports/staff_profile_findings.html", _findings_context(user, profile))


def _finding_error_status(profile: Profile) -> int:
    # Not a draft any more: a conflict with the workflow. Otherwise the text was refused.
    return 409 if profile.status != Profile.Status.DRAFT else 422


@login_required
@require_POST
def finding_update_view(request: HttpRequest, profile_id: int, finding_id: int) -> HttpResponse:
    """Save one finding's English and Indonesian text; htmx swaps the finding in place."""
    user = _user(request)
    finding = permissions.get_finding_for_user(user, profile_id, finding_id, edit=True)
    profile = finding.profile
    posted = {
        "text_en": request.POST.get("text_en", ""),
        "text_id": request.POST.get("text_id", ""),
    }
    error = ""
    try:
        services.finding_update(finding=finding, actor=user, **posted)
    except ServiceError as exc:
        error = exc.message
        finding = selectors.finding_as_saved(finding)
    status = _finding_error_status(profile) if error else 200
    if _is_htmx(request):
        findings.annotate(profile, [finding])
        context = {
            "finding": finding,
            "profile": profile,
            "editable": profile.status == Profile.Status.DRAFT,
            "finding_error": error,
            "error_pk": finding.pk,
            "finding_saved": not error,
            "posted": posted if error else None,
        }
        return render(
            request, "reports/staff_profile_findings.html#finding", context, status=status
        )
    if error:
        context = _findings_context(
            user, profile, error_pk=finding.pk, finding_error=error, posted=posted
        )
        return render(request, "reports/staff_profile_findings.html", context, status=status)
    messages.success(request, _("The finding was saved; PDFs already rendered are rendered again."))
    url = reverse("profile_findings", args=[profile.pk])
    return redirect(f"{url}#finding-{finding.pk}")


@login_required
@require_POST
def finding_delete_view(request: HttpRequest, profile_id: int, finding_id: int) -> HttpResponse:
    user = _user(request)
    finding = permissions.get_finding_for_user(user, profile_id, finding_id, edit=True)
    profile = finding.profile
    try:
        services.finding_delete(finding=finding, actor=user)
    except ServiceError as exc:
        if _is_htmx(request):
            context = {
                "finding": finding,
                "profile": profile,
                "editable": False,
                "finding_error": exc.message,
                "error_pk": finding.pk,
            }
            return render(
                request,
                "reports/staff_profile_findings.html#finding",
                context,
                status=_finding_error_status(profile),
            )
        messages.error(request, exc.message)
        return redirect("profile_findings", profile_id=profile.pk)
    if _is_htmx(request):
        return render(request, "reports/staff_profile_findings.html#deleted", {})
    messages.success(
        request, _("The finding was deleted; PDFs already rendered are rendered again.")
    )
    return redirect("profile_findings", profile_id=profile.pk)
