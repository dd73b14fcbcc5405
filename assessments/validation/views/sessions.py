"""Pages of the validation sessions and of the decisions each records, one per indicator.

Coordinators of the assessment's scope record sessions and decisions while the assessment
is in validation (`permissions.can_record_validation`; a POST from anyone else who may not
manage it is 403); its facilitators and administrators read them.
"""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments import errors, permissions
from assessments.models import Assessment, ValidationDecision, ValidationSession
from assessments.permissions import request_user as _user
from assessments.validation import minutes, selectors, services
from assessments.validation.forms import ValidationSessionForm
from indicators.models import Indicator
from ministries.models import User


def _save_session(
    form: ValidationSessionForm,
    *,
    assessment: Assessment,
    user: User,
    session: ValidationSession | None = None,
) -> ValidationSession | None:
    """Call the service with the form's values; its refusal becomes the form's error."""
    if not form.is_valid():
        return None
    try:
        return services.validation_session_save(
            assessment=assessment, actor=user, session=session, **form.service_values()
        )
    except errors.ServiceError as exc:
        form.add_error(None, exc.message)
        return None


# --- sessions ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def validation_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment's validation sessions; coordinators record a new one here."""
    user = _user(request)
    assessment = permissions.get_validation_assessment_for_user(user, pk)
    recording = permissions.can_record_validation(user, assessment)
    form = None
    if request.method == "POST":
        permissions.require(permissions.can_manage(user, assessment))
    if recording or request.method == "POST":
        form = ValidationSessionForm(
            request.POST or None,
            institutions=selectors.validation_institution_choices(assessment),
            initial={"held_on": timezone.localdate(), "format": ValidationSession.Format.IN_PERSON},
        )
    if request.method == "POST" and form is not None:
        session = _save_session(form, assessment=assessment, user=user)
        if session is not None:
            messages.success(
                request,
                _("Validation session of %(date)s recorded. Record its decisions below.")
                % {"date": minutes.session_dates(session)},
            )
            return redirect("validation_session", pk=assessment.pk, session_id=session.pk)
    context = {
        "assessment": assessment,
        "sessions": selectors.validation_sessions(assessment),
        "can_record": recording,
        # Approval is the workflow move; its confirmation page says what it freezes.
        "can_approve": recording,
        "form": form,
    }
    return render(request, "assessments/validation_sessions.html", context)


def _session_context(
    request: HttpRequest, session: ValidationSession, **extra: Any
) -> dict[str, Any]:
    assessment = session.assessment
    deciding = permissions.can_record_validation(_user(request), assessment)
    rows = selectors.validation_sheet(assessment, session)
    institutions = list(session.institutions.order_by("acronym"))
    decided = [r for r in rows if r.decision is not None]
    changed = sum(
        1
        for r in decided
        if r.decision and r.decision.decision == ValidationDecision.Decision.CHANGED
    )
    context = {
        "assessment": assessment,
        "session": session,
        "institutions": institutions,
        "rows": rows,
        "confirmed_count": len(decided) - changed,
        "changed_count": changed,
        "undecided_count": len(rows) - len(decided),
        "can_decide": deciding,
        "coverage_choices": [(v, str(label)) for v, label in Indicator.Coverage.choices],
        "decide_url": reverse("validation_decide", args=[assessment.pk, session.pk]),
        "form": None,
    }
    if deciding and "form" not in extra:
        context["form"] = ValidationSessionForm(
            initial=ValidationSessionForm.initial_for(session, institutions),
            institutions=selectors.validation_institution_choices(assessment),
        )
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def validation_session(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    """One session: its facts (editable while in validation) and the decision sheet."""
    user = _user(request)
    session = permissions.get_validation_session_for_user(user, pk, session_id)
    assessment = session.assessment
    extra: dict[str, Any] = {}
    if request.method == "POST":
        permissions.require(permissions.can_manage(user, assessment))
        form = ValidationSessionForm(
            request.POST, institutions=selectors.validation_institution_choices(assessment)
        )
        if _save_session(form, assessment=assessment, user=user, session=session):
            messages.success(request, _("The session's facts were saved."))
            return redirect("validation_session", pk=assessment.pk, session_id=session.pk)
        extra = {"form": form, "form_open": True}
    context = _session_context(request, session, **extra)
    return render(request, "assessments/validation_session.html", context)


# --- decisions --------------------------------------------------------------------------------


@login_required
@require_POST
def validation_decide(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    """Record the session's decision on one indicator; htmx swaps the row in place."""
    user = _user(request)
    session = permissions.get_validation_session_for_user(user, pk, session_id)
    assessment = session.assessment
    permissions.require(permissions.can_manage(user, assessment))
    indicator = get_object_or_404(
        Indicator, framework_id=assessment.framework_id, code=request.POST.get("indicator", "")
    )
    posted = {
        name: request.POST.get(name, "") for name in ("decision", "answer", "coverage", "reason")
    }
    error = ""
    try:
        services.validation_decide(session=session, indicator=indicator, actor=user, **posted)
    except errors.ServiceError as exc:
        error = exc.message
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:  # type: ignore[attr-defined]
        context = _row_context(request, session, indicator)
        context.update({"row_error": error, "row_saved": not error, "posted": posted})
        result = render(
            request,
            "assessments/validation_session.html#row",
            context,
            status=422 if error else 200,
        )
        if not error:  # the counts above the sheet follow (portal.js, "decisions-counted")
            result["HX-Trigger"] = _counts_trigger(request, session)
        return result
    if error:
        messages.error(request, f"{indicator.code}: {error}")
        context = _session_context(
            request, session, error_pk=indicator.pk, row_error=error, posted=posted
        )
        return render(request, "assessments/validation_session.html", context)
    messages.success(
        request,
        _("%(code)s: %(decision)s.")
        % {
            "code": indicator.code,
            "decision": ValidationDecision.Decision(posted["decision"]).label,
        },
    )
    url = reverse("validation_session", args=[assessment.pk, session.pk])
    return redirect(f"{url}#ind-{indicator.pk}")


def _counts_trigger(request: HttpRequest, session: ValidationSession) -> str:
    """The HX-Trigger header that updates the decision summary after one decision: its
    text as the page words it (the `summary` partial) and the "confirm the rest" label."""
    assessment = session.assessment
    kinds = dict(
        ValidationDecision.objects.filter(session=session)
        .values("decision")
        .annotate(n=Count("pk"))
        .values_list("decision", "n")
    )
    confirmed = kinds.get(ValidationDecision.Decision.CONFIRMED, 0)
    changed = kinds.get(ValidationDecision.Decision.CHANGED, 0)
    total = Indicator.objects.filter(framework_id=assessment.framework_id).count()
    context = {
        "confirmed_count": confirmed,
        "changed_count": changed,
        "undecided_count": total - confirmed - changed,
    }
    summary = render_to_string(
        "assessments/validation_session.html#summary", context, request=request
    )
    confirm_rest = render_to_string(
        "assessments/validation_session.html#confirm_rest_label", context, request=request
    )
    detail = {
        "summary": strip_tags(summary).strip(),
        "undecided": context["undecided_count"],
        "confirm_rest": strip_tags(confirm_rest).strip(),
    }
    return json.dumps({"decisions-counted": detail})  # ASCII: non-ASCII text is \u-escaped


def _row_context(
    request: HttpRequest, session: ValidationSession, indicator: Indicator
) -> dict[str, Any]:
    assessment = session.assessment
    [row] = selectors.validation_sheet(assessment, session, indicator=indicator)
    return {
        "assessment": assessment,
        "session": session,
        "row": row,
        "error_pk": indicator.pk,
        "can_decide": permissions.can_record_validation(_user(request), assessment),
        "coverage_choices": [(v, str(label)) for v, label in Indicator.Coverage.choices],
        "decide_url": reverse("validation_decide", args=[assessment.pk, session.pk]),
    }


@login_required
@require_POST
def validation_confirm_rest(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    """Confirm, in one step, every indicator this session has not decided on yet."""
    user = _user(request)
    session = permissions.get_validation_session_for_user(user, pk, session_id)
    permissions.require(permissions.can_manage(user, session.assessment))
    try:
        count = services.validation_confirm_rest(session=session, actor=user)
    except errors.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if count:
            messages.success(
                request,
                _("%(count)s indicators confirmed.") % {"count": count},
            )
        else:
            messages.info(request, _("Every indicator already has a decision in this session."))
    return redirect("validation_session", pk=session.assessment.pk, session_id=session.pk)
