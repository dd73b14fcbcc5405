"""Reads of the MGI framework."""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import (
    Dimension,
    FrameworkChangeNote,
    FrameworkVersion,
    Indicator,
    IndicatorGCMLink,
    IndicatorMapping,
    SDGSubcategory,
    SubArea,
)

# Sub-categories with their domain in the same query, wherever indicators list their links.
SDG_WITH_DOMAIN = Prefetch(
    "sdg_subcategories", queryset=SDGSubcategory.objects.select_related("domain")
)
# GCM links with their objective (and their `indirect` flag) in one query.
GCM_LINKS = Prefetch(
    "gcm_links",
    queryset=IndicatorGCMLink.objects.select_related("gcmobjective").order_by(
        "gcmobjective__number"
    ),
)


def frameworks_list() -> QuerySet[FrameworkVersion]:
    return FrameworkVersion.objects.annotate(indicator_count=Count("indicators")).order_by(
        "-year", "level", "code"
    )


def indicators_for_browser(
    framework: FrameworkVersion, *, query: str = "", dimension: int | None = None
) -> QuerySet[Indicator]:
    qs = (
        Indicator.objects.filter(framework=framework)
        .select_related("dimension", "subarea")
        .prefetch_related(GCM_LINKS, SDG_WITH_DOMAIN)
    )
    if dimension:
        qs = qs.filter(dimension__number=dimension)
    if query:
        qs = qs.filter(indicator_search_q(query))
    return qs


def indicator_search_q(query: str) -> Q:
    """Search both languages, so a term typed in either finds the indicator."""
    q = Q(code__startswith=query)
    for name in ("question", "guidance"):
        for lang in ("en", "id"):
            q |= Q(**{f"{name}_{lang}__icontains": query})
    return q


def dimensions_with_indicators(
    framework: FrameworkVersion, indicators: QuerySet[Indicator]
) -> list[Dimension]:
    """Dimensions → sub-areas → the given indicators, in three queries plus the prefetches."""
    subareas = SubArea.objects.prefetch_related(Prefetch("indicators", queryset=indicators))
    dims = list(
        Dimension.objects.filter(framework=framework).prefetch_related(
            Prefetch("subareas", queryset=subareas)
        )
    )
    return dims


def _merged_value(values: list[str]) -> str:
    """Several earlier answers read as one: their common value when they agree; otherwise
    "partial" (a measure present for part of what the merged indicator asks), leaving
    aside values that say nothing about the measure (n/a, no information, blank) unless
    all of them do, when the first is kept."""
    substantive = [v for v in values if v in ("yes", "partial", "no")]
    if not substantive:
        return values[0]
    return substantive[0] if len(set(substantive)) == 1 else "partial"


def mapped_answers(
    previous_answers: dict[str, str], from_version: str, to_version: str
) -> dict[str, str]:
    """Answers given under `from_version`'s codes, read in `to_version`'s codes through the
    version's code mapping: same and renamed carry over; a split code gives its value to
    each of its new codes; merged codes give one value (`_merged_value`); a retired code
    is dropped and a new one has none. Between versions without a recorded mapping (and
    within one version) codes are read as they are."""
    if from_version == to_version:
        return dict(previous_answers)
    rows = list(
        IndicatorMapping.objects.filter(
            from_version__code=from_version, to_version__code=to_version
        ).values_list("from_code", "to_code")
    )
    if not rows:
        return dict(previous_answers)
    sources: dict[str, list[str]] = {}
    for from_code, to_code in rows:
        if from_code and to_code and from_code in previous_answers:
            sources.setdefault(to_code, []).append(previous_answers[from_code])
    return {code: _merged_value(values) for code, values in sources.items()}


def change_notes_for(framework: FrameworkVersion) -> list[FrameworkChangeNote]:
    """The version's corrected wording, oldest first: one query."""
    return list(framework.change_notes.order_by("changed_on", "element", "field"))


def mapping_for(framework: FrameworkVersion) -> dict[str, Any] | None:
    """The version's code mapping from the one it follows, for its page: the earlier
    version, the rows that are not "same", and how many are. One query; None without one."""
    rows = list(
        IndicatorMapping.objects.filter(to_version=framework).select_related("from_version")
    )
    if not rows:
        return None
    changed = sorted(
        (r for r in rows if r.relation != IndicatorMapping.Relation.SAME),
        key=lambda r: (r.from_code or r.to_code, r.to_code),
    )
    return {
        "from_version": rows[0].from_version,
        "changed": changed,
        "same": len(rows) - len(changed),
    }
