"""Reading uploaded workbooks safely, and reporting problems by sheet, row and column.

Shared by every Excel import of the portal. Formulas are never evaluated (cells are read
as written, and a formula is refused), archives that inflate far beyond their upload
size are refused before openpyxl parses them, and every problem carries its location.
"""

import datetime
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str | None
    message: str
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = [self.sheet]
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            col = self.column if not self.field else f"{self.column} ({self.field})"
            where.append(_("column %(column)s") % {"column": col})
        return f"{', '.join(where)}: {self.message}"


class WorkbookError(Exception):
    """The upload is not a workbook we can read at all (one error, no per-cell list)."""

    def __init__(self, errors: list[CellError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def open_workbook(upload: IO[bytes], *, name: str = "") -> Workbook:
    """Open an uploaded .xlsx as written (formulas not evaluated), refusing bombs and fakes."""
    data = upload.read()
    label = name or _("the uploaded file")
    max_bytes = settings.UPLOAD_MAX_BYTES
    if len(data) > max_bytes:
        raise WorkbookError(
            [
                CellError(
                    label,
                    None,
                    None,
                    _("The file is larger than %(limit)s MB.")
                    % {"limit": max_bytes // (1024 * 1024)},
                )
            ]
        )
    # The type comes from the content, never from the file name.
    if not data.startswith(XLSX_MAGIC):
        raise WorkbookError(
            [CellError(label, None, None, _("This is not an Excel workbook (.xlsx)."))]
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise WorkbookError(
            [CellError(label, None, None, _("This is not an Excel workbook (.xlsx)."))]
        ) from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise WorkbookError(
            [CellError(label, None, None, _("This is not an Excel workbook (.xlsx)."))]
        )
    limit = max(len(data) * settings.WORKBOOK_MAX_UNPACKED_RATIO, 5 * 1024 * 1024)
    if unpacked > limit:
        raise WorkbookError(
            [
                CellError(
                    label,
                    None,
                    None,
                    _("The workbook unpacks to far more than its size and was refused."),
                )
            ]
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise WorkbookError(
            [
                CellError(
                    label,
                    None,
                    None,
                    _("The workbook could not be read: %(error)s") % {"error": exc},
                )
            ]
        ) from exc


@dataclass
class SheetRow:
    """One data row of a sheet: values by header, with where each came from."""

    sheet: str
    number: int
    values: dict[str, Any]
    columns: dict[str, str]
    # The header of each column as written in the file, where it differs from the name
    # (a workbook in another language): errors name the column as the reader sees it.
    headers: dict[str, str] = field(default_factory=dict)

    def error(self, name: str, message: str) -> CellError:
        header = self.headers.get(name, name)
        return CellError(self.sheet, self.number, self.columns.get(name), message, header)

    def text(self, field: str) -> str:
        value = self.values.get(field)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


def damaged_sheet(sheet: str) -> WorkbookError:
    return WorkbookError(
        [
            CellError(
                sheet,
                None,
                None,
                _("The sheet is damaged and could not be read; save the workbook again in Excel."),
            )
        ]
    )


def _readable_rows(workbook: Workbook, sheet: str) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows; a damaged sheet (broken XML, a truncated archive), which a
    read-only workbook only finds while reading, becomes a WorkbookError naming it."""
    try:
        yield from workbook[sheet].iter_rows()
    except Exception as exc:  # lxml, zipfile, zlib and openpyxl raise many types
        raise damaged_sheet(sheet) from exc


def read_sheet(
    workbook: Workbook,
    sheet: str,
    required: list[str],
    errors: list[CellError],
    *,
    name_of: Callable[[str], str] | None = None,
    label_of: Callable[[str], str] | None = None,
) -> list[SheetRow] | None:
    """The rows of `sheet` keyed by header; formulas and missing headers become errors.

    `name_of` turns a header as written into the column's name (a workbook whose headers
    may be in either language); `label_of` names a missing column in the reader's language.
    """
    if sheet not in workbook.sheetnames:
        errors.append(CellError(sheet, None, None, _("The sheet is missing.")))
        return None
    rows = _readable_rows(workbook, sheet)
    try:
        header_cells = next(rows)
    except StopIteration:
        errors.append(CellError(sheet, 1, None, _("The sheet is empty.")))
        return None
    headers: dict[int, str] = {}
    written: dict[str, str] = {}
    for idx, cell in enumerate(header_cells):
        if cell.value is not None and str(cell.value).strip():
            text = str(cell.value).strip()
            headers[idx] = name_of(text) if name_of else text
            if headers[idx] != text:
                written[headers[idx]] = text
    columns = {name: get_column_letter(idx + 1) for idx, name in headers.items()}
    missing = [h for h in required if h not in columns]
    for name in missing:
        label = label_of(name) if label_of else name
        errors.append(
            CellError(sheet, 1, None, _("The column “%(column)s” is missing.") % {"column": label})
        )
    if missing:
        return None
    result: list[SheetRow] = []
    for number, cells in enumerate(rows, start=2):
        values: dict[str, Any] = {}
        for idx, cell in enumerate(cells):
            if idx not in headers:
                continue
            if cell.data_type == "f":
                errors.append(
                    CellError(
                        sheet,
                        number,
                        columns[headers[idx]],
                        _("Formulas are not accepted; type the value itself."),
                        written.get(headers[idx], headers[idx]),
                    )
                )
                # Keep the formula's text (never its result) so the cell raises no second error.
                values[headers[idx]] = str(cell.value)
                continue
            values[headers[idx]] = unescape_cell(cell.value)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue
        result.append(SheetRow(sheet, number, values, columns, written))
    return result


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (OWASP CSV/formula injection),
    and drop the control characters a workbook cannot hold (openpyxl would raise
    IllegalCharacterError: text stored before they were refused at the boundary)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    return value


def unescape_cell(value: Any) -> Any:
    """Undo `escape_cell` on the way back in, so a round trip keeps the text as typed."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1] in "=+-@\t\r":
        return value[1:]
    return value


# --- writing: the sheets of minutes and reports ----------------------------------------------

SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def sheet_title(text: str) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters."""
    return text.translate(SHEET_FORBIDDEN).strip()[:31] or "Sheet"


def write_header(ws: Any, headers: list[str], widths: list[int]) -> None:
    """A bold first row, the columns' widths, the header frozen."""
    ws.append([escape_cell(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    ws.freeze_panes = "A2"


def write_facts(ws: Any, title: str, facts: list[tuple[str, object]]) -> None:
    """A title, then one label and value a line (dates as dates, long text wrapped)."""
    ws.append([escape_cell(title)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    for label, value in facts:
        ws.append([escape_cell(label), escape_cell(value)])
        if isinstance(value, datetime.date):
            ws.cell(row=ws.max_row, column=2).number_format = "yyyy-mm-dd"
    for row in ws.iter_rows(min_row=3, max_col=1):
        row[0].font = Font(bold=True)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 80
    for row in ws.iter_rows(min_row=3, min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
