"""The archive's index: what every file is and where each answer and piece of evidence lies,
as HTML (with links) and CSV, in English and in Bahasa Indonesia.

The CSV's `kind` column is a code (stable for machines, the same in both languages); the
description beside it is in the file's language.
"""

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Assessment

from .writer import Entry, PayloadWriter

LANGUAGES = ("en", "id")
# Entries that are records inside a file (an answer inside answers/responses.json).
RECORD_KINDS = {"response", "evidence_citation", "evidence_link", "evidence_missing"}
KIND_LABELS = {
    "response": gettext_lazy("Answer"),
    "evidence_file": gettext_lazy("Evidence file"),
    "evidence_citation": gettext_lazy("Legal citation"),
    "evidence_link": gettext_lazy("Link"),
    "evidence_missing": gettext_lazy("Evidence file missing from the storage"),
}


def csv_header() -> list[str]:
    return [
        _("File"),
        _("Kind"),
        _("Description"),
        _("Record"),
        _("Institution"),
        _("Indicator"),
        _("Bytes"),
        _("SHA-256"),
    ]


def _rows(entries: list[Entry]) -> list[list[object]]:
    return [
        [e.path, e.kind, e.text(), e.record, e.institution, e.indicator, e.size, e.sha256]
        for e in entries
    ]


def _html(assessment: Assessment, entries: list[Entry], language: str) -> bytes:
    files = [e for e in entries if e.kind not in RECORD_KINDS]
    evidence_files = [e for e in files if e.kind == "evidence_file"]
    context = {
        "language": language,
        "other": "id" if language == "en" else "en",
        "title": assessment.title_id if language == "id" else assessment.title_en,
        "assessment": assessment,
        "generated": timezone.localtime(),
        "files": [(e, e.text()) for e in files if e.kind not in {"evidence_file", "profile_pdf"}],
        "profile_pdfs": [(e, e.text()) for e in files if e.kind == "profile_pdf"],
        "evidence_files": [(e, e.text()) for e in evidence_files],
        "answers": [(e, e.text()) for e in entries if e.kind == "response"],
        "evidence_records": [
            (e, e.text(), KIND_LABELS.get(e.kind, e.kind))
            for e in entries
            if e.kind in RECORD_KINDS - {"response"}
        ],
    }
    return render_to_string("reports/archive/index.html", context).encode("utf-8")


def write_index(writer: PayloadWriter, assessment: Assessment) -> None:
    """index.<language>.html and index.<language>.csv for each language. Written last, so
    they list everything else; they do not list themselves (the bag's manifest does)."""
    entries = list(writer.entries)
    for language in LANGUAGES:
        with translation.override(language):
            writer.write_csv(f"index.{language}.csv", csv_header(), _rows(entries))
            writer.write_bytes(f"index.{language}.html", _html(assessment, entries, language))
