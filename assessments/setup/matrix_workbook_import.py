"""The survey matrix workbook, imported back: validation, preview, import.

The file replaces the whole matrix: a cell without a row is emptied. Every row is
validated before anything is written, and the import goes through `matrix_apply` in one
transaction, so a workbook with any error changes nothing.
"""

import hashlib
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from assessments import errors
from assessments.models import Assessment, Assignment
from assessments.setup import removal, services
from assessments.setup.matrix_workbook import REQUIRED_COLUMNS, ROLES, SHEET_ASSIGNMENTS
from assessments.setup.selectors import Cells, eligible_institutions, matrix_cells
from audit.services import Action
from indicators.bilingual import localized
from indicators.models import Indicator
from indicators.spreadsheets import CellError, SheetRow, open_workbook, read_sheet
from ministries.models import Institution, User


def cells_fingerprint(cells: Cells) -> str:
    """A short digest of a matrix state, to notice that it changed between two requests."""
    text = ";".join(f"{i}.{j}.{role}" for (i, j), role in sorted(cells.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


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
    # "code (ACRONYM)" of each removed response holding content: applying needs a reason.
    at_risk: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "added": [c.as_dict() for c in self.added],
            "changed": [c.as_dict() for c in self.changed],
            "removed": [c.as_dict() for c in self.removed],
            "at_risk": self.at_risk,
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
    problems: list[CellError] = []
    workbook = open_workbook(upload, name=name)
    try:
        rows = read_sheet(workbook, SHEET_ASSIGNMENTS, REQUIRED_COLUMNS, problems)
    finally:
        workbook.close()
    if rows is None:
        raise MatrixInvalid(problems)
    indicators = {i.code: i for i in Indicator.objects.filter(framework_id=assessment.framework_id)}
    eligible = {i.acronym.upper(): i for i in eligible_institutions(assessment)}
    cells = _read_cells(rows, indicators, eligible, problems)
    plan = _plan(assessment, cells, indicators, eligible, problems)
    plan.rows = len(rows)
    if problems:
        raise MatrixInvalid(problems)
    order = {code: i.order for code, i in indicators.items()}
    for changes in (plan.added, plan.changed, plan.removed):
        changes.sort(key=lambda c: (order.get(c.code, 0), c.institution))
    return plan


def _read_cells(
    rows: list[SheetRow],
    indicators: dict[str, Indicator],
    eligible: dict[str, Institution],
    problems: list[CellError],
) -> Cells:
    """The matrix the rows ask for; every problem is added to `problems`."""
    known = {a.upper() for a in Institution.objects.values_list("acronym", flat=True)}
    cells: Cells = {}
    seen: dict[tuple[int, int], int] = {}
    leads: dict[int, tuple[int, str]] = {}
    for row in rows:
        code, acronym = row.text("code"), row.text("institution")
        role = row.text("role").lower()
        indicator = indicators.get(code)
        institution = eligible.get(acronym.upper())
        problems.extend(_row_problems(row, indicator, institution, known))
        if indicator is None or institution is None or role not in ROLES:
            continue
        key = (indicator.pk, institution.pk)
        if key in seen:
            problems.append(
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
                problems.append(
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
    return cells


def _row_problems(
    row: SheetRow, indicator: Indicator | None, institution: Institution | None, known: set[str]
) -> list[CellError]:
    """What is wrong with one row on its own: its code, institution and role."""
    code, acronym = row.text("code"), row.text("institution")
    role = row.text("role").lower()
    problems = []
    if not code:
        problems.append(row.error("code", _("The indicator code is missing.")))
    elif indicator is None:
        problems.append(
            row.error(
                "code",
                _("Unknown indicator code “%(code)s” for this framework.") % {"code": code},
            )
        )
    if not acronym:
        problems.append(row.error("institution", _("The institution acronym is missing.")))
    elif institution is None:
        problems.append(
            row.error(
                "institution",
                _("%(acronym)s cannot answer this assessment.") % {"acronym": acronym}
                if acronym.upper() in known
                else _("Unknown institution “%(acronym)s”.") % {"acronym": acronym},
            )
        )
    if role not in ROLES:
        problems.append(
            row.error(
                "role",
                _("Write lead or contributor; delete the row to remove the assignment.")
                if not role
                else _("Unknown role “%(role)s”: write lead or contributor.")
                % {"role": row.text("role")},
            )
        )
    return problems


def _plan(
    assessment: Assessment,
    cells: Cells,
    indicators: dict[str, Indicator],
    eligible: dict[str, Institution],
    problems: list[CellError],
) -> MatrixPlan:
    """How `cells` differ from the current matrix; removing an answered cell is a problem."""
    current = {
        (a.indicator_id, a.institution_id): a
        for a in Assignment.objects.filter(assessment=assessment).select_related(
            "indicator", "institution"
        )
    }
    dropped = [key for key in current if key not in cells]
    plan = MatrixPlan(
        cells=cells, fingerprint=cells_fingerprint({k: a.role for k, a in current.items()})
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
    plan.at_risk = [
        f"{r.indicator.code} ({r.institution.acronym})"
        for r in removal.responses_with_content(assessment, dropped)
    ]
    return plan


@transaction.atomic
def matrix_import(
    *,
    assessment: Assessment,
    actor: User,
    plan: MatrixPlan,
    removal_reason: str = "",
    filename: str = "",
) -> services.MatrixChange:
    """Apply a validated plan: the workbook's matrix replaces the current one, atomically.

    Refused (ServiceError) if the matrix changed since the plan was computed, so what is
    applied is exactly what the preview showed; refused (removal.RemovalRefused) if it
    would remove responses holding content and no `removal_reason` is given.
    """
    # The same lock as matrix_apply's, taken first, so no edit slips between check and write.
    Assessment.objects.select_for_update().only("pk").get(pk=assessment.pk)
    if cells_fingerprint(matrix_cells(assessment)) != plan.fingerprint:
        raise errors.ServiceError(
            _(
                "The survey matrix changed since this workbook was checked. Upload it again to see the changes it would make now."
            )
        )
    return services.matrix_apply(
        assessment=assessment,
        actor=actor,
        cells=plan.cells,
        replace=True,
        removal_reason=removal_reason,
        audit_action=Action.MATRIX_IMPORTED,
        audit_details={"filename": filename},
    )
