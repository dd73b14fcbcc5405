"""The facilitators' review queue and the thread around each answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.models import Dimension
from ministries.models import Institution

from . import permissions, selectors, services
from .entry_rows import EntryRow
from .models import Response
from .rendering import ResponseBlocks
from .views import _user, get_response


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Answers to review, filterable by assessment, dimension, institution and review state."""
    user = _user(request)
    if not (user.is_facilitator or user.is_coordinator or user.is_administrator):
        raise PermissionDenied
    assessments = list(permissions.assessments_visible_to(user))
    filters = selectors.ReviewFilters.from_query(request.GET, assessments)
    qs = selectors.review_queue(user, filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "assessments": assessments,
        "dimensions": Dimension.objects.filter(framework_id=filters.assessment.framework_id)
        if filters.assessment
        else [],
        "institutions": Institution.objects.filter(
            pk__in=Response.objects.filter(assessment=filters.assessment).values("institution_id")
        )
        if filters.assessment
        else [],
        "review_states": Response.ReviewState.choices,
        "can_review": user.is_facilitator,
    }
    return render(request, "assessments/review_queue.html", context)


@login_required
def response_thread(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    response = get_response(request, pk)
    role = response.assessment.assignments.get(
        indicator=response.indicator, institution=response.institution
    ).role
    block = ResponseBlocks(request).render(EntryRow.from_response(response, role), editable=False)
    comments = response.comments.select_related("author")
    own = user.is_focal_point and user.institution_id == response.institution_id
    context = {
        "response": response,
        "block": block,
        "comments": comments,
        "can_review": user.is_facilitator and response.state == Response.State.SUBMITTED,
        "can_comment": own or user.is_facilitator or user.is_coordinator,
        "can_resubmit": own
        and response.review_state in (Response.ReviewState.RETURNED, Response.ReviewState.QUERIED),
        "can_edit": permissions.can_answer(user, response),
    }
    return render(request, "assessments/response_thread.html", context)


@login_required
@require_POST
def response_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    response = get_response(request, pk)
    if not user.is_facilitator:
        raise PermissionDenied
    decision = request.POST.get("decision", "")
    try:
        services.response_review(
            response=response,
            actor=user,
            decision=decision,
            comment=request.POST.get("comment", ""),
        )
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(code)s (%(institution)s): %(decision)s.")
            % {
                "code": response.indicator.code,
                "institution": response.institution.acronym,
                "decision": Response.ReviewState(services.review.DECISIONS[decision][0]).label,
            },
        )
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("response_thread", pk=response.pk)


@login_required
@require_POST
def response_comment(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    response = get_response(request, pk)
    own = user.is_focal_point and user.institution_id == response.institution_id
    if not (own or user.is_facilitator or user.is_coordinator):
        raise PermissionDenied
    try:
        services.comment_add(response=response, actor=user, body=request.POST.get("body", ""))
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("response_thread", pk=response.pk)


@login_required
@require_POST
def response_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    response = get_response(request, pk)
    if not (user.is_focal_point and user.institution_id == response.institution_id):
        raise PermissionDenied
    try:
        services.response_resubmit(response=response, actor=user)
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(code)s resubmitted for review.") % {"code": response.indicator.code}
        )
    return redirect("response_thread", pk=response.pk)
