"""The focal points' Excel round trip: an institution's answers out to a workbook and back.

Export writes the institution's assigned indicators, prefilled, with dropdowns for the
answer columns and the identifying columns locked. Import reads the workbook as written
(formulas refused, never evaluated), compares every row with the portal, and reports each
problem with its sheet, row and column. Nothing is written unless the whole workbook is
valid; then new evidence goes through `services.evidence_create` and every change through
`services.responses_update_bulk` (the rules and version check of a single save, and a
history row per answer naming the import as the reason), inside one transaction.
"""

import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from indicators.bilingual import LANGUAGES, active_language, localized
from indicators.models import Indicator
from indicators.spreadsheets import (
    CellError,
    SheetRow,
    WorkbookError,
    escape_cell,
    open_workbook,
    read_sheet,
)
from ministries.models import Institution, User

from . import services
from .models import Assessment, Assignment, Evidence, MatrixImport, Response

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SHEET_INSTRUCTIONS = "Instructions"
SHEET_RESPONSES = "Responses"
SHEET_EVIDENCE = "Evidence"
SHEET_META = "_meta"
SHEET_LISTS = "_lists"

RESPONSE_COLUMNS = [
    "code",
    "dimension",
    "question",
    "role",
    "answer",
    "coverage",
    "justification",
    "evidence",
    "version",
]
EDITABLE_COLUMNS = ("answer", "coverage", "justification", "evidence")
VALUE_FIELDS = ("answer", "coverage", "justification", "evidence")
EVIDENCE_COLUMNS = [
    "ref",
    "kind",
    "instrument_type",
    "number",
    "year",
    "title",
    "article",
    "url",
]
META_COLUMNS = ["key", "value"]
# Empty, unlocked rows under the evidence list where new citations and links are typed.
NEW_EVIDENCE_ROWS = 200
REF_RE = re.compile(r"^[^\s,;]{1,30}$")
REF_SPLIT_RE = re.compile(r"[\s,;]+")
# Accepted whatever the catalogue says: the labels focal points know from the paper form.
ANSWER_ALIASES: dict[str, str] = {
    "Ya": Indicator.Answer.YES.value,
    "Sebagian": Indicator.Answer.PARTIAL.value,
    "Tidak": Indicator.Answer.NO.value,
    "Tidak berlaku": Indicator.Answer.NOT_APPLICABLE.value,
    "N/A": Indicator.Answer.NOT_APPLICABLE.value,
}

LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
UNLOCKED = Protection(locked=False)


def evidence_ref(evidence_id: int) -> str:
    return f"E{evidence_id}"


def _norm_ref(ref: str) -> str:
    return ref.strip().casefold()


def _norm_text(value: str) -> str:
    return " ".join(value.split()).casefold()


# --- reading the portal ---------------------------------------------------------------------


@dataclass
class WorkbookData:
    """What the workbook of one institution shows: its responses, roles and evidence."""

    assessment: Assessment
    institution: Institution
    responses: list[Response]
    roles: dict[int, str]
    evidence: list[Evidence]

    @property
    def is_assigned(self) -> bool:
        return bool(self.roles)


def workbook_data(assessment: Assessment, institution: Institution) -> WorkbookData:
    """Three queries whatever the number of indicators and evidence items."""
    roles = dict(
        Assignment.objects.filter(assessment=assessment, institution=institution).values_list(
            "indicator_id", "role"
        )
    )
    responses = list(
        Response.objects.filter(assessment=assessment, institution=institution)
        .select_related("indicator__dimension")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("indicator__order")
    )
    evidence = list(
        Evidence.objects.filter(assessment=assessment, institution=institution).order_by("pk")
    )
    for response in responses:
        # The write path checks the assessment's status: no query per row for it.
        response.assessment = assessment
        response.institution = institution
    return WorkbookData(assessment, institution, responses, roles, evidence)


# --- export ---------------------------------------------------------------------------------


def workbook_filename(assessment: Assessment, institution: Institution) -> str:
    acronym = re.sub(r"[^A-Za-z0-9-]+", "-", institution.acronym).strip("-") or "institution"
    return f"mgi-{assessment.year}-{assessment.pk}-{acronym}.xlsx"


def _answer_label(value: str) -> str:
    return str(Indicator.Answer(value).label) if value else ""


def _coverage_label(value: str) -> str:
    return str(Indicator.Coverage(value).label) if value else ""


def _role_label(value: str) -> str:
    return str(Assignment.Role(value).label) if value in Assignment.Role.values else value


def _header(ws: Worksheet, columns: list[str], widths: dict[str, int]) -> None:
    ws.append(columns)
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
    kinds = [Evidence.Kind.CITATION.value, Evidence.Kind.LINK.value]
    instruments = list(Evidence.InstrumentType.values)
    for col, values in enumerate((answers, coverage, kinds, instruments), start=1):
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
    }


def _validation(formula: str, title: str, message: str) -> DataValidation:
    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.showErrorMessage = True
    dv.errorTitle = title[:32]
    dv.error = message[:255]
    dv.showInputMessage = False
    return dv


def _instructions_sheet(wb: Workbook, data: WorkbookData, language: str) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_INSTRUCTIONS
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 100
    title = localized(data.assessment, "title", language)
    institution = localized(data.institution, "name", language)
    lines: list[tuple[str, str]] = [
        (_("MGI Portal workbook"), f"{title}: {institution} ({data.institution.acronym})"),
        ("", ""),
        (
            _("How it works"),
            _(
                "Fill in the Responses sheet and the Evidence sheet, then import the workbook on the "
                "portal (Import from Excel on your entry page). You first see what would change; "
                "nothing is saved until you apply it, and nothing at all is saved if any row has a "
                "problem. Each problem is listed with its sheet, row and column."
            ),
        ),
        (
            SHEET_RESPONSES,
            _(
                "One row per indicator assigned to your institution. Fill in the columns answer, "
                "coverage, justification and evidence. The columns code, dimension, question, role "
                "and version are locked: do not change them."
            ),
        ),
        (
            "answer",
            _(
                "Choose from the list: Yes, Partially or No (Not applicable only where the list "
                "offers it). Leave it empty to clear the answer."
            ),
        ),
        (
            "coverage",
            _(
                "Only for indicators with a coverage qualifier (the cell is grey otherwise): all "
                "migrants whatever their status, or regular migrants only."
            ),
        ),
        ("justification", _("Why this answer: the facts, the practice, the sources.")),
        (
            "evidence",
            _(
                "The references (column ref of the Evidence sheet) of the evidence supporting the "
                "answer, separated by commas, for example: E12, E15."
            ),
        ),
        (
            "version",
            _(
                "Used to protect answers changed in the portal after this workbook was exported: "
                "such a row is refused, so that nothing is overwritten. Export again to get the "
                "current answers."
            ),
        ),
        (
            SHEET_EVIDENCE,
            _(
                "Your institution's evidence in this assessment. To add a legal citation or a link, "
                "fill an empty row with a new reference of your choosing (one word, for example "
                "LAW1) and cite that reference in the evidence column of the Responses sheet. "
                "Existing rows are locked. Files cannot be added through Excel: upload them on "
                "the portal."
            ),
        ),
        ("kind", _("citation (a legal citation) or link.")),
        ("instrument_type", _("For a citation, one of the codes listed below.")),
        (
            _("Formulas"),
            _("Formulas are not accepted: type the values themselves."),
        ),
        ("", ""),
        (_("Answer"), ", ".join(_answer_label(a) for a in Indicator.Answer.values)),
        (_("Coverage"), "; ".join(_coverage_label(c) for c in Indicator.Coverage.values)),
        ("", ""),
        ("instrument_type", _("Meaning")),
    ]
    lines += [(code, str(label)) for code, label in Evidence.InstrumentType.choices]
    for row, (key, text) in enumerate(lines, start=1):
        ws.cell(row=row, column=1, value=escape_cell(key)).font = HEADER_FONT
        cell = ws.cell(row=row, column=2, value=escape_cell(text))
        cell.alignment = WRAP
    ws["B1"].font = HEADER_FONT
    _protect(ws)


def _responses_sheet(wb: Workbook, data: WorkbookData, lists: dict[str, str]) -> None:
    ws = wb.create_sheet(SHEET_RESPONSES)
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
    answer_dv = _validation(lists["answer"], invalid_title, invalid_message)
    answer_na_dv = _validation(lists["answer_na"], invalid_title, invalid_message)
    coverage_dv = _validation(lists["coverage"], invalid_title, invalid_message)
    col = {name: idx for idx, name in enumerate(RESPONSE_COLUMNS, start=1)}
    for row, response in enumerate(data.responses, start=2):
        indicator = response.indicator
        values = {
            "code": indicator.code,
            "dimension": indicator.dimension.number,
            "question": localized(indicator, "question"),
            "role": _role_label(data.roles.get(indicator.pk, "")),
            "answer": _answer_label(response.answer),
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
        (answer_na_dv if indicator.allows_not_applicable else answer_dv).add(answer_cell)
        if indicator.has_coverage:
            coverage_dv.add(f"{get_column_letter(col['coverage'])}{row}")
    for dv in (answer_dv, answer_na_dv, coverage_dv):
        if dv.sqref:
            ws.add_data_validation(dv)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(RESPONSE_COLUMNS))}{max(2, ws.max_row)}"
    _protect(ws)


def _evidence_values(item: Evidence) -> dict[str, Any]:
    return {
        "ref": evidence_ref(item.pk),
        "kind": item.kind,
        "instrument_type": item.instrument_type or None,
        "number": item.number or None,
        "year": item.year,
        "title": item.title,
        "article": item.article or None,
        "url": item.url or None,
    }


def _evidence_sheet(wb: Workbook, data: WorkbookData, lists: dict[str, str]) -> None:
    ws = wb.create_sheet(SHEET_EVIDENCE)
    _header(
        ws,
        EVIDENCE_COLUMNS,
        {"ref": 9, "kind": 11, "instrument_type": 24, "number": 12, "year": 8, "title": 60},
    )
    for row, item in enumerate(data.evidence, start=2):
        for idx, value in enumerate(_evidence_values(item).values(), start=1):
            cell = ws.cell(row=row, column=idx, value=escape_cell(value))
            cell.fill = LOCKED_FILL
            cell.alignment = TOP
    first = len(data.evidence) + 2
    last = first + NEW_EVIDENCE_ROWS - 1
    for row in range(first, last + 1):
        for idx in range(1, len(EVIDENCE_COLUMNS) + 1):
            ws.cell(row=row, column=idx).protection = UNLOCKED
    invalid_title = _("Invalid value")
    kind_dv = _validation(lists["kind"], invalid_title, _("Choose citation or link."))
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


# --- import: reading and comparing ----------------------------------------------------------


def _lookup(
    choices: Iterable[tuple[str, Any]], aliases: dict[str, str] | None = None
) -> dict[str, str]:
    """Code, English label and Indonesian label (any case) -> code."""
    pairs = list(choices)
    table: dict[str, str] = {}
    for value, label in pairs:
        table[_norm_text(value)] = value
        for language in LANGUAGES:
            with translation.override(language):
                table[_norm_text(str(label))] = value
    for alias, value in (aliases or {}).items():
        table[_norm_text(alias)] = str(value)
    return table


@dataclass(frozen=True)
class Values:
    answer: str
    coverage: str
    justification: str
    evidence: frozenset[str]  # normalised refs


@dataclass
class NewEvidence:
    """A row of the Evidence sheet that is not in the portal yet."""

    row: SheetRow
    ref: str
    kind: str
    instrument_type: str
    number: str
    year: int | None
    title: str
    article: str
    url: str

    @property
    def label(self) -> str:
        return self.as_model().label

    def as_model(self) -> Evidence:
        return Evidence(
            kind=self.kind,
            instrument_type=self.instrument_type,
            number=self.number,
            year=self.year,
            title=self.title,
            article=self.article,
            url=self.url,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row.number,
            "ref": self.ref,
            "kind": self.kind,
            "instrument_type": self.instrument_type,
            "number": self.number,
            "year": self.year,
            "title": self.title,
            "article": self.article,
            "url": self.url,
        }


@dataclass
class RowChange:
    """One indicator whose answer the workbook changes."""

    row: SheetRow
    response: Response
    version: int  # the version read, claimed again when the import is applied
    old: Values
    new: Values

    @property
    def fields(self) -> list[str]:
        return [f for f in VALUE_FIELDS if getattr(self.old, f) != getattr(self.new, f)]


@dataclass
class ImportPlan:
    """What an uploaded workbook would change, or why it cannot be applied."""

    assessment: Assessment
    institution: Institution
    filename: str
    changes: list[RowChange] = field(default_factory=list)
    new_evidence: list[NewEvidence] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    unchanged: int = 0
    readable: bool = True
    existing_evidence: dict[str, Evidence] = field(default_factory=dict)  # norm ref -> item
    ref_names: dict[str, str] = field(default_factory=dict)  # norm ref -> ref as written

    @property
    def ok(self) -> bool:
        return self.readable and not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(self.changes or self.new_evidence)

    def evidence_label(self, ref: str) -> str:
        name = self.ref_names.get(ref, ref)
        if ref in self.existing_evidence:
            return f"{name}: {self.existing_evidence[ref].label}"
        for item in self.new_evidence:
            if _norm_ref(item.ref) == ref:
                return f"{name}: {item.label} ({_('new')})"
        return name

    def _display(self, values: Values) -> dict[str, Any]:
        return {
            "answer": _answer_label(values.answer),
            "coverage": _coverage_label(values.coverage),
            "justification": values.justification,
            "evidence": [self.evidence_label(ref) for ref in sorted(values.evidence)],
        }

    def preview_rows(self) -> list[dict[str, Any]]:
        """For the preview page: per indicator, old and new value of each field."""
        labels = {
            "answer": _("Answer"),
            "coverage": _("Coverage"),
            "justification": _("Justification"),
            "evidence": _("Evidence"),
        }
        rows = []
        for change in self.changes:
            old, new = self._display(change.old), self._display(change.new)
            changed = change.fields
            rows.append(
                {
                    "code": change.response.indicator.code,
                    "question": localized(change.response.indicator, "question"),
                    "row": change.row.number,
                    "fields": [
                        {
                            "name": name,
                            "label": labels[name],
                            "old": old[name],
                            "new": new[name],
                            "changed": name in changed,
                        }
                        for name in VALUE_FIELDS
                        if name != "coverage" or change.response.indicator.has_coverage
                    ],
                }
            )
        return rows

    def _json_values(self, values: Values) -> dict[str, Any]:
        return {
            "answer": values.answer or None,
            "coverage": values.coverage or None,
            "justification": values.justification,
            "evidence": [self.ref_names.get(r, r) for r in sorted(values.evidence)],
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "changes": [
                {
                    "row": c.row.number,
                    "indicator": c.response.indicator.code,
                    "response": c.response.pk,
                    "version": c.version,
                    "fields": c.fields,
                    "old": self._json_values(c.old),
                    "new": self._json_values(c.new),
                }
                for c in self.changes
            ],
            "new_evidence": [e.as_dict() for e in self.new_evidence],
            "unchanged": self.unchanged,
        }


def _current_values(response: Response) -> Values:
    return Values(
        answer=response.answer,
        coverage=response.coverage,
        justification=response.justification,
        evidence=frozenset(_norm_ref(evidence_ref(e.pk)) for e in response.evidence.all()),
    )


def _check_meta(workbook: Any, plan: ImportPlan) -> None:
    rows = read_sheet(workbook, SHEET_META, META_COLUMNS, plan.errors)
    if rows is None:
        return
    found = {row.text("key"): row for row in rows}
    expected = {
        "assessment": str(plan.assessment.pk),
        "institution": plan.institution.acronym,
    }
    for key, value in expected.items():
        row = found.get(key)
        if row is None:
            plan.errors.append(
                CellError(
                    SHEET_META, None, None, _("The entry “%(key)s” is missing.") % {"key": key}
                )
            )
        elif row.text("value").casefold() != value.casefold():
            plan.errors.append(
                row.error(
                    "value",
                    _(
                        "This workbook was exported for another assessment or institution; "
                        "export your own workbook and fill that one."
                    ),
                )
            )


def _read_evidence(workbook: Any, plan: ImportPlan) -> set[str]:
    """The Evidence sheet: existing rows unchanged, new rows valid. Returns the known refs."""
    known = set(plan.existing_evidence)
    rows = read_sheet(workbook, SHEET_EVIDENCE, EVIDENCE_COLUMNS, plan.errors)
    if rows is None:
        return known
    kinds = _lookup(Evidence.Kind.choices)
    instruments = _lookup(Evidence.InstrumentType.choices)
    seen: dict[str, int] = {}
    for row in rows:
        ref = row.text("ref")
        if not ref:
            plan.errors.append(row.error("ref", _("Give the evidence a reference.")))
            continue
        if not REF_RE.match(ref):
            plan.errors.append(
                row.error("ref", _("A reference is one word, without spaces or commas."))
            )
            continue
        key = _norm_ref(ref)
        if key in seen:
            plan.errors.append(
                row.error(
                    "ref",
                    _("The reference %(ref)s is already used in row %(row)s.")
                    % {"ref": ref, "row": seen[key]},
                )
            )
            continue
        seen[key] = row.number
        plan.ref_names[key] = ref
        kind = kinds.get(_norm_text(row.text("kind")), "")
        instrument_type = instruments.get(_norm_text(row.text("instrument_type")), "")
        year_text = row.text("year")
        existing = plan.existing_evidence.get(key)
        if existing is not None:
            current = {
                k: "" if v is None else str(v) for k, v in _evidence_values(existing).items()
            }
            given = {name: row.text(name) for name in EVIDENCE_COLUMNS}
            given["kind"] = kind or given["kind"]
            given["instrument_type"] = instrument_type or given["instrument_type"]
            for name in EVIDENCE_COLUMNS[1:]:
                if _norm_text(given[name]) != _norm_text(current[name]):
                    plan.errors.append(
                        row.error(
                            name,
                            _(
                                "Evidence already in the portal cannot be changed through Excel; "
                                "change it in the evidence library, or add a new row."
                            ),
                        )
                    )
                    break
            continue
        problems = len(plan.errors)
        if not kind:
            plan.errors.append(row.error("kind", _("Choose citation or link.")))
        elif kind == Evidence.Kind.FILE:
            plan.errors.append(
                row.error(
                    "kind", _("Files cannot be added through Excel; upload them on the portal.")
                )
            )
        if row.text("instrument_type") and not instrument_type:
            plan.errors.append(
                row.error("instrument_type", _("Choose an instrument type from the list."))
            )
        elif kind == Evidence.Kind.CITATION and not instrument_type:
            plan.errors.append(row.error("instrument_type", _("Choose the type of instrument.")))
        year: int | None = None
        if year_text:
            if year_text.isdigit() and 1800 <= int(year_text) <= 2100:
                year = int(year_text)
            else:
                plan.errors.append(row.error("year", _("Give the year as four digits.")))
        if kind == Evidence.Kind.LINK and not row.text("url"):
            plan.errors.append(row.error("url", _("Give the link.")))
        item = NewEvidence(
            row=row,
            ref=ref,
            kind=kind,
            instrument_type=instrument_type,
            number=row.text("number"),
            year=year,
            title=row.text("title"),
            article=row.text("article"),
            url=row.text("url"),
        )
        if not item.title:
            plan.errors.append(row.error("title", _("Give a title.")))
        if len(plan.errors) == problems:
            model = item.as_model()
            try:
                model.full_clean(
                    exclude=["assessment", "institution", "file", "created_by", "kind"]
                )
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    column = name if name in EVIDENCE_COLUMNS else "ref"
                    plan.errors.append(row.error(column, " ".join(messages)))
        if not plan.assessment.is_collecting:
            plan.errors.append(row.error("ref", _("The assessment is not collecting answers.")))
        plan.new_evidence.append(item)
        known.add(key)
    return known


def _read_responses(
    workbook: Any, plan: ImportPlan, data: WorkbookData, known_refs: set[str], codes: set[str]
) -> None:
    rows = read_sheet(workbook, SHEET_RESPONSES, RESPONSE_COLUMNS, plan.errors)
    if rows is None:
        return
    by_code = {r.indicator.code: r for r in data.responses}
    answers = _lookup(Indicator.Answer.choices, ANSWER_ALIASES)
    coverages = _lookup(Indicator.Coverage.choices)
    roles = _lookup(Assignment.Role.choices)
    seen: dict[str, int] = {}
    for row in rows:
        code = row.text("code")
        if not code:
            plan.errors.append(row.error("code", _("The indicator code is missing.")))
            continue
        if code in seen:
            plan.errors.append(
                row.error(
                    "code",
                    _("The indicator %(code)s appears twice (also in row %(row)s).")
                    % {"code": code, "row": seen[code]},
                )
            )
            continue
        seen[code] = row.number
        response = by_code.get(code)
        if response is None:
            message = (
                _("The indicator %(code)s is not assigned to your institution.")
                if code in codes
                else _("Unknown indicator code “%(code)s”.")
            )
            plan.errors.append(row.error("code", message % {"code": code}))
            continue
        problems = len(plan.errors)
        indicator = response.indicator
        protected = _("This column is locked; it must stay as exported.")
        if row.text("dimension") != str(indicator.dimension.number):
            plan.errors.append(row.error("dimension", protected))
        question = _norm_text(row.text("question"))
        if question not in {
            _norm_text(indicator.question_en),
            _norm_text(indicator.question_id or indicator.question_en),
        }:
            plan.errors.append(row.error("question", protected))
        role = roles.get(_norm_text(row.text("role")))
        if role != data.roles.get(indicator.pk):
            plan.errors.append(row.error("role", protected))
        version_text = row.text("version")
        if not version_text.isdigit() or int(version_text) > response.version:
            plan.errors.append(row.error("version", protected))
        # The values the row asks for.
        answer_text = row.text("answer")
        answer = answers.get(_norm_text(answer_text), None) if answer_text else ""
        if answer is None:
            plan.errors.append(
                row.error(
                    "answer",
                    _("“%(value)s” is not an answer; choose Yes, Partially or No.")
                    % {"value": answer_text},
                )
            )
        coverage_text = row.text("coverage")
        coverage = coverages.get(_norm_text(coverage_text), None) if coverage_text else ""
        if coverage is None:
            plan.errors.append(
                row.error(
                    "coverage",
                    _("“%(value)s” is not a coverage; choose a value from the list.")
                    % {"value": coverage_text},
                )
            )
        if answer is not None and coverage is not None:
            try:
                services.clean_response_values(response, {"answer": answer, "coverage": coverage})
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    plan.errors.append(row.error(name, " ".join(messages)))
        refs = [r for r in REF_SPLIT_RE.split(row.text("evidence")) if r]
        unknown = [r for r in refs if _norm_ref(r) not in known_refs]
        if unknown:
            plan.errors.append(
                row.error(
                    "evidence",
                    _("Unknown evidence reference: %(refs)s. List it in the Evidence sheet.")
                    % {"refs": ", ".join(unknown)},
                )
            )
        if len(plan.errors) != problems:
            continue
        assert answer is not None and coverage is not None
        new = Values(
            answer=answer,
            coverage="" if answer == Indicator.Answer.NOT_APPLICABLE else coverage,
            justification=row.text("justification").replace("\r\n", "\n"),
            evidence=frozenset(_norm_ref(r) for r in refs),
        )
        old = _current_values(response)
        if new == old:
            plan.unchanged += 1
            continue
        first_changed = next(f for f in VALUE_FIELDS if getattr(old, f) != getattr(new, f))
        if not response.is_editable:
            plan.errors.append(
                row.error(
                    first_changed,
                    _(
                        "Your institution has submitted this answer; it can no longer be changed "
                        "unless it is returned to you."
                    ),
                )
            )
            continue
        if not plan.assessment.is_collecting:
            plan.errors.append(
                row.error(first_changed, _("The assessment is not collecting answers."))
            )
            continue
        if int(version_text) != response.version:
            plan.errors.append(
                row.error(
                    "version",
                    _(
                        "This answer was changed on the portal after the workbook was exported "
                        "(version %(old)s, now %(new)s). Export the workbook again, or make your "
                        "change on the portal."
                    )
                    % {"old": version_text, "new": response.version},
                )
            )
            continue
        plan.changes.append(RowChange(row, response, response.version, old, new))


def plan_import(
    *, assessment: Assessment, institution: Institution, upload: IO[bytes], name: str = ""
) -> ImportPlan:
    """Read an uploaded workbook and compare it with the portal; writes nothing."""
    plan = ImportPlan(assessment, institution, name)
    try:
        workbook = open_workbook(upload, name=name)
    except WorkbookError as exc:
        plan.readable = False
        plan.errors = list(exc.errors)
        return plan
    try:
        data = workbook_data(assessment, institution)
        plan.existing_evidence = {_norm_ref(evidence_ref(e.pk)): e for e in data.evidence}
        plan.ref_names = {_norm_ref(evidence_ref(e.pk)): evidence_ref(e.pk) for e in data.evidence}
        codes = set(
            Indicator.objects.filter(framework_id=assessment.framework_id).values_list(
                "code", flat=True
            )
        )
        _check_meta(workbook, plan)
        known = _read_evidence(workbook, plan)
        _read_responses(workbook, plan, data, known, codes)
    finally:
        workbook.close()
    return plan


# --- import: storing and applying -----------------------------------------------------------


class ImportRefused(Exception):
    """The workbook cannot be applied; `errors` says where and why. Nothing was written."""

    def __init__(self, errors: list[CellError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def clean_filename(name: str) -> str:
    base = os.path.basename(name or "").strip() or "workbook.xlsx"
    return base[-255:]


def import_reason(filename: str) -> str:
    return _("Excel import (%(filename)s)") % {"filename": filename}


@transaction.atomic
def matrix_import_create(
    *, assessment: Assessment, institution: Institution, actor: User, upload: UploadedFile
) -> tuple[MatrixImport | None, ImportPlan]:
    """Check an upload and keep it for its preview; an unreadable file is not kept."""
    filename = clean_filename(upload.name or "")
    plan = plan_import(assessment=assessment, institution=institution, upload=upload, name=filename)
    if not plan.readable:
        return None, plan
    upload.seek(0)
    matrix_import = MatrixImport(
        assessment=assessment,
        institution=institution,
        uploaded_by=actor,
        filename=filename,
        status=MatrixImport.Status.PREVIEWED if plan.ok else MatrixImport.Status.REFUSED,
    )
    matrix_import.file.save(filename, upload, save=False)
    matrix_import.save()
    return matrix_import, plan


def _apply(plan: ImportPlan, *, actor: User, reason: str) -> None:
    created: dict[str, Evidence] = {}
    for item in plan.new_evidence:
        try:
            created[_norm_ref(item.ref)] = services.evidence_create(
                assessment=plan.assessment,
                institution=plan.institution,
                actor=actor,
                kind=item.kind,
                title=item.title,
                instrument_type=item.instrument_type,
                number=item.number,
                year=item.year,
                article=item.article,
                url=item.url,
            )
        except ValidationError as exc:
            raise ImportRefused(
                [
                    item.row.error(name if name in EVIDENCE_COLUMNS else "ref", " ".join(msgs))
                    for name, msgs in exc.message_dict.items()
                ]
            ) from exc
    evidence_by_ref = {**plan.existing_evidence, **created}
    changes = [
        services.ResponseChange(
            response=change.response,
            version=change.version,
            values={
                "answer": change.new.answer,
                "coverage": change.new.coverage,
                "justification": change.new.justification,
            },
            evidence=[evidence_by_ref[ref] for ref in sorted(change.new.evidence)]
            if "evidence" in change.fields
            else None,
        )
        for change in plan.changes
    ]
    try:
        services.responses_update_bulk(changes=changes, actor=actor, reason=reason)
    except services.ChangeRefused as refused:
        change, error = plan.changes[refused.index], refused.error
        if isinstance(error, services.StaleResponse):
            raise ImportRefused(
                [
                    change.row.error(
                        "version",
                        _(
                            "This answer was changed on the portal a moment ago; nothing was "
                            "imported. Check the preview again."
                        ),
                    )
                ]
            ) from error
        if isinstance(error, ValidationError):
            raise ImportRefused(
                [
                    change.row.error(name if name in RESPONSE_COLUMNS else "answer", " ".join(m))
                    for name, m in error.message_dict.items()
                ]
            ) from error
        assert isinstance(error, services.ServiceError)
        raise ImportRefused([change.row.error(change.fields[0], error.message)]) from error


def matrix_import_apply(
    *, matrix_import: MatrixImport, actor: User, plan: ImportPlan | None = None
) -> ImportPlan:
    """Re-check the stored workbook and apply it, all or nothing.

    `plan` may be passed when it was computed a moment ago in the same request; the
    version check of every response still guards against a save in between.
    """
    with transaction.atomic():
        # Locked so that two clicks on Apply cannot both apply the same workbook.
        locked = (
            MatrixImport.objects.select_for_update(of=("self",))
            .select_related("assessment", "institution")
            .get(pk=matrix_import.pk)
        )
        if locked.status != MatrixImport.Status.PREVIEWED:
            raise ImportRefused(
                [
                    CellError(
                        locked.filename,
                        None,
                        None,
                        _("This workbook has already been applied or was refused."),
                    )
                ]
            )
        if plan is None:
            with locked.file.open("rb") as handle:
                plan = plan_import(
                    assessment=locked.assessment,
                    institution=locked.institution,
                    upload=handle,
                    name=locked.filename,
                )
        if not plan.ok:
            raise ImportRefused(plan.errors)
        _apply(plan, actor=actor, reason=import_reason(locked.filename))
        locked.status = MatrixImport.Status.APPLIED
        locked.applied_at = timezone.now()
        locked.save(update_fields=["status", "applied_at"])
        matrix_import.status, matrix_import.applied_at = locked.status, locked.applied_at
    return plan


def matrix_import_upload_and_apply(
    *, assessment: Assessment, institution: Institution, actor: User, upload: UploadedFile
) -> tuple[MatrixImport, ImportPlan]:
    """Check, keep and apply an upload in one go (the API without `dry_run`)."""
    matrix_import, plan = matrix_import_create(
        assessment=assessment, institution=institution, actor=actor, upload=upload
    )
    if matrix_import is None or not plan.ok:
        raise ImportRefused(plan.errors)
    return matrix_import, matrix_import_apply(matrix_import=matrix_import, actor=actor, plan=plan)
