"""The facilitators' review queue and the thread around each answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments import errors, permissions
from assessments.collection.entry_rows import EntryRow
from assessments.collection.rendering import ResponseBlocks
from assessments.models import Assessment, Response
from assessments.permissions import request_user as _user
from assessments.review import selectors, services
from config.confirm import Confirmation, confirmation_page, is_confirmed
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
    can_review = permissions.can_review(user) and _reviewable(filters.assessment)
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
        "can_review": can_review,
        "bulk_count": selectors.bulk_acceptable(qs).count() if can_review else 0,
        "filter_fields": [
            ("assessment", filters.assessment.pk if filters.assessment else ""),
            ("dimension", filters.dimension or ""),
            ("institution", filters.institution),
            ("review_state", filters.review_state),
        ],
    }
    return render(request, "assessments/review_queue.html", context)


def _reviewable(assessment: Assessment | None) -> bool:
    """Accept, query and return are offered only while answers are reviewed (the services
    refuse them on an assessment in validation, approved or published)."""
    return assessment is not None and assessment.status in services.REVIEWABLE_STATUSES


@login_required
@require_POST
def review_accept_bulk(request: HttpRequest) -> HttpResponse:
    """Accept every answered item awaiting review in the queue's filter, after a
    confirmation page that says how many, from which institutions and who is told."""
    user = _user(request)
    permissions.require(permissions.can_review(user))
    assessments = list(permissions.assessments_visible_to(user))
    filters = selectors.ReviewFilters.from_query(request.POST, assessments)
    back = f"{reverse('review_queue')}?{filters.query_string()}"
    if not is_confirmed(request):
        items = selectors.bulk_acceptance_items(selectors.review_queue(user, filters))
        return confirmation_page(request, _bulk_confirmation(filters, items, back))
    versions: dict[int, int] = {}
    for item in request.POST.getlist("item"):
        pk, _sep, version = item.partition(":")
        if pk.isdigit() and version.isdigit():
            versions[int(pk)] = int(version)
    result = services.responses_accept_bulk(
        queryset=permissions.responses_visible_to(user).filter(pk__in=list(versions)),
        actor=user,
        versions=versions,
    )
    messages.success(
        request,
        ngettext("%(count)s answer accepted.", "%(count)s answers accepted.", result.accepted)
        % {"count": result.accepted},
    )
    if result.skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)s answer was skipped: it changed since the confirmation page was "
                "shown, or is no longer awaiting review.",
                "%(count)s answers were skipped: they changed since the confirmation page was "
                "shown, or are no longer awaiting review.",
                result.skipped,
            )
            % {"count": result.skipped},
        )
    return redirect(back)


def _bulk_confirmation(
    filters: selectors.ReviewFilters, items: list[tuple[int, int, str]], back: str
) -> Confirmation:
    count = len(items)
    per_institution: dict[str, int] = {}
    for _pk, _version, acronym in items:
        per_institution[acronym] = per_institution.get(acronym, 0) + 1
    confirmation = Confirmation(
        title=ngettext("Accept %(count)s answer", "Accept %(count)s answers", count)
        % {"count": count},
        action_url=reverse("review_accept_bulk"),
        cancel_url=back,
        confirm_label=ngettext("Accept %(count)s answer", "Accept %(count)s answers", count)
        % {"count": count},
        notified=[
            _(
                "Nobody is emailed: the institutions' focal points are told of queries and "
                "returns, not of acceptances. They see the answers as accepted on their pages."
            )
        ],
        hidden=[
            *(("item", f"{pk}:{version}") for pk, version, _acronym in items),
            ("assessment", filters.assessment.pk if filters.assessment else ""),
            ("dimension", filters.dimension or ""),
            ("institution", filters.institution),
            ("review_state", filters.review_state),
        ],
    )
    if not _reviewable(filters.assessment):
        confirmation.blocked = True
        confirmation.missing.append(
            _("Answers are reviewed during data collection and the cross-check.")
        )
    elif not count:
        confirmation.blocked = True
        confirmation.missing.append(
            _("Nothing to accept: no answered item of this filter is awaiting review.")
        )
    else:
        confirmation.consequences = [
            ngettext(
                "%(count)s answer awaiting review (an answer given, or “nothing to add”) will "
                "be accepted. Answers changed in the meantime are skipped.",
                "%(count)s answers awaiting review (answers given, or “nothing to add”) will "
                "be accepted. Answers changed in the meantime are skipped.",
                count,
            )
            % {"count": count},
            _("Institutions: %(list)s.")
            % {"list": ", ".join(f"{a} ({n})" for a, n in per_institution.items())},
        ]
    return confirmation


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
        "can_review": permissions.can_review(user)
        and response.state == Response.State.SUBMITTED
        and _reviewable(response.assessment),
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
