"""The answers workbook's own words: sheet names, column headers and the keywords of the
evidence columns (kind, instrument type), written in the exporting person's language and
understood in English or Bahasa Indonesia on the way back, whatever the language of the person
importing.

In English they are the names the workbook always had ("Responses", "answer", "citation",
"law"), so English workbooks are unchanged; Bahasa Indonesia has its own ("Jawaban",
"jawaban", "kutipan", "UU"). The codes are accepted too. The hidden sheets (_meta, _lists)
keep their names: nobody reads them.
"""

from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from assessments.collection.workbook.common import (
    SHEET_EVIDENCE,
    SHEET_INSTRUCTIONS,
    SHEET_RESPONSES,
)
from assessments.models import Evidence
from indicators.bilingual import LANGUAGES
from indicators.spreadsheets import CellError, SheetRow, read_sheet

SHEET_LABELS: dict[str, Promise] = {
    SHEET_INSTRUCTIONS: pgettext_lazy("answers workbook sheet", "Instructions"),
    SHEET_RESPONSES: pgettext_lazy("answers workbook sheet", "Responses"),
    SHEET_EVIDENCE: pgettext_lazy("answers workbook sheet", "Evidence"),
}
COLUMN_LABELS: dict[str, Promise] = {
    "code": pgettext_lazy("answers workbook column", "code"),
    "dimension": pgettext_lazy("answers workbook column", "dimension"),
    "question": pgettext_lazy("answers workbook column", "question"),
    "role": pgettext_lazy("answers workbook column", "role"),
    "answer": pgettext_lazy("answers workbook column", "answer"),
    "coverage": pgettext_lazy("answers workbook column", "coverage"),
    "justification": pgettext_lazy("answers workbook column", "justification"),
    "evidence": pgettext_lazy("answers workbook column", "evidence"),
    "version": pgettext_lazy("answers workbook column", "version"),
    "ref": pgettext_lazy("answers workbook column", "ref"),
    "kind": pgettext_lazy("answers workbook column", "kind"),
    "instrument_type": pgettext_lazy("answers workbook column", "instrument_type"),
    "number": pgettext_lazy("answers workbook column", "number"),
    "year": pgettext_lazy("answers workbook column", "year"),
    "title": pgettext_lazy("answers workbook column", "title"),
    "article": pgettext_lazy("answers workbook column", "article"),
    "url": pgettext_lazy("answers workbook column", "url"),
    "instrument": pgettext_lazy("answers workbook column", "instrument"),
}
KIND_KEYWORDS: dict[str, Promise] = {
    Evidence.Kind.CITATION: pgettext_lazy("answers workbook evidence kind", "citation"),
    Evidence.Kind.LINK: pgettext_lazy("answers workbook evidence kind", "link"),
    Evidence.Kind.FILE: pgettext_lazy("answers workbook evidence kind", "file"),
}
_INSTRUMENT = "answers workbook instrument type"
INSTRUMENT_KEYWORDS: dict[str, Promise] = {
    Evidence.InstrumentType.CONSTITUTION: pgettext_lazy(_INSTRUMENT, "constitution"),
    Evidence.InstrumentType.LAW: pgettext_lazy(_INSTRUMENT, "law"),
    Evidence.InstrumentType.GOVERNMENT_REGULATION: pgettext_lazy(
        _INSTRUMENT, "government_regulation"
    ),
    Evidence.InstrumentType.PRESIDENTIAL_REGULATION: pgettext_lazy(
        _INSTRUMENT, "presidential_regulation"
    ),
    Evidence.InstrumentType.PRESIDENTIAL_DECREE: pgettext_lazy(_INSTRUMENT, "presidential_decree"),
    Evidence.InstrumentType.MINISTERIAL_REGULATION: pgettext_lazy(
        _INSTRUMENT, "ministerial_regulation"
    ),
    Evidence.InstrumentType.REGIONAL_REGULATION: pgettext_lazy(_INSTRUMENT, "regional_regulation"),
    Evidence.InstrumentType.GOVERNOR_REGULATION: pgettext_lazy(_INSTRUMENT, "governor_regulation"),
    Evidence.InstrumentType.DECREE: pgettext_lazy(_INSTRUMENT, "decree"),
    Evidence.InstrumentType.STRATEGY: pgettext_lazy(_INSTRUMENT, "strategy"),
    Evidence.InstrumentType.AGREEMENT: pgettext_lazy(_INSTRUMENT, "agreement"),
    Evidence.InstrumentType.OTHER: pgettext_lazy(_INSTRUMENT, "other"),
}


# --- in the active language (the export, the messages) -------------------------------------


def sheet_label(name: str) -> str:
    return str(SHEET_LABELS[name])


def column_label(name: str) -> str:
    return str(COLUMN_LABELS.get(name, name))


def kind_keyword(code: str) -> str:
    return str(KIND_KEYWORDS.get(code, code))


def instrument_keyword(code: str) -> str:
    return str(INSTRUMENT_KEYWORDS.get(code, code)) if code else ""


def choose_kind_message() -> str:
    return _("Choose %(citation)s or %(link)s.") % {
        "citation": kind_keyword(Evidence.Kind.CITATION),
        "link": kind_keyword(Evidence.Kind.LINK),
    }


# --- in every language (the import) ---------------------------------------------------------


def norm_word(text: str) -> str:
    """Headers and sheet names compare without case, and "instrument_type" matches
    "instrument type"."""
    return " ".join(str(text).replace("_", " ").split()).casefold()


def every_language(labels: dict[str, Promise]) -> dict[str, str]:
    """Each label in every language, and each key itself, as text -> key."""
    table: dict[str, str] = {key: key for key in labels}
    for language in LANGUAGES:
        with translation.override(language):
            for key, label in labels.items():
                table.setdefault(str(label), key)
    return table


def find_sheet(workbook: Any, name: str) -> str | None:
    """The sheet of the workbook that is `name` in either language, if there is one."""
    wanted = {norm_word(text) for text, key in every_language(SHEET_LABELS).items() if key == name}
    return next((s for s in workbook.sheetnames if norm_word(s) in wanted), None)


def read_workbook_sheet(
    workbook: Any, name: str, columns: list[str], errors: list[CellError]
) -> list[SheetRow] | None:
    """The rows of one of the visible sheets, whichever language its name and headers are in;
    a missing sheet or column is named in the reader's language."""
    found = find_sheet(workbook, name)
    if found is None:
        errors.append(CellError(sheet_label(name), None, None, _("The sheet is missing.")))
        return None
    names = {norm_word(text): key for text, key in every_language(COLUMN_LABELS).items()}
    return read_sheet(
        workbook,
        found,
        columns,
        errors,
        name_of=lambda header: names.get(norm_word(header), header),
        label_of=column_label,
    )
