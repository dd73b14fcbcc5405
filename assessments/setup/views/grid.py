"""The survey matrix on one page: indicators down, institutions across, a role per cell.
The whole grid is saved at once, or a single cell as it changes (htmx)."""

import re
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import errors, permissions
from assessments.models import Assessment, Assignment
from assessments.permissions import request_user as _user
from assessments.setup import selectors as setup_selectors
from assessments.setup import services as setup_services
from assessments.setup.removal import RemovalRefused
from assessments.setup.selectors import Cells
from assessments.setup.views.forms_parsing import many_fields
from assessments.setup.views.removal_confirm import removal_confirmation, removal_reason
from indicators.models import Dimension, Indicator
from ministries.models import Institution, User

CELL_NAME = re.compile(r"^c-(\d+)-(\d+)$")
DASH = "\u2013"  # an en dash: a cell is named "1.1.1 \u2013 KEMNAKER"


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
    # Shown with a select per cell; the others show their roles as text, with an "Edit"
    # link (98 rows of 23 selects made a 1 MB page).
    editing: bool = False


@dataclass
class GridGroup:
    dimension: Dimension
    rows: list[GridRow] = field(default_factory=list)


def grid_columns(assessment: Assessment) -> list[Institution]:
    """The matrix columns, plus any institution assigned without being a participant, so a
    save of the whole grid never empties cells the page did not show."""
    columns = setup_selectors.matrix_columns(assessment)
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


# `editing`: the indicator ids whose rows show selects, or EVERY_ROW.
EVERY_ROW = "all"


def build_grid(
    assessment: Assessment,
    columns: list[Institution],
    *,
    override: Cells | None = None,
    editing: set[int] | str = EVERY_ROW,
) -> list[GridGroup]:
    options = _role_options()
    texts = dict(_role_choices())
    groups: dict[int, GridGroup] = {}
    for row in setup_selectors.matrix_rows(assessment, columns):
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
        has_lead = any(c.role == Assignment.Role.LEAD for c in cells)
        edit = editing == EVERY_ROW or indicator.pk in editing
        group.rows.append(GridRow(indicator, cells, has_lead, edit))
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


def _editing(request: HttpRequest) -> set[int] | str:
    """The rows to show with selects: `?edit=all` (every row, the whole grid as one form),
    `?edit=<indicator id>` (one row), else none (the roles as text)."""
    value = request.GET.get("edit", "")
    if value == EVERY_ROW:
        return EVERY_ROW
    return {int(value)} if value.isdigit() else set()


def _render_grid(
    request: HttpRequest, assessment: Assessment, *, override: Cells | None = None
) -> HttpResponse:
    user = _user(request)
    columns = grid_columns(assessment)
    editable = permissions.can_manage(user, assessment) and assessment.status in (
        Assessment.Status.SETUP,
        Assessment.Status.DATA_COLLECTION,
    )
    # A refused save shows every row as the user left it, so nothing chosen is lost.
    editing = (_editing(request) if override is None else EVERY_ROW) if editable else set()
    groups = build_grid(assessment, columns, editing=editing)
    shown = (
        build_grid(assessment, columns, override=override, editing=editing) if override else groups
    )
    rows = [r for g in shown for r in g.rows]
    if request.htmx and isinstance(editing, set) and len(editing) == 1:  # type: ignore[attr-defined]
        row = next((r for r in rows if r.editing), None)
        if row is not None:  # one row to edit, in place
            context = {"assessment": assessment, "row": row, "can_edit": True}
            return render(request, "assessments/setup_matrix.html#row", context)
    return render(
        request,
        "assessments/setup_matrix.html",
        {
            "assessment": assessment,
            "columns": columns,
            "groups": shown,
            "was": _was(groups),
            "can_edit": editable,
            "editing_any": any(r.editing for r in rows),
            "can_manage": permissions.can_manage(user, assessment),
            "gap_count": sum(1 for g in shown for r in g.rows if not r.has_lead),
        },
    )


@many_fields
@login_required
def matrix_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey matrix on one page. Saving posts every cell and replaces the matrix once,
    keeping cells that someone else changed meanwhile and this user did not touch."""
    user = _user(request)
    assessment = permissions.get_process_assessment_for_user(user, pk)
    if request.method != "POST":
        return _render_grid(request, assessment)
    permissions.require(permissions.can_manage(user, assessment))
    posted = _posted_cells(assessment, request.POST)
    was = _parse_was(request.POST.get("was"))
    current = setup_selectors.matrix_cells(assessment)
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
        change = setup_services.matrix_apply(
            assessment=assessment,
            actor=user,
            cells=wanted,
            replace=True,
            removal_reason=removal_reason(request),
        )
    except RemovalRefused as exc:
        return removal_confirmation(request, exc, cancel_url=request.path)
    except errors.ServiceError as exc:
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
    assessment = permissions.get_process_assessment_for_user(user, pk)
    permissions.require(permissions.can_manage(user, assessment))
    posted = _posted_cells(assessment, request.POST)
    if len(posted) != 1:
        raise BadRequest(_("Send exactly one cell."))
    [(key, role)] = posted.items()
    error = _save_cell(assessment, user, key, role)
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


def _save_cell(assessment: Assessment, user: User, key: tuple[int, int], role: str) -> str:
    """Save one cell; the message for the user if it was refused, else ""."""
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
            return _(
                "%(code)s already has a lead institution, %(institution)s. Make it a contributor first."
            ) % {"code": others.indicator.code, "institution": others.institution.acronym}
    try:
        setup_services.matrix_apply(assessment=assessment, actor=user, cells={key: role})
    except errors.ServiceError as exc:
        return exc.message
    except IntegrityError:
        return _("The matrix changed while saving; check it and save again.")
    return ""
