"""The facilitators' review queue and the thread around each answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import errors, permissions
from assessments.collection.entry_rows import EntryRow
from assessments.collection.rendering import ResponseBlocks
from assessments.models import Response
from assessments.permissions import request_user as _user
from assessments.review import selectors, services
from indicators.models import Dimension
from ministries.models import Institution


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Answers to review, filterable by assessment, dimension, institution and review state."""
    user = _user(request)
    permissions.require(permissions.can_see_review_queue(user))
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
        "can_review": permissions.can_review(user),
    }
    return render(request, "assessments/review_queue.html", context)


@login_required
def response_thread(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    response = permissions.get_response_for_user(user, pk)
    role = response.assessment.assignments.get(
        indicator=response.indicator, institution=response.institution
    ).role
    # Not "block": a context variable of that name would shadow the template's own
    # {% block %} nodes, and the page printed the node list instead of the answer.
    answer_html = ResponseBlocks(request).render(
        EntryRow.from_response(response, role), editable=False
    )
    comments = response.comments.select_related("author")
    context = {
        "response": response,
        "answer_html": answer_html,
        "comments": comments,
        "can_review": permissions.can_review(user) and response.state == Response.State.SUBMITTED,
        "can_comment": permissions.can_comment(user, response),
        "can_resubmit": permissions.can_resubmit(user, response)
        and response.review_state in (Response.ReviewState.RETURNED, Response.ReviewState.QUERIED),
        "can_edit": permissions.can_answer(user, response),
    }
    return render(request, "assessments/response_thread.html", context)


@login_required
@require_POST
def response_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    response = permissions.get_response_for_user(user, pk)
    permissions.require(permissions.can_review(user))
    decision = request.POST.get("decision", "")
    try:
        services.response_review(
            response=response,
            actor=user,
            decision=decision,
            comment=request.POST.get("comment", ""),
        )
    except errors.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(code)s (%(institution)s): %(decision)s.")
            % {
                "code": response.indicator.code,
                "institution": response.institution.acronym,
                "decision": Response.ReviewState(services.DECISIONS[decision][0]).label,
            },
        )
    next_url = _next_url(request)
    if next_url:
        return redirect(next_url)
    return redirect("response_thread", pk=response.pk)


def _next_url(request: HttpRequest) -> str:
    """The page a form came from (`next`): a path on this site, else ""."""
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return next_url


@login_required
@require_POST
def response_comment(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    response = permissions.get_response_for_user(user, pk)
    permissions.require(permissions.can_comment(user, response))
    try:
        services.comment_add(response=response, actor=user, body=request.POST.get("body", ""))
    except errors.ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("response_thread", pk=response.pk)


@login_required
@require_POST
def response_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    response = permissions.get_response_for_user(user, pk)
    permissions.require(permissions.can_resubmit(user, response))
    try:
        services.response_resubmit(response=response, actor=user)
    except errors.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(code)s resubmitted for review.") % {"code": response.indicator.code}
        )
    next_url = _next_url(request)  # the entry page's answer, when resubmitted from there
    if next_url:
        return redirect(next_url)
    return redirect("response_thread", pk=response.pk)
