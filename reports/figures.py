"""Reading the migration-context figures a coordinator uploads: a CSV or Excel file with the
columns label_en, label_id, value, source and year, one figure a row.

Every problem is reported with its row and column, in the reader's language, and nothing is
kept unless the whole file is right (the service applies it in one transaction). Excel files
go through indicators/spreadsheets.py (no formulas, no archive bombs).
"""

import csv
import io
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from indicators.spreadsheets import (
    XLSX_MAGIC,
    CellError,
    SheetRow,
    WorkbookError,
    open_workbook,
    read_sheet,
)

from .models import ContextFigure

COLUMNS = ["label_en", "label_id", "value", "source", "year"]
MAX_ROWS = 100
YEARS = (1900, 2100)


@dataclass(frozen=True)
class FigureRow:
    label_en: str
    label_id: str
    value: str
    source: str
    year: int


class FiguresFileError(Exception):
    """The file cannot be applied: every problem found, each with its row and column."""

    def __init__(self, errors: list[CellError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def char_field(name: str) -> "models.CharField[str, str]":
    """One of ContextFigure's text fields (its label and length limit)."""
    field = ContextFigure._meta.get_field(name)
    assert isinstance(field, models.CharField)
    return field


def _limit(name: str) -> int:
    return int(char_field(name).max_length or 0)


def _check_text(row: SheetRow, field: str, errors: list[CellError]) -> str:
    value = row.text(field)
    if not value:
        errors.append(row.error(field, _("This cell is empty; every figure needs it.")))
    elif len(value) > _limit(field):
        errors.append(
            row.error(
                field,
                _("This text is longer than %(limit)s characters.") % {"limit": _limit(field)},
            )
        )
    return value


def _check_year(row: SheetRow, errors: list[CellError]) -> int:
    text = row.text("year")
    try:
        year = int(text)
    except ValueError:
        year = 0
    if not YEARS[0] <= year <= YEARS[1]:
        errors.append(
            row.error(
                "year",
                _("The year must be a year such as 2023, not “%(value)s”.") % {"value": text},
            )
        )
    return year


def _csv_rows(data: bytes, label: str, errors: list[CellError]) -> list[SheetRow] | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        errors.append(CellError(label, None, None, _("The CSV file must be saved as UTF-8.")))
        return None
    sample = text[:2048]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [h.strip() for h in next(reader, [])]
    columns = {name: get_column_letter(i + 1) for i, name in enumerate(header) if name}
    missing = [c for c in COLUMNS if c not in columns]
    for name in missing:
        errors.append(
            CellError(label, 1, None, _("The column “%(column)s” is missing.") % {"column": name})
        )
    if missing:
        return None
    rows = []
    for number, cells in enumerate(reader, start=2):
        values = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}
        if all(not str(v).strip() for v in values.values()):
            continue
        rows.append(SheetRow(label, number, values, columns))
    return rows


def _xlsx_rows(data: bytes, label: str, errors: list[CellError]) -> list[SheetRow] | None:
    workbook = open_workbook(io.BytesIO(data), name=label)
    try:
        return read_sheet(workbook, workbook.sheetnames[0], COLUMNS, errors)
    finally:
        workbook.close()


def read_figures(upload: IO[bytes], *, name: str = "") -> list[FigureRow]:
    """The figures of an uploaded CSV or .xlsx file, or FiguresFileError listing every
    problem. The type comes from the content, never from the file name."""
    label = name or _("the uploaded file")
    data = upload.read(settings.UPLOAD_MAX_BYTES + 1)
    if len(data) > settings.UPLOAD_MAX_BYTES:
        limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise FiguresFileError(
            [
                CellError(
                    label, None, None, _("The file is larger than %(limit)s MB.") % {"limit": limit}
                )
            ]
        )
    errors: list[CellError] = []
    try:
        if data.startswith(XLSX_MAGIC):
            rows = _xlsx_rows(data, label, errors)
        else:
            rows = _csv_rows(data, label, errors)
    except WorkbookError as exc:
        raise FiguresFileError(exc.errors) from exc
    if rows is not None and not rows and not errors:
        errors.append(CellError(label, None, None, _("The file holds no figure.")))
    if rows is not None and len(rows) > MAX_ROWS:
        errors.append(
            CellError(
                label,
                None,
                None,
                _("The file holds more than %(limit)s figures.") % {"limit": MAX_ROWS},
            )
        )
    figures = []
    for row in rows or []:
        texts = {f: _check_text(row, f, errors) for f in COLUMNS[:4]}
        figures.append(FigureRow(**texts, year=_check_year(row, errors)))
    if errors:
        raise FiguresFileError(errors)
    return figures
