"""What the export and the import share: sheet and column names, refs, and the portal's data."""

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import pgettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill, Protection

from assessments.models import Assessment, Assignment, Evidence, Response
from indicators.instruments import reference
from indicators.models import Indicator
from ministries.models import Institution

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
    # A citation of the register, by its short form ("UU 18/2017") or register number; last,
    # so workbooks exported before it existed (without the column) still import.
    "instrument",
]
EVIDENCE_REQUIRED = [c for c in EVIDENCE_COLUMNS if c != "instrument"]
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


# A contributor's "nothing to add" is written in the answer column: a value of its own beside
# the framework's answers, stored as `Response.nothing_to_add` with no answer.
NOTHING_TO_ADD = "nothing_to_add"
NOTHING_TO_ADD_LABEL = pgettext_lazy("answers workbook answer", "Nothing to add")


def _answer_label(value: str) -> str:
    if value == NOTHING_TO_ADD:
        return str(NOTHING_TO_ADD_LABEL)
    return str(Indicator.Answer(value).label) if value else ""


def portal_values(answer: str, coverage: str) -> dict[str, Any]:
    """The answer column's value as the portal stores it: "nothing to add" is no answer and
    the flag; any other value (or none) takes the flag back."""
    if answer == NOTHING_TO_ADD:
        return {"answer": "", "coverage": "", "nothing_to_add": True}
    return {"answer": answer, "coverage": coverage, "nothing_to_add": False}


def answer_value(response: Response) -> str:
    """The answer column's value for a response: its answer, or "nothing to add"."""
    if response.nothing_to_add and not response.answer:
        return NOTHING_TO_ADD
    return response.answer


def _coverage_label(value: str) -> str:
    return str(Indicator.Coverage(value).label) if value else ""


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
        "instrument": reference(item.instrument) if item.instrument else None,
    }


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
        Evidence.objects.filter(assessment=assessment, institution=institution)
        .select_related("instrument__issuer")
        .order_by("pk")
    )
    for response in responses:
        # The write path checks the assessment's status: no query per row for it.
        response.assessment = assessment
        response.institution = institution
    return WorkbookData(assessment, institution, responses, roles, evidence)
