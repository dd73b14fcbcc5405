"""The survey matrix as a workbook, for the coordinator: export, validation, preview, import.

The "Assignments" sheet is long: one row per assigned cell (code, question, institution,
role). The file replaces the whole matrix: a cell without a row is emptied. Every row is
validated before anything is written, and the import goes through `matrix_apply` in one
transaction, so a workbook with any error changes nothing.
"""

import hashlib
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.bilingual import localized
from indicators.models import Indicator
from indicators.spreadsheets import CellError, escape_cell, open_workbook, read_sheet
from ministries.models import Institution, User

from . import services
from .models import Assessment, Assignment, Response
from .selectors import eligible_institutions

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_ASSIGNMENTS = "Assignments"
SHEET_OVERVIEW = "Overview"
COLUMNS = ["code", "question", "institution", "role"]
REQUIRED_COLUMNS = ["code", "institution", "role"]
ROLES = tuple(Assignment.Role.values)

Cells = dict[tuple[int, int], str]


def matrix_cells(assessment: Assessment) -> Cells:
    return {
        (indicator_id, institution_id): role
        for indicator_id, institution_id, role in Assignment.objects.filter(
            assessment=assessment
        ).values_list("indicator_id", "institution_id", "role")
    }


def cells_fingerprint(cells: Cells) -> str:
    """A short digest of a matrix state, to notice that it changed between two requests."""
    text = ";".join(f"{i}.{j}.{role}" for (i, j), role in sorted(cells.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# --- export -------------------------------------------------------------------------------


def matrix_workbook_bytes(assessment: Assessment) -> bytes:
    """The matrix as .xlsx: the long "Assignments" sheet to edit, a read-only "Overview" grid."""
    indicators = list(
        Indicator.objects.filter(framework_id=assessment.framework_id).order_by("order")
    )
    assignments = list(
        Assignment.objects.filter(assessment=assessment)
        .select_related("institution")
        .order_by("indicator__order", "institution__acronym")
    )
    by_indicator: dict[int, list[Assignment]] = {}
    for a in assignments:
        by_indicator.setdefault(a.indicator_id, []).append(a)

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_ASSIGNMENTS
    ws.append(COLUMNS)
    for indicator in indicators:
        question = localized(indicator, "question")
        for a in by_indicator.get(indicator.pk, []):
            ws.append(
                [
                    escape_cell(indicator.code),
                    escape_cell(question),
                    escape_cell(a.institution.acronym),
                    escape_cell(a.role),
                ]
            )
    last = max(ws.max_row, 2) + 1000
    roles = DataValidation(
        type="list",
        formula1='"' + ",".join(ROLES) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle=_("Role"),
        error=_("Write lead or contributor."),
    )
    ws.add_data_validation(roles)
    roles.add(f"D2:D{last}")
    _format_header(ws, widths=[10, 70, 24, 14])

    columns = sorted(
        {a.institution for a in assignments} | set(assessment.participants.all()),
        key=lambda i: i.acronym,
    )
    overview = wb.create_sheet(SHEET_OVERVIEW)
    overview.append(
        [_("code"), _("question"), _("lead"), *(escape_cell(i.acronym) for i in columns)]
    )
    gap_fill = PatternFill("solid", fgColor="FCE4D6")
    for indicator in indicators:
        roles_here = {a.institution_id: a.role for a in by_indicator.get(indicator.pk, [])}
        lead = next((i.acronym for i in columns if roles_here.get(i.pk) == "lead"), "")
        overview.append(
            [
                escape_cell(indicator.code),
                escape_cell(localized(indicator, "question")),
                escape_cell(lead or _("no lead")),
                *(escape_cell(roles_here.get(i.pk, "")) for i in columns),
            ]
        )
        if not lead:
            for cell in overview[overview.max_row]:
                cell.fill = gap_fill
    _format_header(overview, widths=[10, 60, 18] + [12] * len(columns))
    overview.protection.sheet = True  # read-only: the Assignments sheet is the one imported

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _format_header(ws: Any, *, widths: list[int]) -> None:
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for idx, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = width
    ws.freeze_panes = "A2"


# --- import -------------------------------------------------------------------------------


@dataclass
class CellChange:
    code: str
    question: str
    institution: str
    old: str
    new: str

    @property
    def old_label(self) -> str:
        return str(Assignment.Role(self.old).label) if self.old else "—"

    @property
    def new_label(self) -> str:
        return str(Assignment.Role(self.new).label) if self.new else "—"

    def as_dict(self) -> dict[str, str]:
        return {
            "indicator": self.code,
            "institution": self.institution,
            "old_role": self.old,
            "new_role": self.new,
        }


@dataclass
class MatrixPlan:
    """A validated workbook: the matrix it asks for and how that differs from the current one."""

    cells: Cells
    fingerprint: str  # of the matrix the changes were computed against
    rows: int = 0
    added: list[CellChange] = field(default_factory=list)
    changed: list[CellChange] = field(default_factory=list)
    removed: list[CellChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "added": [c.as_dict() for c in self.added],
            "changed": [c.as_dict() for c in self.changed],
            "removed": [c.as_dict() for c in self.removed],
        }


class MatrixInvalid(Exception):
    """The workbook has errors; nothing was applied."""

    def __init__(self, errors: list[CellError]):
        super().__init__(f"{len(errors)} error(s) in the survey matrix workbook")
        self.errors = errors


def matrix_workbook_read(
    *, assessment: Assessment, upload: IO[bytes], name: str = ""
) -> MatrixPlan:
    """Validate every row of an uploaded matrix workbook and compute what it would change.

    Raises WorkbookError (not a workbook we can read), MatrixInvalid (every problem, by sheet,
    row and column) or ServiceError (the matrix cannot change at this stage). Writes nothing.
    """
    services.check_matrix_editable(assessment)
    errors: list[CellError] = []
    workbook = open_workbook(upload, name=name)
    try:
        rows = read_sheet(workbook, SHEET_ASSIGNMENTS, REQUIRED_COLUMNS, errors)
    finally:
        workbook.close()
    if rows is None:
        raise MatrixInvalid(errors)

    indicators = {i.code: i for i in Indicator.objects.filter(framework_id=assessment.framework_id)}
    eligible = {i.acronym.upper(): i for i in eligible_institutions(assessment)}
    known = {a.upper() for a in Institution.objects.values_list("acronym", flat=True)}
    cells: Cells = {}
    seen: dict[tuple[int, int], int] = {}
    leads: dict[int, tuple[int, str]] = {}
    for row in rows:
        code, acronym = row.text("code"), row.text("institution")
        role = row.text("role").lower()
        indicator = indicators.get(code)
        institution = eligible.get(acronym.upper())
        if not code:
            errors.append(row.error("code", _("The indicator code is missing.")))
        elif indicator is None:
            errors.append(
                row.error(
                    "code",
                    _("Unknown indicator code “%(code)s” for this framework.") % {"code": code},
                )
            )
        if not acronym:
            errors.append(row.error("institution", _("The institution acronym is missing.")))
        elif institution is None:
            errors.append(
                row.error(
                    "institution",
                    _("%(acronym)s cannot answer this assessment.") % {"acronym": acronym}
                    if acronym.upper() in known
                    else _("Unknown institution “%(acronym)s”.") % {"acronym": acronym},
                )
            )
        if role not in ROLES:
            errors.append(
                row.error(
                    "role",
                    _("Write lead or contributor; delete the row to remove the assignment.")
                    if not role
                    else _("Unknown role “%(role)s”: write lead or contributor.")
                    % {"role": row.text("role")},
                )
            )
        if indicator is None or institution is None or role not in ROLES:
            continue
        key = (indicator.pk, institution.pk)
        if key in seen:
            errors.append(
                row.error(
                    "institution",
                    _("%(acronym)s is already assigned to %(code)s on row %(row)s.")
                    % {"acronym": institution.acronym, "code": code, "row": seen[key]},
                )
            )
            continue
        seen[key] = row.number
        if role == Assignment.Role.LEAD:
            if indicator.pk in leads:
                first_row, first = leads[indicator.pk]
                errors.append(
                    row.error(
                        "role",
                        _(
                            "%(code)s already has a lead institution (%(acronym)s, row %(row)s); an indicator has one lead."
                        )
                        % {"code": code, "acronym": first, "row": first_row},
                    )
                )
                continue
            leads[indicator.pk] = (row.number, institution.acronym)
        cells[key] = role

    current = {
        (a.indicator_id, a.institution_id): a
        for a in Assignment.objects.filter(assessment=assessment).select_related(
            "indicator", "institution"
        )
    }
    answered = set(
        Response.objects.filter(assessment=assessment)
        .filter(~Q(answer=""))
        .values_list("indicator_id", "institution_id")
    )
    plan = MatrixPlan(
        cells=cells,
        fingerprint=cells_fingerprint({k: a.role for k, a in current.items()}),
        rows=len(rows),
    )
    by_pk = {i.pk: i for i in indicators.values()}
    institutions = {i.pk: i for i in eligible.values()}
    for key, role in cells.items():
        indicator, institution = by_pk[key[0]], institutions[key[1]]
        old = current[key].role if key in current else ""
        if old != role:
            change = CellChange(
                indicator.code, localized(indicator, "question"), institution.acronym, old, role
            )
            (plan.changed if old else plan.added).append(change)
    for key, a in current.items():
        if key in cells:
            continue
        plan.removed.append(
            CellChange(
                a.indicator.code,
                localized(a.indicator, "question"),
                a.institution.acronym,
                a.role,
                "",
            )
        )
        if key in answered:
            errors.append(
                CellError(
                    SHEET_ASSIGNMENTS,
                    None,
                    None,
                    _(
                        "%(institution)s has already answered %(code)s; keep its row (as lead or contributor)."
                    )
                    % {"institution": a.institution.acronym, "code": a.indicator.code},
                )
            )
    if errors:
        raise MatrixInvalid(errors)
    order = {code: i.order for code, i in indicators.items()}
    for changes in (plan.added, plan.changed, plan.removed):
        changes.sort(key=lambda c: (order.get(c.code, 0), c.institution))
    return plan


@transaction.atomic
def matrix_import(
    *, assessment: Assessment, actor: User, plan: MatrixPlan
) -> services.MatrixChange:
    """Apply a validated plan: the workbook's matrix replaces the current one, atomically.

    Refused (ServiceError) if the matrix changed since the plan was computed, so what is
    applied is exactly what the preview showed.
    """
    # The same lock as matrix_apply's, taken first, so no edit slips between check and write.
    Assessment.objects.select_for_update().only("pk").get(pk=assessment.pk)
    if cells_fingerprint(matrix_cells(assessment)) != plan.fingerprint:
        raise services.ServiceError(
            _(
                "The survey matrix changed since this workbook was checked. Upload it again to see the changes it would make now."
            )
        )
    return services.matrix_apply(assessment=assessment, actor=actor, cells=plan.cells, replace=True)
