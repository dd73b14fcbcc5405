"""The action plan's pages that read: the plan (filtered list), the data roadmap (SDMI), the
summary per GCM objective and per dimension (counts by status, never scores or rankings),
and the timeline of target dates. The writes are in item_views.py; the API in api.py."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.models import Assessment
from assessments.permissions import request_user as _user
from indicators.bilingual import active_language
from indicators.models import Dimension, GCMObjective
from ministries.models import Institution, User

from ..models import Finding, Profile
from . import permissions, selectors
from .models import ActionItem, ActionPlan


def dimension_names(assessment: Assessment) -> dict[int, str]:
    dimensions = Dimension.objects.filter(framework_id=assessment.framework_id)
    return {d.number: d.tr("name") for d in dimensions}


def plan_context(user: User, assessment: Assessment) -> dict[str, Any]:
    """What every plan page shows at its top: the plan (None before its first item) and
    what the user may do."""
    plan = ActionPlan.objects.filter(assessment=assessment).first()
    return {
        "assessment": assessment,
        "plan": plan,
        "can_manage": permissions.can_manage_plan(user, assessment),
        "dimensions": dimension_names(assessment),
    }


def open_findings(assessment: Assessment) -> list[Finding]:
    """The published profile's areas with potential for further development that no item
    answers yet: each becomes an item with one click."""
    return list(
        Finding.objects.filter(
            profile__assessment=assessment,
            profile__status=Profile.Status.PUBLISHED,
            kind=Finding.Kind.FURTHER_DEVELOPMENT,
            action_items__isnull=True,
        ).order_by("dimension", "order", "pk")
    )


def _list_page(request: HttpRequest, pk: int, *, roadmap: bool) -> HttpResponse:
    user = _user(request)
    assessment = permissions.get_plan_assessment_for_user(user, pk)
    context = plan_context(user, assessment)
    filters = selectors.clean_filters(request.GET)
    if roadmap:
        filters["kind"] = ActionItem.Kind.DATA_STATISTICS
    items: Any = []
    if context["plan"] is not None:
        visible = permissions.items_visible_to(user)
        items = selectors.filter_items(selectors.plan_items(context["plan"], visible), filters)
    context.update(
        {
            "items": items,
            "filters": filters,
            "roadmap": roadmap,
            "institutions": Institution.objects.order_by("acronym"),
            "objectives": GCMObjective.objects.order_by("number"),
            "kinds": ActionItem.Kind.choices,
            "statuses": ActionItem.Status.choices,
            "open_findings": open_findings(assessment) if context["can_manage"] else [],
        }
    )
    return render(request, "reports/actionplan/plan.html", context)


@login_required
@require_GET
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as a list, filtered by institution, dimension, GCM objective, kind, status."""
    return _list_page(request, pk, roadmap=False)


@login_required
@require_GET
def roadmap_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The data roadmap (SDMI): the items of kind "data and statistics"."""
    return _list_page(request, pk, roadmap=True)


@login_required
@require_GET
def summary_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Items counted by status per GCM objective and per dimension."""
    user = _user(request)
    assessment = permissions.get_plan_assessment_for_user(user, pk)
    context = plan_context(user, assessment)
    by_gcm: list[Any] = []
    by_dimension: list[Any] = []
    if context["plan"] is not None:
        items = permissions.items_visible_to(user).filter(plan=context["plan"])
        by_gcm = selectors.summary_by_gcm(items, active_language())
        by_dimension = selectors.summary_by_dimension(items, context["dimensions"])
    context.update(
        {"by_gcm": by_gcm, "by_dimension": by_dimension, "statuses": ActionItem.Status.choices}
    )
    return render(request, "reports/actionplan/summary.html", context)


@login_required
@require_GET
def timeline_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The items by the month of their target date."""
    user = _user(request)
    assessment = permissions.get_plan_assessment_for_user(user, pk)
    context = plan_context(user, assessment)
    months: list[Any] = []
    if context["plan"] is not None:
        visible = permissions.items_visible_to(user)
        months = selectors.timeline(selectors.plan_items(context["plan"], visible))
    context["months"] = months
    return render(request, "reports/actionplan/timeline.html", context)
