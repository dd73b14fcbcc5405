"""Reading the answers workbook's sheets, cell by cell: the _meta sheet, the Evidence sheet,
and each row of the Responses sheet (which indicator, its locked columns, the values asked
for). Every problem becomes a `CellError` on the plan; comparing a valid row with the answer
in the portal is `compare.py`'s part.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.collection import citations
from assessments.collection import services as collection_services
from assessments.collection.workbook.common import (
    ANSWER_ALIASES,
    EVIDENCE_COLUMNS,
    EVIDENCE_REQUIRED,
    META_COLUMNS,
    NOTHING_TO_ADD,
    NOTHING_TO_ADD_LABEL,
    REF_RE,
    REF_SPLIT_RE,
    RESPONSE_COLUMNS,
    SHEET_EVIDENCE,
    SHEET_META,
    _evidence_values,
    _norm_ref,
    _norm_text,
    portal_values,
)
from assessments.collection.workbook.plan import ImportPlan, NewEvidence, Values
from assessments.collection.workbook.vocabulary import (
    INSTRUMENT_KEYWORDS,
    KIND_KEYWORDS,
    choose_kind_message,
    every_language,
    read_workbook_sheet,
    sheet_label,
)
from assessments.models import Assignment, Evidence, Response
from config import text as text_rules
from config.text import text_problem
from indicators.bilingual import LANGUAGES
from indicators.instruments import instrument_lookup, references
from indicators.models import Indicator, LegalInstrument
from indicators.spreadsheets import CellError, SheetRow, read_sheet


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


# --- the _meta sheet ------------------------------------------------------------------------


def check_meta(workbook: Any, plan: ImportPlan) -> None:
    """The workbook was exported for this assessment and this institution."""
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


# --- the Evidence sheet ---------------------------------------------------------------------


def _evidence_key(row: SheetRow, plan: ImportPlan, seen: dict[str, int]) -> str | None:
    """The row's normalised reference, or None (with an error) when it has no usable one."""
    ref = row.text("ref")
    if not ref:
        plan.errors.append(row.error("ref", _("Give the evidence a reference.")))
        return None
    if not REF_RE.match(ref):
        plan.errors.append(
            row.error("ref", _("A reference is one word, without spaces or commas."))
        )
        return None
    key = _norm_ref(ref)
    if key in seen:
        plan.errors.append(
            row.error(
                "ref",
                _("The reference %(ref)s is already used in row %(row)s.")
                % {"ref": ref, "row": seen[key]},
            )
        )
        return None
    seen[key] = row.number
    plan.ref_names[key] = ref
    return key


def _check_unchanged(
    row: SheetRow, plan: ImportPlan, existing: Evidence, kind: str, instrument_type: str
) -> None:
    """A row of evidence already in the portal must stay as exported."""
    current = {k: "" if v is None else str(v) for k, v in _evidence_values(existing).items()}
    given = {name: row.text(name) for name in EVIDENCE_COLUMNS}
    given["kind"] = kind or given["kind"]
    given["instrument_type"] = instrument_type or given["instrument_type"]
    for name in EVIDENCE_COLUMNS[1:]:
        if name not in row.values:
            continue  # "instrument": a workbook exported before the column existed
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
            return


def _evidence_year(row: SheetRow, plan: ImportPlan) -> int | None:
    year_text = row.text("year")
    if not year_text:
        return None
    if year_text.isdigit() and 1800 <= int(year_text) <= 2100:
        return int(year_text)
    plan.errors.append(row.error("year", _("Give the year as four digits.")))
    return None


def _check_kind(row: SheetRow, plan: ImportPlan, kind: str, instrument_type: str) -> None:
    if not kind:
        plan.errors.append(row.error("kind", choose_kind_message()))
    elif kind == Evidence.Kind.FILE:
        plan.errors.append(
            row.error("kind", _("Files cannot be added through Excel; upload them on the portal."))
        )
    if row.text("instrument_type") and not instrument_type:
        plan.errors.append(
            row.error("instrument_type", _("Choose an instrument type from the list."))
        )
    elif kind == Evidence.Kind.CITATION and not instrument_type:
        plan.errors.append(row.error("instrument_type", _("Choose the type of instrument.")))


def _instrument(
    row: SheetRow, plan: ImportPlan, kind: str, known: dict[str, LegalInstrument]
) -> LegalInstrument | None:
    """The instrument of the register the row's "instrument" cell names (None when empty, or
    with an error when it names none or the row is not a citation)."""
    text = row.text("instrument")
    if not text:
        return None
    instrument = instrument_lookup(text, known)
    if instrument is None:
        plan.errors.append(
            row.error(
                "instrument",
                _(
                    "“%(value)s” is not in the register of legal instruments: give its short "
                    "form, such as UU 18/2017, or its register number, or leave the cell empty "
                    "and fill in the type, number, year and title."
                )
                % {"value": text},
            )
        )
    elif kind and kind != Evidence.Kind.CITATION:
        plan.errors.append(row.error("instrument", _("Only a legal citation names an instrument.")))
        return None
    return instrument


def _new_evidence(
    row: SheetRow,
    plan: ImportPlan,
    kind: str,
    instrument_type: str,
    known: dict[str, LegalInstrument],
) -> NewEvidence:
    """A row that is not in the portal yet: checked as the evidence form would check it. A
    citation naming an instrument of the register takes its type, number, year and title."""
    problems = len(plan.errors)
    instrument = _instrument(row, plan, kind, known)
    typed = {name: row.text(name) for name in ("number", "title")}
    if instrument is not None:
        picked = citations.fields_from_instrument(instrument)
        typed = {name: picked[name] for name in ("number", "title")}
        instrument_type = picked["instrument_type"]
    elif row.text("instrument"):
        instrument_type = instrument_type or Evidence.InstrumentType.OTHER  # one error only
    _check_kind(row, plan, kind, instrument_type)
    year = instrument.year if instrument is not None else _evidence_year(row, plan)
    if kind == Evidence.Kind.LINK and not row.text("url"):
        plan.errors.append(row.error("url", _("Give the link.")))
    item = NewEvidence(
        row=row,
        ref=row.text("ref"),
        kind=kind,
        instrument_type=instrument_type,
        number=typed["number"],
        year=year,
        title=typed["title"],
        article=row.text("article"),
        url=row.text("url"),
        instrument=instrument,
    )
    if not item.title and not row.text("instrument"):
        plan.errors.append(row.error("title", _("Give a title.")))
    for name in ("title", "number", "article", "url"):
        limit = getattr(Evidence._meta.get_field(name), "max_length", None) or text_rules.NOTE
        problem = text_problem(getattr(item, name), limit)
        if problem:
            plan.errors.append(row.error(name, problem))
    if len(plan.errors) == problems:
        try:
            item.as_model().full_clean(
                exclude=["assessment", "institution", "file", "created_by", "kind"]
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                column = name if name in EVIDENCE_COLUMNS else "ref"
                plan.errors.append(row.error(column, " ".join(messages)))
    if not plan.assessment.is_collecting:
        plan.errors.append(row.error("ref", _("The assessment is not collecting answers.")))
    return item


def read_evidence(workbook: Any, plan: ImportPlan) -> set[str]:
    """The Evidence sheet: existing rows unchanged, new rows valid. Returns the known refs."""
    known = set(plan.existing_evidence)
    rows = read_workbook_sheet(workbook, SHEET_EVIDENCE, EVIDENCE_REQUIRED, plan.errors)
    if rows is None:
        return known
    # Codes, labels and the workbook's keywords, in either language.
    kinds = _lookup(Evidence.Kind.choices, every_language(KIND_KEYWORDS))
    instruments = _lookup(Evidence.InstrumentType.choices, every_language(INSTRUMENT_KEYWORDS))
    seen: dict[str, int] = {}
    register = references()
    for row in rows:
        key = _evidence_key(row, plan, seen)
        if key is None:
            continue
        kind = kinds.get(_norm_text(row.text("kind")), "")
        instrument_type = instruments.get(_norm_text(row.text("instrument_type")), "")
        existing = plan.existing_evidence.get(key)
        if existing is not None:
            _check_unchanged(row, plan, existing, kind, instrument_type)
            continue
        plan.new_evidence.append(_new_evidence(row, plan, kind, instrument_type, register))
        known.add(key)
    return known


# --- rows of the Responses sheet ------------------------------------------------------------


@dataclass
class ResponseLookups:
    """The labels a cell may hold, by normalised text; built once per import."""

    answers: dict[str, str]
    coverages: dict[str, str]
    roles: dict[str, str]

    @classmethod
    def build(cls) -> "ResponseLookups":
        return cls(
            answers=_lookup(
                [*Indicator.Answer.choices, (NOTHING_TO_ADD, NOTHING_TO_ADD_LABEL)],
                ANSWER_ALIASES,
            ),
            coverages=_lookup(Indicator.Coverage.choices),
            roles=_lookup(Assignment.Role.choices),
        )


def row_response(
    row: SheetRow,
    plan: ImportPlan,
    by_code: dict[str, Response],
    seen: dict[str, int],
    codes: set[str],
) -> Response | None:
    """The institution's answer the row is about, or None (with an error) when the code is
    missing, repeated, unknown or not assigned to the institution."""
    code = row.text("code")
    if not code:
        plan.errors.append(row.error("code", _("The indicator code is missing.")))
        return None
    if code in seen:
        plan.errors.append(
            row.error(
                "code",
                _("The indicator %(code)s appears twice (also in row %(row)s).")
                % {"code": code, "row": seen[code]},
            )
        )
        return None
    seen[code] = row.number
    response = by_code.get(code)
    if response is None:
        message = (
            _("The indicator %(code)s is not assigned to your institution.")
            if code in codes
            else _("Unknown indicator code “%(code)s”.")
        )
        plan.errors.append(row.error("code", message % {"code": code}))
    return response


def check_locked(
    row: SheetRow,
    plan: ImportPlan,
    response: Response,
    lookups: ResponseLookups,
    roles: dict[int, str],
) -> None:
    """The locked columns (dimension, question, role, version) are as exported."""
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
    role = lookups.roles.get(_norm_text(row.text("role")))
    if role != roles.get(indicator.pk):
        plan.errors.append(row.error("role", protected))
    version_text = row.text("version")
    if not version_text.isdigit() or int(version_text) > response.version:
        plan.errors.append(row.error("version", protected))


def _choice(
    row: SheetRow, plan: ImportPlan, name: str, table: dict[str, str], message: str
) -> str | None:
    """The code a cell names ("" when empty), or None (with an error) when it names none."""
    text = row.text(name)
    if not text:
        return ""
    value = table.get(_norm_text(text))
    if value is None:
        plan.errors.append(row.error(name, message % {"value": text}))
    return value


def row_values(
    row: SheetRow,
    plan: ImportPlan,
    response: Response,
    lookups: ResponseLookups,
    known_refs: set[str],
) -> Values | None:
    """The values the row asks for, checked as a save on the portal would check them; None
    when the answer or the coverage names no value. Problems are errors on the plan."""
    answer = _choice(
        row,
        plan,
        "answer",
        lookups.answers,
        _("“%(value)s” is not an answer; choose Yes, Partially or No."),
    )
    coverage = _choice(
        row,
        plan,
        "coverage",
        lookups.coverages,
        _("“%(value)s” is not a coverage; choose a value from the list."),
    )
    if answer is not None and coverage is not None:
        try:
            collection_services.clean_response_values(response, portal_values(answer, coverage))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                column = name if name in RESPONSE_COLUMNS else "answer"
                plan.errors.append(row.error(column, " ".join(messages)))
    refs = [r for r in REF_SPLIT_RE.split(row.text("evidence")) if r]
    unknown = [r for r in refs if _norm_ref(r) not in known_refs]
    if unknown:
        plan.errors.append(
            row.error(
                "evidence",
                _("Unknown evidence reference: %(refs)s. List it in the %(sheet)s sheet.")
                % {"refs": ", ".join(unknown), "sheet": sheet_label(SHEET_EVIDENCE)},
            )
        )
    justification = row.text("justification").replace("\r\n", "\n")
    problem = text_problem(justification, text_rules.JUSTIFICATION)
    if problem:
        plan.errors.append(row.error("justification", problem))
    if answer is None or coverage is None:
        return None
    return Values(
        answer=answer,
        coverage="" if answer in (Indicator.Answer.NOT_APPLICABLE, NOTHING_TO_ADD) else coverage,
        justification=justification,
        evidence=frozenset(_norm_ref(r) for r in refs),
    )
