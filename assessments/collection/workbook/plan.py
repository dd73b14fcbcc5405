"""What an import of the answers workbook would change: the plan, its changed rows and new
evidence, and how the preview page and the API show them.

The plan is built by `compare.plan_import` (reading the sheets in `sheets.py`, comparing
each row with the portal in `compare.py`) and applied by `apply.py`.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from assessments.collection.workbook.common import (
    NOTHING_TO_ADD,
    VALUE_FIELDS,
    _answer_label,
    _coverage_label,
    _norm_ref,
)
from assessments.models import Assessment, Evidence, Response
from indicators.bilingual import localized
from indicators.models import LegalInstrument
from indicators.spreadsheets import CellError, SheetRow
from ministries.models import Institution


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
    instrument: LegalInstrument | None = None

    @property
    def label(self) -> str:
        return self.as_model().label

    def as_model(self) -> Evidence:
        return Evidence(
            kind=self.kind,
            instrument=self.instrument,
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
            "instrument": self.instrument.pk if self.instrument else None,
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
        nothing = values.answer == NOTHING_TO_ADD
        return {
            "answer": None if nothing else values.answer or None,
            "nothing_to_add": nothing,
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
