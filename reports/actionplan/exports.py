"""A published action plan's public items as CSV, Excel and JSON (the public page's and the
public API's downloads). Columns are identifiers, like API field names, so they are not
translated; texts are given in both languages. Spreadsheet cells are escaped (escape_cell)."""

import csv
import io
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from openpyxl import Workbook

from indicators.spreadsheets import escape_cell

from ..exports import CONTENT_TYPES, filename
from ..models import Profile
from .models import ActionItem

COLUMNS = (
    "id",
    "title_en",
    "title_id",
    "description_en",
    "description_id",
    "kind",
    "status",
    "status_reason",
    "lead",
    "contributors",
    "dimension",
    "gcm_objectives",
    "indicators",
    "sdg_subcategory",
    "start_date",
    "target_date",
    "percent",
    "updated_at",
)


def item_row(item: ActionItem) -> dict[str, Any]:
    """One item as the files give it; `percent` is its latest progress update's, if any."""
    progress = [u for u in item.updates.all() if u.kind == "progress" and u.percent is not None]
    return {
        "id": item.pk,
        "title_en": item.title_en,
        "title_id": item.title_id,
        "description_en": item.description_en,
        "description_id": item.description_id,
        "kind": item.kind,
        "status": item.status,
        "status_reason": item.status_reason,
        "lead": item.lead.acronym,
        "contributors": [i.acronym for i in item.contributors.all()],
        "dimension": item.dimension,
        "gcm_objectives": [o.number for o in item.gcm_objectives.all()],
        "indicators": list(item.indicators or []),
        "sdg_subcategory": item.sdg_subcategory.code if item.sdg_subcategory else None,
        "start_date": item.start_date,
        "target_date": item.target_date,
        "percent": progress[0].percent if progress else None,
        "updated_at": item.updated_at,
    }


def _flat(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([escape_cell(_flat(row[c])) for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode()


def to_xlsx(rows: list[dict[str, Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "action_plan"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([escape_cell(_flat(row[c])) for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json(rows: list[dict[str, Any]]) -> bytes:
    return json.dumps({"items": rows}, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}


def plan_response(profile: Profile, items: list[ActionItem], fmt: str) -> HttpResponse:
    body = WRITERS[fmt]([item_row(i) for i in items])
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = filename(profile, f"-action-plan.{fmt}")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
