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
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assessments import errors, permissions
from assessments.consolidation import selectors, services, takeover
from assessments.consolidation.takeover import TakeOverPlan
from assessments.models import Assessment, Assignment, ConsolidatedAnswer, Evidence, Response
from assessments.permissions import request_user as _user
from config.confirm import Confirmation, confirmation_page, is_confirmed
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
    user = _user(request)
    can_edit = permissions.can_consolidate(user) and not services.closed_reason(assessment)
    context = {
        "assessment": assessment,
        "filters": filters,
        "rows": rows,
        # The bulk take-over counts every indicator, whatever the filters show.
        "plan": selectors.take_over_plan(assessment, None if filters.active else rows)
        if can_edit
        else None,
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
    choices = ConsolidatedAnswer.Answer
    return str(choices(value).label) if value in choices.values else "—"


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
        "answer_choices": services.consolidated_answer_choices(indicator),
        "take_over": comparison.take_over,
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


def _take_over_confirmation(
    assessment: Assessment, plan: TakeOverPlan, list_url: str, closed: str
) -> Confirmation:
    """What the bulk take-over will do, what stays for side-by-side work and why."""
    ready = len(plan.ready)
    consequences = [
        ngettext(
            "%(count)s indicator gets the answer of its lead institution (answer, justification "
            "and evidence) as its consolidated answer: %(codes)s.",
            "%(count)s indicators get the answer of their lead institution (answer, "
            "justification and evidence) as their consolidated answer: %(codes)s.",
            ready,
        )
        % {"count": ready, "codes": takeover.codes(plan.ready)}
        if ready
        else _("No indicator has an accepted, uncontested lead answer to take over."),
        _("The history of each consolidated answer records the institution it was taken from."),
    ]
    if plan.consolidated:
        consequences.append(
            ngettext(
                "%(count)s indicator already has a consolidated answer and stays as it is.",
                "%(count)s indicators already have a consolidated answer and stay as they are.",
                plan.consolidated,
            )
            % {"count": plan.consolidated}
        )
    missing = [closed] if closed else []
    if plan.contested:
        missing.append(
            ngettext(
                "%(count)s indicator stays for side-by-side work because the institutions "
                "disagree: %(codes)s.",
                "%(count)s indicators stay for side-by-side work because the institutions "
                "disagree: %(codes)s.",
                len(plan.contested),
            )
            % {"count": len(plan.contested), "codes": takeover.codes(plan.contested)}
        )
    by_problem = plan.unusable_by_problem()
    for problem, message in UNUSABLE_MESSAGES.items():
        found = by_problem.get(problem, [])
        if found:
            missing.append(str(message) % {"count": len(found), "codes": ", ".join(found)})
    return Confirmation(
        title=_("Take over every accepted, uncontested lead answer"),
        action_url=reverse("consolidation_take_over_bulk", args=[assessment.pk]),
        cancel_url=list_url,
        confirm_label=ngettext(
            "Take over %(count)s lead answer", "Take over %(count)s lead answers", ready
        )
        % {"count": ready},
        consequences=consequences,
        notified=[_("Nobody is notified by email.")],
        missing=missing,
        blocked=bool(closed) or not ready,
    )


# What leaves an indicator without a usable lead answer, for the confirmation's list.
UNUSABLE_MESSAGES = {
    takeover.NO_LEAD: gettext_lazy(
        "No lead institution (%(count)s, left for side-by-side work): %(codes)s."
    ),
    takeover.LEAD_UNANSWERED: gettext_lazy(
        "The lead institution has not submitted an answer (%(count)s, left for side-by-side "
        "work): %(codes)s."
    ),
    takeover.LEAD_NOT_ACCEPTED: gettext_lazy(
        "The lead institution's answer is not accepted yet (%(count)s, left until it is "
        "reviewed): %(codes)s."
    ),
}


@login_required
@require_POST
def consolidation_take_over_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Take over every accepted, uncontested lead answer in one step. The first POST answers
    the confirmation (how many, which stay and why); only its button's POST acts."""
    user = _user(request)
    assessment = permissions.get_process_assessment_for_user(user, pk)
    permissions.require(permissions.can_consolidate(user))
    list_url = reverse("consolidation_list", args=[assessment.pk])
    if not is_confirmed(request):
        plan = selectors.take_over_plan(assessment)
        closed = services.closed_reason(assessment)
        return confirmation_page(
            request, _take_over_confirmation(assessment, plan, list_url, closed)
        )
    try:
        done = services.consolidated_take_over_bulk(assessment=assessment, actor=user)
    except errors.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(taken)s lead answer taken over; %(skipped)s indicators left as they were.",
                "%(taken)s lead answers taken over; %(skipped)s indicators left as they were.",
                len(done.taken),
            )
            % {"taken": len(done.taken), "skipped": done.skipped},
        )
    return redirect(list_url)
