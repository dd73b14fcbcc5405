"""Reads of the MGI framework."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Dimension, FrameworkVersion, Indicator, SDGSubcategory, SubArea

# Sub-categories with their domain in the same query, wherever indicators list their links.
SDG_WITH_DOMAIN = Prefetch(
    "sdg_subcategories", queryset=SDGSubcategory.objects.select_related("domain")
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
        .prefetch_related("gcm_objectives", SDG_WITH_DOMAIN)
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
