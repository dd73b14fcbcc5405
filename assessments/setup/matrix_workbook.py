"""The survey matrix as a workbook, for the coordinator: the export.

The "Assignments" sheet is long: one row per assigned cell (code, question, institution,
role); it is the sheet edited and imported back (`matrix_workbook_import`). The "Overview"
sheet is a read-only grid, indicators down and institutions across.
"""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from assessments.models import Assessment, Assignment
from indicators.bilingual import localized
from indicators.models import Indicator
from indicators.spreadsheets import escape_cell
from ministries.models import Institution

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_ASSIGNMENTS = "Assignments"
SHEET_OVERVIEW = "Overview"
COLUMNS = ["code", "question", "institution", "role"]
REQUIRED_COLUMNS = ["code", "institution", "role"]
ROLES = tuple(Assignment.Role.values)


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
    columns = sorted(
        {a.institution for a in assignments} | set(assessment.participants.all()),
        key=lambda i: i.acronym,
    )
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    _assignments_sheet(ws, indicators, by_indicator)
    _overview_sheet(wb.create_sheet(SHEET_OVERVIEW), indicators, by_indicator, columns)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _assignments_sheet(
    ws: Any, indicators: list[Indicator], by_indicator: dict[int, list[Assignment]]
) -> None:
    """One row per assigned cell, with a list of the roles to choose from."""
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


def _overview_sheet(
    overview: Any,
    indicators: list[Indicator],
    by_indicator: dict[int, list[Assignment]],
    columns: list[Institution],
) -> None:
    """Indicators down, institutions across, indicators without a lead highlighted."""
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


def _format_header(ws: Any, *, widths: list[int]) -> None:
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for idx, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = width
    ws.freeze_panes = "A2"
