"""Consolidation across institutions: every institution's answer on an indicator side by
side, the conflict flag, and the facilitator's consolidated answer with its provenance.

Facilitators of the assessment write; coordinators in scope (and administrators) read;
focal points get 404 (they see their own institution's answers on the entry page).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from assessments import errors, permissions
from assessments.consolidation import selectors, services
from assessments.models import Assessment, Assignment, Evidence, Response
from assessments.permissions import request_user as _user
from indicators.models import Dimension, Indicator

# A person ticks boxes on the page, so the page names the field, not the ids the API lists.
UNKNOWN_CHOICE_MESSAGES = {
    "evidence": gettext_lazy("Choose evidence attached to the answers on this indicator."),
    "sources": gettext_lazy("Sources must be answers to this indicator."),
}


@login_required
def consolidation_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Every indicator: who answered what, conflicts, the consolidated answer, review progress."""
    assessment = permissions.get_process_assessment_for_user(_user(request), pk)
    filters = selectors.ConsolidationFilters.from_query(request.GET)
    rows = selectors.consolidation_rows(assessment, filters)
    context = {
        "assessment": assessment,
        "filters": filters,
        "rows": rows,
        "dimensions": Dimension.objects.filter(framework_id=assessment.framework_id).order_by(
            "number"
        ),
        "conflicts": sum(1 for row in rows if row.conflict),
        "missing": sum(1 for row in rows if row.consolidated is None),
    }
    template = "assessments/consolidation_list.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, context)


def _initial_values(comparison: selectors.IndicatorComparison) -> dict[str, Any]:
    current = comparison.consolidated
    if current is None:
        # Provenance defaults to every answer there is; the facilitator unticks what they drop.
        return {
            "answer": "",
            "coverage": "",
            "narrative_en": "",
            "narrative_id": "",
            "evidence": set(),
            "sources": {r.pk for r in comparison.answered},
            "version": 0,
        }
    return {
        "answer": current.answer,
        "coverage": current.coverage,
        "narrative_en": current.narrative_en,
        "narrative_id": current.narrative_id,
        "evidence": {item.pk for item in current.evidence.all()},
        "sources": {r.pk for r in current.sources.all()},
        "version": current.version,
    }


def _posted_values(request: HttpRequest) -> dict[str, Any]:
    def ids(name: str) -> set[int]:
        return {int(v) for v in request.POST.getlist(name) if v.isdigit()}

    return {
        "answer": request.POST.get("answer", ""),
        "coverage": request.POST.get("coverage", ""),
        "narrative_en": request.POST.get("narrative_en", ""),
        "narrative_id": request.POST.get("narrative_id", ""),
        "evidence": ids("evidence"),
        "sources": ids("sources"),
        "version": request.POST.get("version", ""),
    }


def _field_messages(field: str, errors: list[ValidationError]) -> list[str]:
    found: list[str] = []
    for error in errors:
        if error.code == services.UNKNOWN_CHOICE and field in UNKNOWN_CHOICE_MESSAGES:
            found.append(str(UNKNOWN_CHOICE_MESSAGES[field]))
        else:
            found.extend(error.messages)
    return found


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    """Field errors by field name; errors of the whole form under "form" (templates cannot
    read "__all__")."""
    if not hasattr(exc, "error_dict"):
        return {"form": exc.messages}
    return {
        ("form" if field == "__all__" else field): _field_messages(field, errors)
        for field, errors in exc.error_dict.items()
    }


def _answer_label(value: str) -> str:
    return str(Response.Answer(value).label) if value in Response.Answer.values else "—"


def _coverage_label(value: str) -> str:
    return str(Response.Coverage(value).label) if value in Response.Coverage.values else "—"


def _unsaved_version(
    values: dict[str, Any], evidence: list[Evidence], responses: list[Response]
) -> dict[str, Any]:
    """The user's refused text, readable beside the current version."""
    return {
        "answer": _answer_label(values["answer"]),
        "coverage": _coverage_label(values["coverage"]),
        "narrative_en": values["narrative_en"],
        "narrative_id": values["narrative_id"],
        "evidence": [item for item in evidence if item.pk in values["evidence"]],
        "sources": [r.institution.acronym for r in responses if r.pk in values["sources"]],
    }


def _render_indicator(
    request: HttpRequest,
    assessment: Assessment,
    indicator: Indicator,
    *,
    values: dict[str, Any] | None = None,
    stale_message: str = "",
    errors: dict[str, list[str]] | None = None,
    error_message: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    comparison = selectors.indicator_comparison(assessment, indicator)
    current = comparison.consolidated
    evidence = selectors.comparison_evidence(comparison)
    unsaved = None
    if values is None:
        values = _initial_values(comparison)
    elif stale_message:
        unsaved = _unsaved_version(values, evidence, comparison.responses)
        # The form keeps the user's text but now carries the current version: saving again
        # after comparing is a deliberate overwrite of what they have seen.
        values = {**values, "version": current.version if current else 0}
    previous_code, next_code = selectors.neighbour_codes(assessment, indicator)
    lead = next(
        (r for r in comparison.responses if getattr(r, "role", "") == Assignment.Role.LEAD), None
    )
    context = {
        "assessment": assessment,
        "indicator": indicator,
        "comparison": comparison,
        "consolidated": current,
        "evidence_choices": evidence,
        "history": selectors.consolidated_history(current),
        "lead": lead,
        "can_edit": permissions.can_consolidate(user),
        "closed_reason": services.closed_reason(assessment),
        "values": values,
        "unsaved": unsaved,
        "stale_message": stale_message,
        "errors": errors or {},
        "error_message": error_message,
        "answer_choices": indicator.answer_choices(),
        "coverage_choices": [*Response.Coverage.choices, ("", _("Not stated"))],
        "previous_code": previous_code,
        "next_code": next_code,
    }
    return render(request, "assessments/consolidation_indicator.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def consolidation_indicator(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """GET: the comparison and the consolidated answer. POST: save the consolidated answer.

    A stale version answers 409 with both versions and writes nothing; invalid input 422
    with the messages; a refusal (frozen, wrong stage) 409 with the reason.
    """
    user = _user(request)
    assessment = permissions.get_process_assessment_for_user(user, pk)
    indicator = selectors.get_indicator(assessment, code)
    if request.method == "GET":
        return _render_indicator(request, assessment, indicator)
    permissions.require(permissions.can_consolidate(user))
    values = _posted_values(request)
    if not values["version"].isdigit():
        return HttpResponse(_("The form is missing its version; reload the page."), status=400)
    try:
        services.consolidated_write(
            assessment=assessment,
            indicator=indicator,
            actor=user,
            answer=values["answer"],
            coverage=values["coverage"],
            narrative_en=values["narrative_en"],
            narrative_id=values["narrative_id"],
            evidence_ids=values["evidence"],
            source_ids=values["sources"],
            version=int(values["version"]),
        )
    except errors.StaleConsolidation as exc:
        return _render_indicator(
            request, assessment, indicator, values=values, stale_message=exc.message, status=409
        )
    except ValidationError as exc:
        return _render_indicator(
            request, assessment, indicator, values=values, errors=_errors(exc), status=422
        )
    except errors.ServiceError as exc:
        return _render_indicator(
            request, assessment, indicator, values=values, error_message=exc.message, status=409
        )
    messages.success(
        request, _("Consolidated answer on %(code)s saved.") % {"code": indicator.code}
    )
    return redirect("consolidation_indicator", pk=assessment.pk, code=indicator.code)


@login_required
@require_POST
def consolidation_take_over(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Adopt the lead institution's accepted answer where no one else answered."""
    user = _user(request)
    assessment = permissions.get_process_assessment_for_user(user, pk)
    indicator = selectors.get_indicator(assessment, code)
    permissions.require(permissions.can_consolidate(user))
    try:
        consolidated = services.consolidated_take_over_lead(
            assessment=assessment, indicator=indicator, actor=user
        )
    except errors.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        source = consolidated.sources.select_related("institution").get()
        messages.success(
            request,
            _("The answer of %(institution)s on %(code)s is now the consolidated answer.")
            % {"institution": source.institution.acronym, "code": indicator.code},
        )
    return redirect("consolidation_indicator", pk=assessment.pk, code=indicator.code)
