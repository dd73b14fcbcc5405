"""Coordinators' setup pages: a new assessment, its page and workflow, the participating
institutions, and the survey matrix (grid, single-cell saves, workbook export and import)."""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, TooManyFieldsSent
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from indicators.models import Dimension, Indicator
from indicators.spreadsheets import CellError, WorkbookError
from ministries.models import Institution

from . import permissions, selectors, services
from .matrix_workbook import (
    XLSX_CONTENT_TYPE,
    Cells,
    MatrixInvalid,
    MatrixPlan,
    matrix_cells,
    matrix_import,
    matrix_workbook_bytes,
    matrix_workbook_read,
)
from .models import Assessment, Assignment, Response, Submission
from .permissions import request_user as _user
from .setup_forms import AssessmentCreateForm, MatrixWorkbookForm, ParticipantsForm

# One <select> per cell: 98 indicators x up to ~40 institutions, far above Django's
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000), which stays the limit everywhere else.
GRID_MAX_FIELDS = 10_000
CELL_NAME = re.compile(r"^c-(\d+)-(\d+)$")
DASH = "\u2013"  # an en dash: a cell is named "1.1.1 \u2013 KEMNAKER"


def _get_assessment(request: HttpRequest, pk: int) -> Assessment:
    return get_object_or_404(permissions.assessments_visible_to(_user(request)), pk=pk)


def _get_managed(request: HttpRequest, pk: int) -> Assessment:
    """Strangers 404; members who may not manage it 403."""
    assessment = _get_assessment(request, pk)
    permissions.require(permissions.can_manage(_user(request), assessment))
    return assessment


def _get_matrix(request: HttpRequest, pk: int) -> Assessment:
    assessment = _get_assessment(request, pk)
    if not permissions.can_follow_process(_user(request)):
        raise Http404
    return assessment


# --- a new assessment ---------------------------------------------------------------------


@login_required
def assessment_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    permissions.require(
        user.is_administrator or user.is_national_coordinator or user.is_provincial_coordinator
    )
    form = AssessmentCreateForm(
        request.POST or None, user=user, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        province = form.chosen_province()
        permissions.require(
            permissions.can_create_assessment(user, province_id=province.pk if province else None)
        )
        data = form.cleaned_data
        try:
            assessment = services.assessment_create(
                actor=user,
                framework=data["framework"],
                province=province,
                year=data["year"],
                round=data["round"],
                title_en=data["title_en"],
                title_id=data["title_id"],
                previous=data["previous"],
                data_collection_deadline=data["data_collection_deadline"],
            )
        except services.ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Assessment created. Choose the participating institutions, then fill the survey matrix."
                ),
            )
            return redirect("assessment_detail", pk=assessment.pk)
    return render(
        request,
        "assessments/setup_create.html",
        {"form": form, "fixed_province": form.fixed_province},
    )


# --- the assessment page ------------------------------------------------------------------


@dataclass
class InstitutionProgress:
    institution: Institution
    assigned: int = 0
    answered: int = 0
    open: int = 0
    last_submission: Submission | None = None

    @property
    def submitted(self) -> bool:
        return bool(self.assigned and not self.open and self.last_submission)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.assigned) if self.assigned else 0


def institution_progress(
    assessment: Assessment, *, institution_id: int | None = None
) -> list[InstitutionProgress]:
    """Assigned, answered and submitted per participating institution, in three queries."""
    responses = Response.objects.filter(assessment=assessment)
    institutions = Institution.objects.filter(
        Q(pk__in=responses.values("institution_id")) | Q(assessments=assessment)
    )
    if institution_id is not None:
        responses = responses.filter(institution_id=institution_id)
        institutions = institutions.filter(pk=institution_id)
    counts = {
        row["institution_id"]: row
        for row in responses.order_by()
        .values("institution_id")
        .annotate(
            assigned=Count("pk"),
            answered=Count("pk", filter=~Q(answer="")),
            open=Count("pk", filter=Q(state__in=[Response.State.DRAFT, Response.State.RETURNED])),
        )
    }
    last: dict[int, Submission] = {}
    for submission in Submission.objects.filter(assessment=assessment).order_by("submitted_at"):
        last[submission.institution_id] = submission
    result = []
    for institution in institutions.distinct().order_by("acronym"):
        row = counts.get(institution.pk, {})
        result.append(
            InstitutionProgress(
                institution,
                assigned=row.get("assigned", 0),
                answered=row.get("answered", 0),
                open=row.get("open", 0),
                last_submission=last.get(institution.pk),
            )
        )
    return result


def allowed_moves(assessment: Assessment) -> list[dict[str, Any]]:
    return [
        {"to": to, "label": t.label, "needs_note": t.needs_note}
        for to, t in services.allowed_transitions(assessment)
    ]


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    assessment = _get_assessment(request, pk)
    # Focal points see the assessment and their own institution's progress, nothing else.
    own = user.institution_id if user.is_focal_point else None
    if user.is_focal_point and own is None:
        raise Http404
    manage = permissions.can_manage(user, assessment)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "can_manage": manage,
            "can_view_matrix": permissions.can_follow_process(user),
            "history": assessment.status_changes.select_related("actor"),
            "gaps": [] if own else list(selectors.matrix_gaps(assessment)),
            "progress": institution_progress(assessment, institution_id=own),
            "moves": allowed_moves(assessment) if manage else [],
        },
    )


@login_required
@require_POST
def assessment_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    assessment = _get_managed(request, pk)
    try:
        services.assessment_transition(
            assessment=assessment,
            actor=user,
            to=request.POST.get("to", ""),
            note=request.POST.get("note", "").strip(),
        )
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The assessment is now at the stage “%(status)s”.")
            % {"status": assessment.get_status_display()},
        )
    return redirect("assessment_detail", pk=assessment.pk)


# --- participants -------------------------------------------------------------------------


@login_required
def assessment_participants(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    assessment = _get_managed(request, pk)
    eligible = selectors.eligible_institutions(assessment).order_by("acronym")
    form = ParticipantsForm(request.POST or None, eligible=eligible)
    if request.method == "POST" and form.is_valid():
        services.assessment_set_participants(
            assessment=assessment, actor=user, institutions=form.cleaned_data["institutions"]
        )
        messages.success(request, _("Participating institutions saved."))
        return redirect("assessment_detail", pk=assessment.pk)
    chosen = {str(v) for v in request.POST.getlist("institutions")} if form.is_bound else None
    current = set(assessment.participants.values_list("pk", flat=True))
    assigned = dict(
        Assignment.objects.filter(assessment=assessment)
        .values("institution_id")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "n")
    )
    today = timezone.localdate()
    rows = [
        {
            "institution": institution,
            "checked": str(institution.pk) in chosen
            if chosen is not None
            else institution.pk in current,
            "assigned": assigned.get(institution.pk, 0),
            "defunct": not institution.is_valid_on(today),
        }
        for institution in eligible
    ]
    return render(
        request,
        "assessments/setup_participants.html",
        {"assessment": assessment, "form": form, "rows": rows},
    )


# --- the survey matrix grid ---------------------------------------------------------------


def _many_fields(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Parse this view's urlencoded form with GRID_MAX_FIELDS instead of the global limit.

    The CSRF middleware would parse the body (and refuse it) before the view runs, so the
    view is exempted from it and runs the same check itself once the body is parsed.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            encoding = request.encoding or settings.DEFAULT_CHARSET
            try:
                pairs = parse_qsl(
                    request.body.decode(encoding),
                    keep_blank_values=True,
                    max_num_fields=GRID_MAX_FIELDS,
                )
            except ValueError as exc:
                raise TooManyFieldsSent(str(exc)) from exc
            post = QueryDict(mutable=True)
            for name, value in pairs:
                post.appendlist(name, value)
            request.POST = post  # type: ignore[assignment]
            request._files = MultiValueDict()  # type: ignore[attr-defined]
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)


@dataclass
class GridCell:
    name: str
    label: str
    role: str
    options: SafeString
    text: str


@dataclass
class GridRow:
    indicator: Indicator
    cells: list[GridCell]
    has_lead: bool


@dataclass
class GridGroup:
    dimension: Dimension
    rows: list[GridRow] = field(default_factory=list)


def grid_columns(assessment: Assessment) -> list[Institution]:
    """The matrix columns, plus any institution assigned without being a participant, so a
    save of the whole grid never empties cells the page did not show."""
    columns = selectors.matrix_columns(assessment)
    shown = [i.pk for i in columns]
    extra = (
        Institution.objects.filter(assignments__assessment=assessment)
        .exclude(pk__in=shown)
        .distinct()
    )
    return sorted([*columns, *extra], key=lambda i: i.acronym)


def _role_choices() -> list[tuple[str, str]]:
    return [
        ("", "—"),
        (Assignment.Role.LEAD, _("Lead")),
        (Assignment.Role.CONTRIBUTOR, _("Contributor")),
    ]


def _role_options() -> dict[str, SafeString]:
    """The three <option>s of a cell, rendered once per page rather than once per cell."""
    choices = _role_choices()
    return {
        selected: mark_safe(  # noqa: S308 (every part is escaped by format_html)
            "".join(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    value,
                    mark_safe(" selected") if value == selected else "",
                    label,
                )
                for value, label in choices
            )
        )
        for selected, _label in choices
    }


def build_grid(
    assessment: Assessment, columns: list[Institution], *, override: Cells | None = None
) -> list[GridGroup]:
    options = _role_options()
    texts = dict(_role_choices())
    groups: dict[int, GridGroup] = {}
    for row in selectors.matrix_rows(assessment, columns):
        indicator = row.indicator
        cells = []
        for institution, role in zip(columns, row.cells, strict=True):
            if override is not None:
                role = override.get((indicator.pk, institution.pk), "")
            cells.append(
                GridCell(
                    name=f"c-{indicator.pk}-{institution.pk}",
                    label=f"{indicator.code} {DASH} {institution.acronym}",
                    role=role,
                    options=options[role if role in options else ""],
                    text=texts.get(role, ""),
                )
            )
        group = groups.setdefault(indicator.dimension_id, GridGroup(indicator.dimension))
        group.rows.append(
            GridRow(indicator, cells, any(c.role == Assignment.Role.LEAD for c in cells))
        )
    return list(groups.values())


def _was(groups: list[GridGroup]) -> str:
    """The matrix as the page shows it, so a save applies only the cells the user changed."""
    return " ".join(
        f"{cell.name[2:]}-{cell.role[0]}"
        for group in groups
        for row in group.rows
        for cell in row.cells
        if cell.role
    )


def _parse_was(text: str | None) -> Cells | None:
    if text is None:
        return None
    cells: Cells = {}
    for token in text.split():
        parts = token.split("-")
        if len(parts) == 3 and parts[0].isdigit() and parts[1].isdigit():
            role = {"l": Assignment.Role.LEAD, "c": Assignment.Role.CONTRIBUTOR}.get(parts[2])
            if role:
                cells[(int(parts[0]), int(parts[1]))] = role
    return cells


def _posted_cells(assessment: Assessment, post: QueryDict) -> Cells:
    """The cells in a POST; a name or value the grid never renders is a bad request."""
    cells: Cells = {}
    for name, values in post.lists():
        match = CELL_NAME.match(name)
        if not match:
            continue
        role = values[-1]
        if role not in ("", *Assignment.Role.values):
            raise BadRequest(_("Unknown role “%(role)s”.") % {"role": role})
        cells[(int(match[1]), int(match[2]))] = role
    indicator_ids = {k[0] for k in cells}
    institution_ids = {k[1] for k in cells}
    known_indicators = set(
        Indicator.objects.filter(
            framework_id=assessment.framework_id, pk__in=indicator_ids
        ).values_list("pk", flat=True)
    )
    known_institutions = set(
        Institution.objects.filter(pk__in=institution_ids).values_list("pk", flat=True)
    )
    if indicator_ids - known_indicators or institution_ids - known_institutions:
        raise BadRequest(_("The form names an indicator or institution that does not exist."))
    return cells


def _lead_conflicts(assessment: Assessment, cells: Cells) -> list[str]:
    """Indicators the cells would give two leads, named for the user. Checked before writing:
    the database refuses a second lead with an integrity error, not a message."""
    leads: dict[int, list[int]] = {}
    for (indicator_id, institution_id), role in cells.items():
        if role == Assignment.Role.LEAD:
            leads.setdefault(indicator_id, []).append(institution_id)
    doubled = {i: inst for i, inst in leads.items() if len(inst) > 1}
    if not doubled:
        return []
    codes = dict(Indicator.objects.filter(pk__in=doubled).values_list("pk", "code"))
    acronyms = dict(
        Institution.objects.filter(
            pk__in={pk for inst in doubled.values() for pk in inst}
        ).values_list("pk", "acronym")
    )
    return [
        _("%(code)s has more than one lead: %(institutions)s.")
        % {"code": codes[i], "institutions": ", ".join(sorted(acronyms[pk] for pk in inst))}
        for i, inst in sorted(doubled.items(), key=lambda item: codes[item[0]])
    ]


def _render_grid(
    request: HttpRequest, assessment: Assessment, *, override: Cells | None = None
) -> HttpResponse:
    user = _user(request)
    columns = grid_columns(assessment)
    groups = build_grid(assessment, columns)
    shown = build_grid(assessment, columns, override=override) if override else groups
    editable = permissions.can_manage(user, assessment) and assessment.status in (
        Assessment.Status.SETUP,
        Assessment.Status.DATA_COLLECTION,
    )
    return render(
        request,
        "assessments/setup_matrix.html",
        {
            "assessment": assessment,
            "columns": columns,
            "groups": shown,
            "was": _was(groups),
            "can_edit": editable,
            "can_manage": permissions.can_manage(user, assessment),
            "gap_count": sum(1 for g in shown for r in g.rows if not r.has_lead),
        },
    )


@_many_fields
@login_required
def matrix_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey matrix on one page. Saving posts every cell and replaces the matrix once,
    keeping cells that someone else changed meanwhile and this user did not touch."""
    user = _user(request)
    assessment = _get_matrix(request, pk)
    if request.method != "POST":
        return _render_grid(request, assessment)
    permissions.require(permissions.can_manage(user, assessment))
    posted = _posted_cells(assessment, request.POST)
    was = _parse_was(request.POST.get("was"))
    current = matrix_cells(assessment)
    seen = was if was is not None else current
    changed = {k: role for k, role in posted.items() if role != seen.get(k, "")}
    overwritten = [
        k
        for k, role in changed.items()
        if current.get(k, "") != seen.get(k, "") and current.get(k, "") != role
    ]
    wanted = {k: role for k, role in {**current, **changed}.items() if role}
    problems = _lead_conflicts(assessment, wanted)
    if problems:
        messages.error(request, " ".join(problems))
        return _render_grid(request, assessment, override=wanted)
    try:
        change = services.matrix_apply(
            assessment=assessment, actor=user, cells=wanted, replace=True
        )
    except services.ServiceError as exc:
        messages.error(request, exc.message)
        return _render_grid(request, assessment, override=wanted)
    except IntegrityError:  # a concurrent save gave an indicator a second lead
        messages.error(request, _("The matrix changed while saving; check it and save again."))
        return _render_grid(request, assessment, override=wanted)
    messages.success(
        request,
        _("Survey matrix saved: %(created)s added, %(changed)s changed, %(removed)s removed.")
        % {"created": change.created, "changed": change.changed, "removed": change.removed},
    )
    if overwritten:
        messages.warning(
            request,
            _(
                "Someone else had changed these cells since you opened the page; your choice was kept: %(cells)s."
            )
            % {"cells": ", ".join(_cell_labels(overwritten))},
        )
    return redirect("matrix_grid", pk=assessment.pk)


def _cell_labels(keys: list[tuple[int, int]]) -> list[str]:
    codes = dict(Indicator.objects.filter(pk__in={k[0] for k in keys}).values_list("pk", "code"))
    acronyms = dict(
        Institution.objects.filter(pk__in={k[1] for k in keys}).values_list("pk", "acronym")
    )
    return sorted(f"{codes[i]} {DASH} {acronyms[j]}" for i, j in keys)


@login_required
@require_POST
def matrix_cell(request: HttpRequest, pk: int) -> HttpResponse:
    """One cell, saved as it changes (htmx); answers with the re-rendered row."""
    user = _user(request)
    assessment = _get_matrix(request, pk)
    permissions.require(permissions.can_manage(user, assessment))
    posted = _posted_cells(assessment, request.POST)
    if len(posted) != 1:
        raise BadRequest(_("Send exactly one cell."))
    [(key, role)] = posted.items()
    error = ""
    if role == Assignment.Role.LEAD:
        others = (
            Assignment.objects.filter(
                assessment=assessment, indicator_id=key[0], role=Assignment.Role.LEAD
            )
            .exclude(institution_id=key[1])
            .select_related("indicator", "institution")
            .first()
        )
        if others is not None:
            error = _(
                "%(code)s already has a lead institution, %(institution)s. Make it a contributor first."
            ) % {"code": others.indicator.code, "institution": others.institution.acronym}
    if not error:
        try:
            services.matrix_apply(assessment=assessment, actor=user, cells={key: role})
        except services.ServiceError as exc:
            error = exc.message
        except IntegrityError:
            error = _("The matrix changed while saving; check it and save again.")
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, error)
        return redirect("matrix_grid", pk=assessment.pk)
    columns = grid_columns(assessment)
    row = next(
        r
        for group in build_grid(assessment, columns)
        for r in group.rows
        if r.indicator.pk == key[0]
    )
    return render(
        request,
        "assessments/setup_matrix.html#row",
        {
            "assessment": assessment,
            "row": row,
            "can_edit": True,
            "row_error": error,
            "row_saved": not error,
        },
        status=409 if error else 200,
    )


# --- the survey matrix as a workbook ------------------------------------------------------


@login_required
def matrix_export(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _get_matrix(request, pk)
    response = HttpResponse(matrix_workbook_bytes(assessment), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="survey-matrix-{assessment.year}-{assessment.pk}.xlsx"'
    )
    return response


def _import_key(assessment: Assessment) -> str:
    return f"matrix-import-{assessment.pk}"


@login_required
def matrix_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload → every row checked → preview of the changes → apply, atomically.

    The checked matrix waits in the session between preview and apply, with the digest of
    the matrix it was compared with: if the matrix changed meanwhile, nothing is applied.
    """
    user = _user(request)
    assessment = _get_matrix(request, pk)
    permissions.require(permissions.can_manage(user, assessment))
    form = MatrixWorkbookForm()
    context: dict[str, Any] = {"assessment": assessment, "form": form}
    if request.method == "POST" and "apply" in request.POST:
        stored = request.session.get(_import_key(assessment))
        if not stored or stored.get("token") != request.POST.get("token"):
            messages.error(
                request, _("This preview is no longer current; upload the workbook again.")
            )
            return redirect("matrix_import", pk=assessment.pk)
        plan = MatrixPlan(
            cells={(i, j): role for i, j, role in stored["cells"]},
            fingerprint=stored["fingerprint"],
        )
        del request.session[_import_key(assessment)]
        try:
            change = matrix_import(assessment=assessment, actor=user, plan=plan)
        except services.ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("matrix_import", pk=assessment.pk)
        messages.success(
            request,
            _(
                "Workbook imported: %(created)s assignments added, %(changed)s changed, %(removed)s removed."
            )
            % {"created": change.created, "changed": change.changed, "removed": change.removed},
        )
        return redirect("matrix_grid", pk=assessment.pk)
    if request.method == "POST":
        form = MatrixWorkbookForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            errors: list[CellError] = []
            try:
                plan = matrix_workbook_read(assessment=assessment, upload=upload, name=upload.name)
            except (WorkbookError, MatrixInvalid) as exc:
                errors = exc.errors
            except services.ServiceError as exc:
                errors = [CellError(upload.name, None, None, exc.message)]
            else:
                token = secrets.token_urlsafe(16)
                request.session[_import_key(assessment)] = {
                    "token": token,
                    "fingerprint": plan.fingerprint,
                    "cells": [[i, j, role] for (i, j), role in plan.cells.items()],
                }
                context.update(plan=plan, token=token, filename=upload.name)
            context["errors"] = errors
    return render(request, "assessments/setup_matrix_import.html", context)
