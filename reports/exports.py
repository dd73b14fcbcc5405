"""A published profile's consolidated data as CSV, Excel and JSON, from its frozen snapshot.

The rows come from the snapshot the profile was built from, never from live answers, so a
file downloaded today matches the PDF published with it. Only the framework the snapshot
pins is read live, for the names of its dimensions and sub-areas (reference data that an
assessment does not change).

Spreadsheet cells are escaped with `escape_cell`: a narrative that starts with "=" is text
in the file, never a formula Excel would run (CSV/formula injection).
"""

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from indicators.models import Dimension, SubArea
from indicators.spreadsheets import escape_cell

from .chapters import citation
from .models import Profile

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_CONTENT_TYPE,
    "json": "application/json",
}
FORMATS = tuple(CONTENT_TYPES)

# The columns of every format, in order. They are identifiers (like API field names), so
# they are not translated; the README sheet of the workbook describes each one.
COLUMNS = (
    "code",
    "dimension",
    "dimension_name_en",
    "dimension_name_id",
    "subarea",
    "subarea_name_en",
    "subarea_name_id",
    "question_en",
    "question_id",
    "answer",
    "coverage",
    "narrative_en",
    "narrative_id",
    "sources",
    "legal_instruments",
)
LIST_COLUMNS = ("sources", "legal_instruments")


def column_descriptions() -> dict[str, str]:
    return {
        "code": _("Indicator code in the framework used by the assessment"),
        "dimension": _("Number of the MGI dimension (1 to 6)"),
        "dimension_name_en": _("Name of the dimension in English"),
        "dimension_name_id": _("Name of the dimension in Bahasa Indonesia"),
        "subarea": _("Code of the sub-area"),
        "subarea_name_en": _("Name of the sub-area in English"),
        "subarea_name_id": _("Name of the sub-area in Bahasa Indonesia"),
        "question_en": _("The indicator's question in English"),
        "question_id": _("The indicator's question in Bahasa Indonesia"),
        "answer": _(
            "Validated answer: yes, partial (partially), no, na (not applicable), no_info (no "
            "information: nobody could say whether the measure exists; not the same as no); "
            "empty when not answered"
        ),
        "coverage": _(
            "Whom the measure covers: all (all migrants, whatever their status) or regular "
            "(regular migrants only); empty when not asked"
        ),
        "narrative_en": _("Consolidated narrative in English"),
        "narrative_id": _("Consolidated narrative in Bahasa Indonesia"),
        "sources": _("Institutions whose answers the consolidated answer was drawn from"),
        "legal_instruments": _("Laws and regulations cited for the answer"),
    }


@dataclass
class ProfileData:
    """A profile's data, ready to write in any format."""

    profile: Profile
    metadata: dict[str, Any]
    rows: list[dict[str, Any]]


def profile_metadata(profile: Profile) -> dict[str, Any]:
    meta = profile.snapshot.data["assessment"]
    return {
        "assessment": {
            "id": profile.assessment_id,
            "title": {"en": meta["title_en"], "id": meta["title_id"]},
            "scope": meta["scope"],
            "province": meta["province"],
            "province_name": (
                {"en": meta["province_en"], "id": meta["province_id"]} if meta["province"] else None
            ),
            "year": meta["year"],
            "round": meta["round"],
            "framework": meta["framework"],
        },
        "profile": profile.pk,
        "version": profile.version,
        "status": profile.status,
        "snapshot": profile.snapshot.number,
        "published_at": profile.published_at,
        "correction_note": profile.correction_note,
        "is_demo": bool(meta.get("is_demo", False)),
    }


def profile_data(profile: Profile) -> ProfileData:
    """The rows of the snapshot, one per indicator, with the framework's names."""
    data = profile.snapshot.data
    framework = data["assessment"]["framework"]
    dimensions = {
        d.number: d
        for d in Dimension.objects.filter(framework__code=framework).only(
            "number", "name_en", "name_id"
        )
    }
    subareas = {
        s.code: s
        for s in SubArea.objects.filter(dimension__framework__code=framework).only(
            "code", "name_en", "name_id"
        )
    }
    rows = []
    language = _language()
    for r in data["indicators"]:
        dimension = dimensions.get(r["dimension"])
        subarea = subareas.get(r["subarea"])
        rows.append(
            {
                "code": r["code"],
                "dimension": r["dimension"],
                "dimension_name_en": dimension.name_en if dimension else "",
                "dimension_name_id": dimension.name_id if dimension else "",
                "subarea": r["subarea"],
                "subarea_name_en": subarea.name_en if subarea else "",
                "subarea_name_id": subarea.name_id if subarea else "",
                "question_en": r["question_en"],
                "question_id": r["question_id"],
                "answer": r["answer"] or "",
                "coverage": r["coverage"] or "",
                "narrative_en": r["narrative_en"] or "",
                "narrative_id": r["narrative_id"] or "",
                "sources": [s["institution"] for s in r.get("sources", [])],
                # Cited in the language of the download, from the instrument the snapshot
                # stores (the stored label for a citation typed by hand).
                "legal_instruments": [
                    citation(e, language)
                    for e in r.get("evidence", [])
                    if e.get("kind") == "citation"
                ],
            }
        )
    return ProfileData(profile=profile, metadata=profile_metadata(profile), rows=rows)


def _flat(row: dict[str, Any], clean: Callable[[Any], Any] = escape_cell) -> list[Any]:
    """One spreadsheet row: lists joined with "; ", every text escaped."""
    cells = []
    for column in COLUMNS:
        value = row[column]
        if column in LIST_COLUMNS:
            value = "; ".join(value)
        cells.append(clean(value))
    return cells


def xlsx_cell(value: Any) -> Any:
    """Text for a workbook cell: control characters XML cannot hold dropped (openpyxl
    refuses them; they come with text pasted from word processors), then escaped. In that
    order, so that dropping a character cannot uncover a leading "="."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return escape_cell(value)


def to_csv(data: ProfileData) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Indonesian text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in data.rows:
        writer.writerow(_flat(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_json(data: ProfileData) -> bytes:
    payload = {
        "metadata": {**data.metadata, "about": not_a_ranking_text()},
        "columns": list(COLUMNS),
        "rows": data.rows,
    }
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()


def not_a_ranking_text() -> str:
    return _(
        "The Migration Governance Indicators (MGI) take stock of migration policies: the "
        "laws, policies, institutions and structures in place. The MGI is not a ranking: it "
        "does not score or compare countries or provinces."
    )


def demo_text() -> str:
    return _(
        "This profile is built from demonstration data. It is not an official finding of the "
        "Government of Indonesia or IOM."
    )


def to_xlsx(data: ProfileData) -> bytes:
    """A README sheet (what the MGI is and is not, the columns) and the data sheet."""
    meta = data.metadata
    title = meta["assessment"]["title"].get(_language()) or meta["assessment"]["title"]["en"]
    wb = Workbook()
    wb.properties.title = xlsx_cell(title)
    wb.properties.creator = _("MGI Portal")
    wb.properties.language = _language()
    readme = wb.active
    assert isinstance(readme, Worksheet)
    _readme_sheet(readme, meta, title)
    _data_sheet(wb.create_sheet(_("Indicators")[:31]), data.rows)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _readme_sheet(readme: Worksheet, meta: dict[str, Any], title: str) -> None:
    """The title, the facts of the version, then each column with its meaning.

    Two columns, a label and its text, so long texts wrap in a wide column and spreadsheet
    programs size the rows themselves.
    """
    readme.title = "README"
    readme.append([xlsx_cell(title)])
    readme["A1"].font = Font(bold=True, size=14)
    readme.append([])
    published = meta["published_at"]
    facts: list[tuple[str, Any]] = []
    if meta["is_demo"]:
        facts.append((_("Demonstration data: not official findings."), demo_text()))
    facts += [
        (_("About the MGI"), not_a_ranking_text()),
        (_("Version"), meta["version"]),
        (_("Validated dataset no."), meta["snapshot"]),
        (_("Published"), timezone.localdate(published).isoformat() if published else ""),
        (_("Year"), meta["assessment"]["year"]),
        (_("Framework"), meta["assessment"]["framework"]),
    ]
    if meta["correction_note"]:
        facts.append((_("What this version corrects"), meta["correction_note"]))
    for label, value in facts:
        readme.append([xlsx_cell(label), xlsx_cell(value)])
        readme.cell(row=readme.max_row, column=1).font = Font(bold=True)
    if meta["is_demo"]:
        readme.cell(row=3, column=2).font = Font(bold=True, color="A4161A")
    readme.append([])
    readme.append([xlsx_cell(_("Column")), xlsx_cell(_("Meaning"))])
    for cell in readme[readme.max_row]:
        cell.font = Font(bold=True)
    for column, meaning in column_descriptions().items():
        readme.append([xlsx_cell(column), xlsx_cell(meaning)])
    readme.column_dimensions["A"].width = 28
    readme.column_dimensions["B"].width = 100
    for row in readme.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")


def _data_sheet(sheet: Worksheet, rows: list[dict[str, Any]]) -> None:
    """One row per indicator under a frozen header row."""
    sheet.append([xlsx_cell(c) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    for row in rows:
        sheet.append(_flat(row, xlsx_cell))
    for letter, width in zip(
        "ABCDEFGHIJKLMNO", (10, 6, 28, 28, 8, 28, 28, 50, 50, 9, 9, 60, 60, 20, 50), strict=True
    ):
        sheet.column_dimensions[letter].width = width


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}


def filename(profile: Profile, suffix: str) -> str:
    """`mgi-profile-2023-central-java-v2.csv`: what it is, whose, which version."""
    assessment = profile.assessment
    place = slugify(assessment.province.name_en) if assessment.province else "indonesia"
    round_part = f"-round-{assessment.round}" if assessment.round > 1 else ""
    return f"mgi-profile-{assessment.year}{round_part}-{place}-v{profile.version}{suffix}"


def data_response(profile: Profile, fmt: str) -> HttpResponse:
    """The file of one format as a download; shared by the public page and the public API."""
    body = WRITERS[fmt](profile_data(profile))
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(profile, "." + fmt)}"'
    return response
