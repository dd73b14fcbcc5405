"""Export of the answers workbook: an institution's answers out to a workbook, prefilled,
with dropdowns and locks, and the HTTP response that carries it (pages and API alike)."""

import io
import re

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from assessments.collection.workbook.common import (
    EDITABLE_COLUMNS,
    EVIDENCE_COLUMNS,
    HEADER_FONT,
    LOCKED_FILL,
    META_COLUMNS,
    NEW_EVIDENCE_ROWS,
    NOTHING_TO_ADD,
    RESPONSE_COLUMNS,
    SHEET_EVIDENCE,
    SHEET_INSTRUCTIONS,
    SHEET_LISTS,
    SHEET_META,
    SHEET_RESPONSES,
    TOP,
    UNLOCKED,
    WRAP,
    XLSX_CONTENT_TYPE,
    WorkbookData,
    _answer_label,
    _coverage_label,
    _evidence_values,
    answer_value,
    evidence_ref,
)
from assessments.collection.workbook.vocabulary import (
    choose_kind_message,
    column_label,
    instrument_keyword,
    kind_keyword,
    sheet_label,
)
from assessments.models import Assessment, Assignment, Evidence
from indicators.bilingual import active_language, localized
from indicators.models import Indicator
from indicators.spreadsheets import escape_cell
from ministries.models import Institution


def workbook_filename(assessment: Assessment, institution: Institution) -> str:
    acronym = re.sub(r"[^A-Za-z0-9-]+", "-", institution.acronym).strip("-") or "institution"
    return f"mgi-{assessment.year}-{assessment.pk}-{acronym}.xlsx"


def _role_label(value: str) -> str:
    return str(Assignment.Role(value).label) if value in Assignment.Role.values else value


def _header(ws: Worksheet, columns: list[str], widths: dict[str, int]) -> None:
    ws.append([column_label(name) for name in columns])
    for idx, name in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=idx)
        cell.font = HEADER_FONT
        cell.fill = LOCKED_FILL
        ws.column_dimensions[get_column_letter(idx)].width = widths.get(name, 14)
    ws.freeze_panes = "A2"


def _protect(ws: Worksheet) -> None:
    # Locked cells cannot be edited; columns may still be resized and rows filtered.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.sort = False


def _lists_sheet(wb: Workbook) -> dict[str, str]:
    """Hidden lists the dropdowns point at (inline lists cannot hold labels with commas)."""
    ws = wb.create_sheet(SHEET_LISTS)
    answers = [
        _answer_label(a)
        for a in (
            Indicator.Answer.YES,
            Indicator.Answer.PARTIAL,
            Indicator.Answer.NO,
            Indicator.Answer.NOT_APPLICABLE,
        )
    ]
    coverage = [_coverage_label(c) for c in Indicator.Coverage.values]
    kinds = [kind_keyword(Evidence.Kind.CITATION), kind_keyword(Evidence.Kind.LINK)]
    instruments = [instrument_keyword(c) for c in Evidence.InstrumentType.values]
    # A contributor's lists end with "nothing to add" (a lead institution must answer).
    nothing = _answer_label(NOTHING_TO_ADD)
    contributor = [*answers[:3], nothing]
    contributor_na = [*answers, nothing]
    columns = (answers, coverage, kinds, instruments, contributor, contributor_na)
    for col, values in enumerate(columns, start=1):
        for row, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value)
    ws.sheet_state = "hidden"
    _protect(ws)
    ref = f"'{SHEET_LISTS}'"
    return {
        "answer": f"{ref}!$A$1:$A$3",
        "answer_na": f"{ref}!$A$1:$A$4",
        "coverage": f"{ref}!$B$1:$B${len(coverage)}",
        "kind": f"{ref}!$C$1:$C${len(kinds)}",
        "instrument_type": f"{ref}!$D$1:$D${len(instruments)}",
        "answer_contributor": f"{ref}!$E$1:$E${len(contributor)}",
        "answer_contributor_na": f"{ref}!$F$1:$F${len(contributor_na)}",
    }


def _validation(formula: str, title: str, message: str) -> DataValidation:
    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.showErrorMessage = True
    dv.errorTitle = title[:32]
    dv.error = message[:255]
    dv.showInputMessage = False
    return dv


def _instruction_lines(data: WorkbookData, language: str) -> list[tuple[str, str]]:
    """The Instructions sheet, line by line: a heading and its text.

    Long because it is the sheet's text, in reading order; splitting it would scatter one
    page of instructions over several functions.
    """
    title = localized(data.assessment, "title", language)
    institution = localized(data.institution, "name", language)
    responses, evidence = sheet_label(SHEET_RESPONSES), sheet_label(SHEET_EVIDENCE)
    col = column_label
    lines: list[tuple[str, str]] = [
        (_("MGI Portal workbook"), f"{title}: {institution} ({data.institution.acronym})"),
        ("", ""),
        (
            _("How it works"),
            _(
                "Fill in the %(responses)s sheet and the %(evidence)s sheet, then import the "
                "workbook on the portal (Import from Excel on your entry page). You first see what "
                "would change; nothing is saved until you apply it, and nothing at all is saved if "
                "any row has a problem. Each problem is listed with its sheet, row and column."
            )
            % {"responses": responses, "evidence": evidence},
        ),
        (
            responses,
            _(
                "One row per indicator assigned to your institution. Fill in the columns "
                "%(editable)s. The columns %(locked)s are locked: do not change them."
            )
            % {
                "editable": ", ".join(col(c) for c in EDITABLE_COLUMNS),
                "locked": ", ".join(col(c) for c in RESPONSE_COLUMNS if c not in EDITABLE_COLUMNS),
            },
        ),
        (
            col("answer"),
            _(
                "Choose from the list: Yes, Partially or No (Not applicable only where the list "
                "offers it). Leave it empty to clear the answer."
            ),
        ),
        (
            col("coverage"),
            _(
                "Only for indicators with a coverage qualifier (the cell is grey otherwise): all "
                "migrants whatever their status, or regular migrants only."
            ),
        ),
        (col("justification"), _("Why this answer: the facts, the practice, the sources.")),
        (
            col("evidence"),
            _(
                "The references (column %(ref)s of the %(sheet)s sheet) of the evidence "
                "supporting the answer, separated by commas, for example: E12, E15."
            )
            % {"ref": col("ref"), "sheet": evidence},
        ),
        (
            col("version"),
            _(
                "Used to protect answers changed in the portal after this workbook was exported: "
                "such a row is refused, so that nothing is overwritten. Export again to get the "
                "current answers."
            ),
        ),
        (
            evidence,
            _(
                "Your institution's evidence in this assessment. To add a legal citation or a "
                "link, fill an empty row with a new reference of your choosing (one word, for "
                "example LAW1) and cite that reference in the %(column)s column of the "
                "%(sheet)s sheet. Existing rows are locked. Files cannot be added through Excel: "
                "upload them on the portal."
            )
            % {"column": col("evidence"), "sheet": responses},
        ),
        (
            col("kind"),
            _("%(citation)s (a legal citation) or %(link)s.")
            % {
                "citation": kind_keyword(Evidence.Kind.CITATION),
                "link": kind_keyword(Evidence.Kind.LINK),
            },
        ),
        (col("instrument_type"), _("For a citation, one of the codes listed below.")),
        (
            col("instrument"),
            _(
                "For a citation of a law or regulation in the portal's register of legal "
                "instruments: its short form, such as UU 18/2017 or PP 59/2021 (the register "
                "page lists them). The type, number, year and title are then taken from the "
                "register; leave them empty."
            ),
        ),
        (
            _("Formulas"),
            _("Formulas are not accepted: type the values themselves."),
        ),
        ("", ""),
        (_("Answer"), ", ".join(_answer_label(a) for a in Indicator.Answer.values)),
        (
            _answer_label(NOTHING_TO_ADD),
            _(
                "For an indicator your institution contributes to (not one it leads): choose "
                "it to say explicitly that your institution has nothing to add. The answer is "
                "then sent as such when you submit; an empty answer stays blank and is not sent."
            ),
        ),
        (_("Coverage"), "; ".join(_coverage_label(c) for c in Indicator.Coverage.values)),
        ("", ""),
        (col("instrument_type"), _("Meaning")),
    ]
    lines += [
        (instrument_keyword(code), str(label)) for code, label in Evidence.InstrumentType.choices
    ]
    return lines


def _instructions_sheet(wb: Workbook, data: WorkbookData, language: str) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = sheet_label(SHEET_INSTRUCTIONS)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 100
    for row, (key, text) in enumerate(_instruction_lines(data, language), start=1):
        ws.cell(row=row, column=1, value=escape_cell(key)).font = HEADER_FONT
        cell = ws.cell(row=row, column=2, value=escape_cell(text))
        cell.alignment = WRAP
    ws["B1"].font = HEADER_FONT
    _protect(ws)


def _answer_validations(
    lists: dict[str, str], title: str, message: str
) -> dict[tuple[bool, bool], DataValidation]:
    """The answer column's dropdowns by (lead row?, "not applicable" allowed?): a
    contributor's lists end with "nothing to add"."""
    keys = {
        (True, False): "answer",
        (True, True): "answer_na",
        (False, False): "answer_contributor",
        (False, True): "answer_contributor_na",
    }
    return {kind: _validation(lists[key], title, message) for kind, key in keys.items()}


def _responses_sheet(wb: Workbook, data: WorkbookData, lists: dict[str, str]) -> None:
    ws = wb.create_sheet(sheet_label(SHEET_RESPONSES))
    _header(
        ws,
        RESPONSE_COLUMNS,
        {
            "code": 9,
            "dimension": 10,
            "question": 60,
            "role": 13,
            "answer": 16,
            "coverage": 32,
            "justification": 60,
            "evidence": 18,
            "version": 9,
        },
    )
    invalid_title = _("Invalid value")
    invalid_message = _("Choose a value from the list.")
    answer_dvs = _answer_validations(lists, invalid_title, invalid_message)
    coverage_dv = _validation(lists["coverage"], invalid_title, invalid_message)
    col = {name: idx for idx, name in enumerate(RESPONSE_COLUMNS, start=1)}
    for row, response in enumerate(data.responses, start=2):
        indicator = response.indicator
        values = {
            "code": indicator.code,
            "dimension": indicator.dimension.number,
            "question": localized(indicator, "question"),
            "role": _role_label(data.roles.get(indicator.pk, "")),
            "answer": _answer_label(answer_value(response)),
            "coverage": _coverage_label(response.coverage) if indicator.has_coverage else None,
            "justification": response.justification or None,
            "evidence": ", ".join(evidence_ref(e.pk) for e in response.evidence.all()) or None,
            "version": response.version,
        }
        for name, value in values.items():
            cell = ws.cell(row=row, column=col[name], value=escape_cell(value))
            editable = name in EDITABLE_COLUMNS and (name != "coverage" or indicator.has_coverage)
            if editable:
                cell.protection = UNLOCKED
            else:
                cell.fill = LOCKED_FILL
            cell.alignment = WRAP if name in ("question", "justification") else TOP
        answer_cell = f"{get_column_letter(col['answer'])}{row}"
        is_lead = data.roles.get(indicator.pk) != Assignment.Role.CONTRIBUTOR
        answer_dvs[(is_lead, indicator.allows_not_applicable)].add(answer_cell)
        if indicator.has_coverage:
            coverage_dv.add(f"{get_column_letter(col['coverage'])}{row}")
    for dv in (*answer_dvs.values(), coverage_dv):
        if dv.sqref:
            ws.add_data_validation(dv)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(RESPONSE_COLUMNS))}{max(2, ws.max_row)}"
    _protect(ws)


def _evidence_sheet(wb: Workbook, data: WorkbookData, lists: dict[str, str]) -> None:
    ws = wb.create_sheet(sheet_label(SHEET_EVIDENCE))
    _header(
        ws,
        EVIDENCE_COLUMNS,
        {
            "ref": 9,
            "kind": 11,
            "instrument_type": 24,
            "number": 12,
            "year": 8,
            "title": 60,
            "instrument": 18,
        },
    )
    for row, item in enumerate(data.evidence, start=2):
        values = _evidence_values(item)
        values["kind"] = kind_keyword(item.kind)
        values["instrument_type"] = instrument_keyword(item.instrument_type) or None
        for idx, value in enumerate(values.values(), start=1):
            cell = ws.cell(row=row, column=idx, value=escape_cell(value))
            cell.fill = LOCKED_FILL
            cell.alignment = TOP
    first = len(data.evidence) + 2
    last = first + NEW_EVIDENCE_ROWS - 1
    for row in range(first, last + 1):
        for idx in range(1, len(EVIDENCE_COLUMNS) + 1):
            ws.cell(row=row, column=idx).protection = UNLOCKED
    invalid_title = _("Invalid value")
    kind_dv = _validation(lists["kind"], invalid_title, choose_kind_message())
    kind_dv.add(f"B{first}:B{last}")
    type_dv = _validation(
        lists["instrument_type"], invalid_title, _("Choose an instrument type from the list.")
    )
    type_dv.add(f"C{first}:C{last}")
    ws.add_data_validation(kind_dv)
    ws.add_data_validation(type_dv)
    _protect(ws)


def _meta_sheet(wb: Workbook, data: WorkbookData, language: str) -> None:
    ws = wb.create_sheet(SHEET_META)
    ws.append(META_COLUMNS)
    ws.append(["assessment", data.assessment.pk])
    ws.append(["institution", escape_cell(data.institution.acronym)])
    ws.append(["language", language])
    ws.append(["exported_at", timezone.now().isoformat(timespec="seconds")])
    ws.sheet_state = "hidden"
    _protect(ws)


def export_workbook(data: WorkbookData) -> bytes:
    """The institution's workbook in the active language."""
    language = active_language()
    wb = Workbook()
    _instructions_sheet(wb, data, language)
    lists = _lists_sheet(wb)
    _responses_sheet(wb, data, lists)
    _evidence_sheet(wb, data, lists)
    _meta_sheet(wb, data, language)
    # The lists sheet sits after the visible ones so the workbook opens on Instructions.
    wb.move_sheet(SHEET_LISTS, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(SHEET_LISTS))
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def workbook_http_response(data: WorkbookData) -> HttpResponse:
    """The institution's workbook as a download, not kept by shared caches."""
    response = HttpResponse(export_workbook(data), content_type=XLSX_CONTENT_TYPE)
    filename = workbook_filename(data.assessment, data.institution)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
