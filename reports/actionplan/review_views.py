"""The pages of the steering committee reviews: the plan's reviews, a new review, a review
with its frozen snapshot and the decision per item (one form; a stale save is refused with
the newer version named), its PDF minutes (asked for, rendered by the worker, the status
polled) and its Excel minutes (made in the request). The API is review_api.py."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.errors import ServiceError
from assessments.permissions import request_user as _user
from config.files import PDF, XLSX, serve_file
from ministries.models import User

from . import permissions, review_minutes, review_selectors, review_services
from .review_forms import ReviewForm
from .review_models import ReviewDecision, ReviewMinutesFile, SteeringReview

LANGUAGES = (("en", "English"), ("id", "Bahasa Indonesia"))


def _language(value: str) -> str:
    if value not in dict(LANGUAGES):
        raise Http404
    return value


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@login_required
@require_GET
def reviews_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's steering committee reviews, newest meeting first."""
    user = _user(request)
    plan = permissions.get_review_plan_for_user(user, pk)
    assessment = plan.assessment
    reviews = review_selectors.plan_reviews(plan, permissions.reviews_visible_to(user))
    context = {
        "assessment": assessment,
        "plan": plan,
        "reviews": reviews,
        "can_manage": permissions.can_manage_plan(user, assessment),
        "can_review": permissions.can_review_plan(user, assessment),
        "current_page": "reviews",
    }
    return render(request, "reports/actionplan/reviews.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a meeting: the plan's items are frozen as they stand now."""
    user = _user(request)
    plan = permissions.get_review_plan_for_user(user, pk, manage=True)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            review = review_services.review_create(
                plan=plan,
                held_on=data["held_on"],
                chair=data["chair"],
                participants=data["participants"],
                minutes_en=data["minutes_en"],
                minutes_id=data["minutes_id"],
                actor=user,
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The review is recorded; set the decision per action."))
            return redirect("action_review", pk=review.pk)
    context = {"assessment": plan.assessment, "plan": plan, "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "reports/actionplan/review_form.html", context, status=status)


def decisions_from_post(review: SteeringReview, data: Any) -> dict[int, tuple[str, str]]:
    """`decision-<id>` and `note-<id>` of every item of the snapshot."""
    out: dict[int, tuple[str, str]] = {}
    for decision in review.decisions.all():
        key = decision.item_key
        out[key] = (str(data.get(f"decision-{key}", "")), str(data.get(f"note-{key}", "")))
    return out


def _files(review: SteeringReview) -> list[tuple[str, str, ReviewMinutesFile | None]]:
    rows = {f.language: f for f in review.files.all()}
    return [(code, label, rows.get(code)) for code, label in LANGUAGES]


def _review_page(
    request: HttpRequest, review: SteeringReview, user: User, **extra: Any
) -> HttpResponse:
    review = review_selectors.review_detail(review)
    assessment = review.plan.assessment
    language = request.LANGUAGE_CODE if request.LANGUAGE_CODE == "id" else "en"
    context = {
        "assessment": assessment,
        "review": review,
        "rows": review_minutes.review_rows(review, language),
        "decisions": ReviewDecision.Decision.choices,
        "files": _files(review),
        "can_review": permissions.can_review_plan(user, assessment),
        "version": review.version,
        **extra,
    }
    status = int(context.pop("status", 200))
    return render(request, "reports/actionplan/review.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The review: its facts, the frozen snapshot with a decision per item, the minutes."""
    user = _user(request)
    review = permissions.get_review_for_user(user, pk, manage=request.method == "POST")
    if request.method != "POST":
        return _review_page(request, review, user)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    posted = decisions_from_post(review, request.POST)
    try:
        review_services.review_decide(
            review=review,
            decisions=posted,
            version=version,
            actor=user,
            minutes_en=request.POST.get("minutes_en"),
            minutes_id=request.POST.get("minutes_id"),
        )
    except review_services.StaleReview as stale:
        return _review_page(request, review, user, stale=stale, status=409)
    except ServiceError as error:
        return _review_page(request, review, user, error=error.message, status=400)
    messages.success(request, _("The decisions are saved."))
    return redirect("action_review", pk=review.pk)


def _file_slot(
    request: HttpRequest, review: SteeringReview, language: str, user: User
) -> HttpResponse:
    row = review.files.filter(language=language).first()
    context = {
        "review": review,
        "code": language,
        "label": dict(LANGUAGES)[language],
        "file": row,
        "can_review": permissions.can_review_plan(user, review.plan.assessment),
    }
    return render(request, "reports/actionplan/review.html#minutes_file", context)


@login_required
@require_POST
def review_minutes_request_view(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """Ask the worker for the PDF minutes in one language."""
    user = _user(request)
    language = _language(language)
    review = permissions.get_review_for_user(user, pk, manage=True)
    try:
        review_services.review_minutes_request(review=review, language=language, actor=user)
    except ServiceError as error:
        messages.error(request, error.message)
    if _is_htmx(request):
        return _file_slot(request, review, language, user)
    messages.success(request, _("The PDF minutes are being made; this page shows when."))
    return redirect("action_review", pk=review.pk)


@login_required
@require_GET
def review_minutes_status(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """The status of one language's PDF minutes: the fragment the review page polls."""
    user = _user(request)
    review = permissions.get_review_for_user(user, pk)
    return _file_slot(request, review, _language(language), user)


@login_required
@require_GET
def review_minutes_pdf(request: HttpRequest, pk: int, language: str) -> HttpResponseBase:
    """The PDF minutes once rendered (404 before), for those who read the review."""
    review = permissions.get_review_for_user(_user(request), pk)
    row = review.files.filter(
        language=_language(language), status=ReviewMinutesFile.Status.DONE
    ).first()
    if row is None or not row.file:
        raise Http404
    filename = review_minutes.minutes_filename(review, language, "pdf")
    return serve_file(row.file, filename=filename, content_type=PDF, inline=True)


@login_required
@require_GET
def review_minutes_xlsx(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """The minutes as an Excel workbook: the meeting, the participants, the decisions."""
    review = permissions.get_review_for_user(_user(request), pk)
    language = _language(language)
    response = HttpResponse(review_minutes.minutes_xlsx(review, language), content_type=XLSX)
    filename = review_minutes.minutes_filename(review, language, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Language"] = language
    return response
