"""Import, reading and comparing: what an uploaded workbook would change, or why it cannot."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from indicators.bilingual import LANGUAGES, localized
from indicators.models import Indicator
from indicators.spreadsheets import (
    CellError,
    SheetRow,
    WorkbookError,
    open_workbook,
    read_sheet,
)
from ministries.models import Institution

from .. import services
from ..models import Assessment, Assignment, Evidence, Response
from .common import (
    ANSWER_ALIASES,
    EVIDENCE_COLUMNS,
    META_COLUMNS,
    REF_RE,
    REF_SPLIT_RE,
    RESPONSE_COLUMNS,
    SHEET_EVIDENCE,
    SHEET_META,
    SHEET_RESPONSES,
    VALUE_FIELDS,
    WorkbookData,
    _answer_label,
    _coverage_label,
    _evidence_values,
    _norm_ref,
    _norm_text,
    evidence_ref,
    workbook_data,
)


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
