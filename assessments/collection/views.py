"""Focal points' pages: their assessments, the entry page, evidence, history and submission."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import errors, permissions
from assessments.collection import selectors, services
from assessments.collection.carried import response_confirm, responses_confirm_all
from assessments.collection.entry_nav import entry_nav
from assessments.collection.entry_nav_html import nav_html, progress_html
from assessments.collection.entry_rows import (
    EntryRow,
    entry_page,
    last_submission,
    latest_comments,
)
from assessments.collection.forms import EvidenceForm
from assessments.collection.rendering import NOTHING, ResponseBlocks
from assessments.collection.submit_confirm import submit_confirmation
from assessments.frozen import correction_started
from assessments.models import Assessment, Evidence, Response, response_open_to_institution
from assessments.permissions import request_user as _user
from assessments.review.services import REVIEWABLE_STATUSES
from config.confirm import confirmation_page, is_confirmed
from config.files import serve_file
from ministries.models import Institution, User


def get_assessment(request: HttpRequest, pk: int) -> Assessment:
    return permissions.get_assessment_for_user(_user(request), pk)


def get_response(request: HttpRequest, pk: int) -> Response:
    return permissions.get_response_for_user(_user(request), pk)


def _entry_context(
    request: HttpRequest, assessment: Assessment, institution: Institution
) -> dict[str, Any]:
    user = _user(request)
    page = entry_page(assessment, institution.pk)
    own = permissions.is_own_institution(user, institution.pk)
    collecting = own and assessment.is_collecting
    resubmit_to = _resubmit_to(user, assessment, institution.pk)
    blocks = ResponseBlocks(request)
    nav = entry_nav(page, request.GET, user.pk)  # the dimension and filter asked for
    for group in nav.groups:
        # Joined here, not looped over in the template: a hundred blocks a page.
        group.html = mark_safe(  # noqa: S308 - ResponseBlocks escapes every value it renders
            "".join(
                blocks.render(
                    row,
                    editable=own
                    and response_open_to_institution(
                        assessment.status, row.state, row.review_state
                    ),
                    review=True,
                    resubmit_to=resubmit_to,
                )
                for row in group.responses
            )
        )
    return {
        "assessment": assessment,
        "institution": institution,
        "groups": nav.groups,
        "nav": nav,
        "own": own,
        # Submit and "Import from Excel" only while something can still change.
        "can_edit": collecting and page.has_editable,
        "missing": page.missing if own else [],
        "unconfirmed": page.unconfirmed if collecting else [],
        "has_editable": page.has_editable,
        "overdue": assessment.is_collecting
        and assessment.data_collection_deadline is not None
        and assessment.data_collection_deadline < timezone.localdate(),
        # The navigation and the progress list, rendered in Python (entry_nav_html.py).
        "nav_html": nav_html(nav) if nav.dimensions else "",
        "progress_html": progress_html(page.progress),
        "submission": last_submission(assessment.pk, institution.pk),
    }


@login_required
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    """The focal point's entry page: every indicator assigned to their institution."""
    user = _user(request)
    assessment = get_assessment(request, pk)
    institution = permissions.own_institution_or_404(user)
    return render(
        request, "assessments/entry.html", _entry_context(request, assessment, institution)
    )


@login_required
def institution_entry(request: HttpRequest, pk: int, acronym: str) -> HttpResponse:
    """An institution's answers, read-only, for coordinators and facilitators (and the institution)."""
    user = _user(request)
    assessment = get_assessment(request, pk)
    institution = get_object_or_404(Institution, acronym=acronym)
    if user.is_focal_point and user.institution_id != institution.pk:
        raise Http404
    if not assessment.assignments.filter(institution=institution).exists():
        raise Http404
    context = _entry_context(request, assessment, institution)
    return render(request, "assessments/entry.html", context)


def _resubmit_to(user: User, assessment: Assessment, institution_id: int) -> str:
    """The entry page's URL, which a queried or returned answer's "Resubmit for review"
    comes back to; "" when the user may not resubmit the institution's answers now."""
    if not permissions.is_own_institution(user, institution_id):
        return ""
    if assessment.status not in REVIEWABLE_STATUSES:
        return ""
    return reverse("entry", args=[assessment.pk])


def _render_response(
    request: HttpRequest,
    response: Response,
    *,
    evidence: list[Evidence] | None = None,
    **extra: Any,
) -> HttpResponse:
    """One answer block, as htmx swaps it in after a save. `evidence`: the answer's whole
    evidence list when the caller has just written it (read otherwise); the role comes
    annotated by `get_response_for_user(..., for_save=True)` or is read."""
    status = extra.pop("status", 200)
    role = getattr(response, permissions.ROLE_ANNOTATION, None)
    if role is None:
        role = response.assessment.assignments.get(
            indicator=response.indicator, institution=response.institution
        ).role
    user = _user(request)
    editable = permissions.can_answer(user, response)
    row = EntryRow.from_response(response, role, evidence=evidence)
    row.comment_count, row.comments = latest_comments(pk=response.pk).get(response.pk, (0, []))
    html = ResponseBlocks(request).render(
        row,
        editable=editable,
        review=True,
        resubmit_to=_resubmit_to(user, response.assessment, response.institution_id),
        **extra,
    )
    if not request.htmx:  # type: ignore[attr-defined]
        # The plain form's refusal (no JavaScript): the block, in a page of its own.
        context = {"response": response, "answer_html": html, "entry_url": _entry_url(response)}
        return render(request, "assessments/response_save.html", context, status=status)
    return HttpResponse(html, status=status)


@login_required
@require_POST
def response_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave of one answer (htmx), or the plain form's Save button."""
    user = _user(request)
    # With its role: the block sent back shows it (one query fewer per save).
    response = permissions.get_response_for_user(user, pk, for_save=True)
    if not permissions.can_answer(user, response):
        raise PermissionDenied
    values = {
        name: request.POST.get(name, "")
        for name in services.RESPONSE_FIELDS
        if name in request.POST
    }
    if values.get("answer") == NOTHING:  # the "Nothing to add" radio of the answer fieldset
        values["answer"], values["nothing_to_add"] = "", "1"
    evidence = None
    if "evidence_present" in request.POST:
        ids = [int(v) for v in request.POST.getlist("evidence") if v.isdigit()]
        evidence = list(permissions.evidence_visible_to(user).filter(pk__in=ids)) if ids else []
    version_text = request.POST.get("version", "")
    if not version_text.isdigit():
        return HttpResponse(_("The form is missing its version; reload the page."), status=400)
    try:
        response = services.response_update(
            response=response, actor=user, version=int(version_text), evidence=evidence, **values
        )
    except errors.StaleResponse as exc:
        current = exc.current
        # The same answer (as read for the save, or read again after a lost race): its role
        # has not changed.
        setattr(
            current, permissions.ROLE_ANNOTATION, getattr(response, permissions.ROLE_ANNOTATION)
        )
        mine = {name: request.POST.get(name, "") for name in services.RESPONSE_FIELDS}
        return _render_response(
            request, current, conflict=mine, conflict_message=exc.message, status=409
        )
    except ValidationError as exc:
        return _render_response(request, response, errors=exc.message_dict, status=422)
    except errors.ServiceError as exc:
        return _render_response(request, response, error_message=exc.message, status=409)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("Saved %(code)s.") % {"code": response.indicator.code})
        return redirect(_entry_url(response))
    # The evidence just written is the answer's whole list: the block need not read it.
    return _render_response(request, response, evidence=evidence, saved=True)


def _entry_url(response: Response) -> str:
    """The entry page at this answer, in its dimension (a phone shows one at a time)."""
    from django.urls import reverse

    number = response.indicator.dimension.number
    page = reverse("entry", args=[response.assessment_id])
    return f"{page}?dimension={number}#response-{response.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def response_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach evidence to an answer: an existing item of the library, or a new one.

    GET gives the forms (a fragment for htmx, a page otherwise), so the entry page does
    not carry a copy of the library for every indicator.
    """
    user = _user(request)
    response = get_response(request, pk)
    if not permissions.can_answer(user, response):
        raise PermissionDenied
    if request.method == "GET":
        return _evidence_forms(request, response, EvidenceForm(id_prefix=str(response.pk)))
    version_text = request.POST.get("version", "")
    if not version_text.isdigit():
        return HttpResponse(_("The form is missing its version; reload the page."), status=400)
    existing = request.POST.get("existing", "")
    form = None
    try:
        if existing.isdigit():
            evidence = get_object_or_404(
                permissions.evidence_visible_to(user).filter(assessment=response.assessment),
                pk=int(existing),
            )
            response = services.response_add_evidence(
                response=response, actor=user, version=int(version_text), evidence=evidence
            )
        else:
            form = EvidenceForm(request.POST, request.FILES, id_prefix=str(response.pk))
            if not form.is_valid():
                return _evidence_forms(request, response, form, status=422)
            # The new item and its attachment in one transaction: nothing half-done.
            response = services.response_attach_evidence(
                response=response, actor=user, version=int(version_text), **form.cleaned_data
            )
    except ValidationError as exc:
        if form is None:
            return _render_response(request, response, evidence_errors=exc.message_dict, status=422)
        form.add_service_errors(exc)
        return _evidence_forms(request, response, form, status=422)
    except errors.StaleResponse as exc:
        return _render_response(request, exc.current, conflict_message=exc.message, status=409)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(
            request, _("Evidence added to %(code)s.") % {"code": response.indicator.code}
        )
        return redirect(_entry_url(response))
    return _render_response(request, response, saved=True)


def _evidence_forms(
    request: HttpRequest, response: Response, form: EvidenceForm, status: int = 200
) -> HttpResponse:
    """The evidence forms of an answer: a page, or for htmx the fragment, which after an
    error replaces the forms (not the answer block the form targets), with what was typed."""
    context = {
        "response": response,
        "evidence_choices": list(
            selectors.institution_evidence(response.assessment, response.institution_id)
        ),
        "evidence_form": form,
    }
    template = "assessments/response_evidence.html"
    htmx = request.htmx  # type: ignore[attr-defined]
    result = render(request, template + ("#forms" if htmx else ""), context, status=status)
    if htmx and status != 200:
        result["HX-Retarget"] = f"#evidence-slot-{response.pk}"
        result["HX-Reswap"] = "innerHTML"
    return result


@login_required
def response_history(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_response(request, pk)
    records = list(
        response.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    evidence_labels = {
        e.pk: e.label for e in Evidence.objects.filter(assessment=response.assessment_id)
    }
    rows = []
    for record in records:
        previous = record.prev_record
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                if change.field in ("updated_at", "version", "updated_by"):
                    continue
                old, new = change.old, change.new
                if change.field == "evidence":
                    old = [evidence_labels.get(r["evidence"], "?") for r in old or []]
                    new = [evidence_labels.get(r["evidence"], "?") for r in new or []]
                    old, new = "; ".join(old), "; ".join(new)
                changes.append(
                    {
                        "field": getattr(
                            Response._meta.get_field(change.field), "verbose_name", change.field
                        ),
                        "old": _display(change.field, old),
                        "new": _display(change.field, new),
                    }
                )
        rows.append({"record": record, "changes": changes, "created": previous is None})
    return render(
        request, "assessments/response_history.html", {"response": response, "rows": rows}
    )


def _display(field: str, value: Any) -> str:
    if field == "answer":
        return str(Response.Answer(value).label) if value else "—"
    if field == "coverage":
        return str(Response.Coverage(value).label) if value else "—"
    if field == "state":
        return str(Response.State(value).label) if value else "—"
    return str(value) if value not in (None, "") else "—"


@login_required
def evidence_library(request: HttpRequest, pk: int) -> HttpResponse:
    """The institution's evidence for this assessment, and a form to add to it."""
    user = _user(request)
    assessment = get_assessment(request, pk)
    institution = permissions.own_institution_or_404(user)
    form = EvidenceForm(id_prefix="library")
    status = 200
    # By the erratum's rules a correction changes the validated answers only: the page says so.
    in_correction = correction_started(assessment) is not None
    if request.method == "POST" and in_correction:
        status = 409
    elif request.method == "POST":
        if not assessment.is_collecting:
            raise PermissionDenied
        form = EvidenceForm(request.POST, request.FILES, id_prefix="library")
        status = 422  # unless it is added below
        if form.is_valid():
            try:
                services.evidence_create(
                    assessment=assessment,
                    institution=institution,
                    actor=user,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Evidence added."))
                return redirect("evidence_library", pk=assessment.pk)
    items = (
        selectors.institution_evidence(assessment, institution.pk)
        .prefetch_related("responses__indicator")
        .select_related("created_by")
    )
    return render(
        request,
        "assessments/evidence_library.html",
        {"assessment": assessment, "items": items, "form": form, "in_correction": in_correction},
        status=status,
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the institution's answers with content, after a confirmation page that says
    what will be sent, what stays blank and who will be told."""
    user = _user(request)
    assessment = get_assessment(request, pk)
    institution = permissions.own_institution_or_404(user)
    if not is_confirmed(request):
        return confirmation_page(request, submit_confirmation(assessment, institution))
    try:
        submission = services.submission_create(
            assessment=assessment, institution=institution, actor=user
        )
    except errors.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Submitted %(count)s answers. They are now read-only unless an answer is returned to you."
            )
            % {"count": submission.response_count},
        )
    return redirect("entry", pk=assessment.pk)


@login_required
@require_POST
def response_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm one carried-forward draft (the block's Confirm button; htmx or plain)."""
    user = _user(request)
    response = get_response(request, pk)
    if not permissions.can_answer(user, response):
        raise PermissionDenied
    version = request.POST.get("version", "")
    try:
        response = response_confirm(
            response=response, actor=user, version=int(version) if version.isdigit() else None
        )
    except errors.StaleResponse as exc:
        return _render_response(request, exc.current, conflict_message=exc.message, status=409)
    except errors.ServiceError as exc:
        return _render_response(request, response, error_message=exc.message, status=409)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("Confirmed %(code)s.") % {"code": response.indicator.code})
        return redirect(_entry_url(response))
    return _render_response(request, response, saved=True)


@login_required
@require_POST
def confirm_carried(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm every carried-forward draft of the focal point's institution."""
    user = _user(request)
    assessment = get_assessment(request, pk)
    institution = permissions.own_institution_or_404(user)
    try:
        count = responses_confirm_all(assessment=assessment, institution=institution, actor=user)
    except errors.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s carried-forward answer confirmed.",
                "%(count)s carried-forward answers confirmed.",
                count,
            )
            % {"count": count},
        )
    return redirect("entry", pk=assessment.pk)


@login_required
@require_safe
def evidence_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An evidence item's file, as an attachment under the name it was uploaded with, for
    whom `permissions.can_download_evidence` allows (strangers 404)."""
    evidence = permissions.get_evidence_file_for_user(_user(request), pk)
    return serve_file(
        evidence.file, filename=evidence.download_name, content_type=evidence.content_type
    )
