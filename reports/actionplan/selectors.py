"""The action plan's reads: the filtered list, the summaries (counts by status, never scores
or rankings of institutions), the timeline, and the public items of a published plan."""

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from assessments.models import Evidence

from ..models import Profile
from ..selectors import public_profile_get
from .models import ActionItem, ActionPlan, ProgressUpdate

FILTERS = ("institution", "dimension", "gcm", "kind", "status")


def clean_filters(params: Any) -> dict[str, str]:
    """The filters asked for, each kept only when it is a valid value (unknown values are
    dropped, so a link with an old value still shows the plan)."""
    out: dict[str, str] = {}
    for name in FILTERS:
        value = str(params.get(name) or "").strip()
        if not value:
            continue
        if name in ("dimension", "gcm", "institution") and not value.isdigit():
            continue
        if name == "kind" and value not in ActionItem.Kind.values:
            continue
        if name == "status" and value not in ActionItem.Status.values:
            continue
        out[name] = value
    return out


def filter_items(items: QuerySet[ActionItem], filters: dict[str, str]) -> QuerySet[ActionItem]:
    if "institution" in filters:
        pk = int(filters["institution"])
        items = items.filter(Q(lead_id=pk) | Q(contributors__pk=pk)).distinct()
    if "dimension" in filters:
        items = items.filter(dimension=int(filters["dimension"]))
    if "gcm" in filters:
        items = items.filter(gcm_objectives__number=int(filters["gcm"]))
    if "kind" in filters:
        items = items.filter(kind=filters["kind"])
    if "status" in filters:
        items = items.filter(status=filters["status"])
    return items


def with_relations(items: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    """What a list row shows, in a fixed number of queries."""
    return items.select_related("plan", "lead", "sdg_subcategory").prefetch_related(
        "contributors", "gcm_objectives"
    )


def plan_items(plan: ActionPlan, visible: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    return with_relations(visible.filter(plan=plan)).order_by("target_date", "pk")


def items_from_findings(profile: Profile) -> dict[int, int]:
    """The item each finding of `profile` became (finding id → item id), in one query."""
    rows = ActionItem.objects.filter(finding__profile=profile).order_by("pk")
    found: dict[int, int] = {}
    for finding_id, item_id in rows.values_list("finding_id", "pk"):
        found.setdefault(finding_id, item_id)
    return found


def item_updates(item: ActionItem) -> QuerySet[ProgressUpdate]:
    return item.updates.select_related("author", "institution").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("instrument"))
    )


@dataclass
class StatusCounts:
    """One row of a summary: a GCM objective or a dimension, items counted by status."""

    key: Any
    label: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[int]:
        return [self.counts.get(s, 0) for s in ActionItem.Status.values]


def summary_by_dimension(items: QuerySet[ActionItem], names: dict[int, str]) -> list[StatusCounts]:
    rows: dict[Any, StatusCounts] = OrderedDict()
    counted = items.order_by().values("dimension", "status").annotate(n=Count("pk"))
    for entry in sorted(counted, key=lambda e: (e["dimension"] is None, e["dimension"] or 0)):
        key = entry["dimension"]
        row = rows.setdefault(key, StatusCounts(key, names.get(key, "") if key else ""))
        row.counts[entry["status"]] = entry["n"]
    return list(rows.values())


def summary_by_gcm(items: QuerySet[ActionItem], language: str) -> list[StatusCounts]:
    rows: dict[Any, StatusCounts] = OrderedDict()
    counted = (
        items.order_by()
        .filter(gcm_objectives__isnull=False)
        .values(
            "gcm_objectives__number",
            "gcm_objectives__title_en",
            "gcm_objectives__title_id",
            "status",
        )
        .annotate(n=Count("pk", distinct=True))
        .order_by("gcm_objectives__number")
    )
    for entry in counted:
        number = entry["gcm_objectives__number"]
        label = entry[f"gcm_objectives__title_{'id' if language == 'id' else 'en'}"]
        row = rows.setdefault(number, StatusCounts(number, label))
        row.counts[entry["status"]] = entry["n"]
    return list(rows.values())


def timeline(items: QuerySet[ActionItem]) -> list[tuple[Any, list[ActionItem]]]:
    """Items by the month of their target date (those without one last)."""
    months: dict[Any, list[ActionItem]] = OrderedDict()
    dated = sorted(items, key=lambda i: (i.target_date is None, i.target_date or 0, i.pk))
    for item in dated:
        month = item.target_date.replace(day=1) if item.target_date else None
        months.setdefault(month, []).append(item)
    return list(months.items())


def public_items_of_assessment(assessment_id: int) -> QuerySet[ActionItem]:
    """The public items of the assessment's plan once the plan is published (none before)."""
    return ActionItem.objects.filter(
        plan__assessment_id=assessment_id, plan__published=True, public=True
    ).order_by("target_date", "pk")


def public_plan(profile_id: int) -> tuple[Profile, ActionPlan, list[ActionItem]]:
    """A public profile and its plan's public items, for the downloads and the public API;
    404 for a profile that is not public, or whose plan is not published."""
    profile = public_profile_get(profile_id, with_data=False)
    plan = ActionPlan.objects.filter(assessment_id=profile.assessment_id, published=True).first()
    if plan is None:
        raise Http404(_("This profile has no published action plan."))
    items = with_relations(public_items_of_assessment(profile.assessment_id)).prefetch_related(
        "updates"
    )
    return profile, plan, list(items)
