from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import FrameworkVersion, GCMObjective, Indicator
from .selectors import GCM_LINKS, SDG_WITH_DOMAIN


def framework_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "indicators/framework_list.html", {"frameworks": selectors.frameworks_list()}
    )


def framework_detail(request: HttpRequest, code: str) -> HttpResponse:
    framework = get_object_or_404(FrameworkVersion, code=code)
    query = request.GET.get("q", "").strip()[:100]
    dimension_param = request.GET.get("dimension", "")
    dimension = int(dimension_param) if dimension_param.isdigit() else None
    indicators = selectors.indicators_for_browser(framework, query=query, dimension=dimension)
    dimensions = selectors.dimensions_with_indicators(framework, indicators)
    shown = sum(len(s.indicators.all()) for d in dimensions for s in d.subareas.all())
    context = {
        "framework": framework,
        "dimensions": dimensions,
        "query": query,
        "dimension_filter": dimension,
        "shown": shown,
        "has_indirect": any(
            link.indirect
            for d in dimensions
            for s in d.subareas.all()
            for i in s.indicators.all()
            for link in i.gcm_links.all()
        ),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "indicators/framework_detail.html#results", context)
    context["change_notes"] = selectors.change_notes_for(framework)
    context["mapping"] = selectors.mapping_for(framework)
    return render(request, "indicators/framework_detail.html", context)


def indicator_detail(request: HttpRequest, code: str, indicator: str) -> HttpResponse:
    obj = get_object_or_404(
        Indicator.objects.select_related("framework", "dimension", "subarea").prefetch_related(
            GCM_LINKS, SDG_WITH_DOMAIN
        ),
        framework__code=code,
        code=indicator,
    )
    has_indirect = any(link.indirect for link in obj.gcm_links.all())
    return render(
        request,
        "indicators/indicator_detail.html",
        {"indicator": obj, "has_indirect": has_indirect},
    )


def gcm_objective_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    framework = get_object_or_404(FrameworkVersion, code=code)
    objective = get_object_or_404(GCMObjective, number=number)
    indicators = objective.indicators.filter(framework=framework).select_related("dimension")
    return render(
        request,
        "indicators/gcm_objective_detail.html",
        {"framework": framework, "objective": objective, "indicators": indicators},
    )
