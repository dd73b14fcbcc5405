"""What carries from one framework version to the next: the indicator code mapping (the
workbook's "Mapping" sheet, a `mapping:` block in the YAML data files) and the change
notes of wording corrected in a version already in use (`change_notes:` in the YAML).

Both are validated row by row like the framework's other sheets, every error naming its
sheet, row and column, and are applied with the framework or not at all.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from .framework_io import SHEET_DIMENSIONS, SHEET_FRAMEWORK, SHEET_INDICATORS, SHEET_SUBAREAS
from .spreadsheets import CellError, SheetRow, read_sheet

SHEET_MAPPING = "Mapping"
MAPPING_COLUMNS = ["from_version", "from_code", "to_code", "relation"]
RELATIONS = ("same", "renamed", "split", "merged", "new", "retired")
NOTES = "change_notes"

# The text fields a change note may name, per kind of element (by the parts of its code).
NOTE_FIELDS: dict[int, tuple[str, ...]] = {
    0: ("title_en", "title_id", "description_en", "description_id"),
    1: ("name_en", "name_id", "migof_en", "migof_id", "description_en", "description_id"),
    2: ("name_en", "name_id"),
    3: ("question_en", "question_id", "guidance_en", "guidance_id"),
}


def mapping_rows_from_yaml(data: dict[str, Any]) -> list[SheetRow]:
    block = data.get("mapping") or {}
    columns = {name: name for name in MAPPING_COLUMNS}
    return [
        SheetRow(
            SHEET_MAPPING,
            n,
            {
                "from_version": block.get("from"),
                "from_code": row.get("from") or "",
                "to_code": row.get("to") or "",
                "relation": row.get("relation"),
            },
            columns,
        )
        for n, row in enumerate(block.get("rows") or [], start=2)
    ]


def mapping_rows_from_workbook(workbook: Any, errors: list[CellError]) -> list[SheetRow]:
    """The Mapping sheet's rows; a workbook without the sheet has no mapping (a first version)."""
    if SHEET_MAPPING not in workbook.sheetnames:
        return []
    return read_sheet(workbook, SHEET_MAPPING, MAPPING_COLUMNS, errors) or []


def _row_errors(
    row: SheetRow,
    *,
    framework_code: str,
    to_codes: set[str],
    from_codes: set[str] | None,
    errors: list[CellError],
) -> dict[str, str] | None:
    relation = row.text("relation").lower()
    from_code, to_code = row.text("from_code"), row.text("to_code")
    before = len(errors)
    if relation not in RELATIONS:
        errors.append(
            row.error(
                "relation",
                _(
                    "Unknown relation “%(value)s”: write same, renamed, split, merged, new "
                    "or retired."
                )
                % {"value": row.text("relation")},
            )
        )
    if relation == "new":
        if from_code:
            errors.append(row.error("from_code", _("A new indicator has no earlier code.")))
    elif not from_code:
        errors.append(row.error("from_code", _("The earlier code is missing.")))
    elif from_codes is not None and from_code not in from_codes:
        errors.append(
            row.error(
                "from_code",
                _("Indicator %(code)s is not in %(version)s.")
                % {"code": from_code, "version": row.text("from_version")},
            )
        )
    if relation == "retired":
        if to_code:
            errors.append(row.error("to_code", _("A retired indicator has no later code.")))
    elif not to_code:
        errors.append(row.error("to_code", _("The later code is missing.")))
    elif to_code not in to_codes:
        errors.append(
            row.error(
                "to_code",
                _("Indicator %(code)s is not in %(version)s.")
                % {"code": to_code, "version": framework_code},
            )
        )
    if relation == "same" and from_code and to_code and from_code != to_code:
        errors.append(row.error("relation", _("The codes differ: write renamed rather than same.")))
    if relation == "renamed" and from_code and from_code == to_code:
        errors.append(row.error("relation", _("The code is unchanged: write same.")))
    if len(errors) > before:
        return None
    return {"from_code": from_code, "to_code": to_code, "relation": relation}


def _group_errors(rows: list[tuple[SheetRow, dict[str, str]]], errors: list[CellError]) -> None:
    """A split earlier code has two or more later codes, all split; a merged later code two
    or more earlier ones, all merged; any other code appears in one row only."""
    by_from: dict[str, list[tuple[SheetRow, dict[str, str]]]] = defaultdict(list)
    by_to: dict[str, list[tuple[SheetRow, dict[str, str]]]] = defaultdict(list)
    for row, item in rows:
        if item["from_code"]:
            by_from[item["from_code"]].append((row, item))
        if item["to_code"]:
            by_to[item["to_code"]].append((row, item))
    for groups, grouped, side in ((by_from, "split", "from_code"), (by_to, "merged", "to_code")):
        for code, members in groups.items():
            relations = {item["relation"] for _row, item in members}
            if grouped in relations and (relations != {grouped} or len(members) < 2):
                errors.append(
                    members[0][0].error(
                        "relation",
                        _(
                            "Indicator %(code)s is %(relation)s: give it two or more rows, "
                            "all %(relation)s."
                        )
                        % {"code": code, "relation": grouped},
                    )
                )
            elif grouped not in relations and len(members) > 1:
                errors.append(
                    members[1][0].error(
                        side, _("The code %(code)s appears twice.") % {"code": code}
                    )
                )


def validate_mapping(
    rows: list[SheetRow],
    *,
    framework_code: str,
    to_codes: set[str],
    codes_of: Callable[[str], set[str] | None],
    errors: list[CellError],
) -> tuple[str, list[dict[str, str]]]:
    """Check the mapping rows against this framework's codes (`to_codes`) and the earlier
    version's (`codes_of(version)`, None if it does not exist). Returns the earlier
    version's code and the valid rows; problems go to `errors`."""
    if not rows:
        return "", []
    from_version = rows[0].text("from_version")
    from_codes = codes_of(from_version) if from_version else None
    if not from_version or from_codes is None or from_version == framework_code:
        errors.append(
            rows[0].error(
                "from_version",
                _("Name an earlier framework version already loaded, not “%(value)s”.")
                % {"value": from_version},
            )
        )
    valid: list[tuple[SheetRow, dict[str, str]]] = []
    for row in rows:
        if row.text("from_version") != from_version:
            errors.append(
                row.error(
                    "from_version",
                    _("Every row maps from the same earlier version, %(version)s.")
                    % {"version": from_version},
                )
            )
            continue
        item = _row_errors(
            row,
            framework_code=framework_code,
            to_codes=to_codes,
            from_codes=from_codes,
            errors=errors,
        )
        if item is not None:
            valid.append((row, item))
    _group_errors(valid, errors)
    # Codes written in any row count as mapped, so that a row refused above is not also
    # reported as a missing code.
    mapped_from = {row.text("from_code") for row in rows}
    mapped_to = {row.text("to_code") for row in rows}
    unmapped = [
        (from_version, sorted((from_codes or set()) - mapped_from, key=_code_key)),
        (framework_code, sorted(to_codes - mapped_to, key=_code_key)),
    ]
    for version, codes in unmapped:
        if codes:
            errors.append(
                CellError(
                    SHEET_MAPPING,
                    None,
                    None,
                    _("Indicators of %(version)s missing from the mapping: %(codes)s.")
                    % {"version": version, "codes": ", ".join(codes)},
                )
            )
    return from_version, [item for _row, item in valid]


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in code.split("."))


# --- change notes ------------------------------------------------------------------------


def _texts_by_element(tables: dict[str, list[SheetRow] | None]) -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {}
    for sheet, key in (
        (SHEET_FRAMEWORK, None),
        (SHEET_DIMENSIONS, "number"),
        (SHEET_SUBAREAS, "code"),
        (SHEET_INDICATORS, "code"),
    ):
        for row in tables.get(sheet) or []:
            element = row.text(key) if key else ""
            texts[element] = {name: row.text(name) for name in row.values}
    return texts


def validate_notes(
    data: dict[str, Any], tables: dict[str, list[SheetRow] | None], errors: list[CellError]
) -> list[dict[str, Any]]:
    """The YAML file's change notes: each names an element and a text field the file has,
    whose text now holds `after` and no longer `before`, with a reason in both languages."""
    texts = _texts_by_element(tables)
    notes = []
    for n, note in enumerate(data.get(NOTES) or [], start=1):

        def fail(column: str, message: str, n: int = n) -> None:
            errors.append(CellError(NOTES, n, column, message))

        element, field = str(note.get("element") or ""), str(note.get("field") or "")
        before, after = str(note.get("before") or ""), str(note.get("after") or "")
        reason = note.get("reason") or {}
        text = texts.get(element, {}).get(field)
        if element not in texts:
            fail("element", _("Unknown element “%(value)s”.") % {"value": element})
        elif field not in NOTE_FIELDS[len(element.split(".")) if element else 0] or text is None:
            fail("field", _("Unknown text field “%(value)s”.") % {"value": field})
        elif not before or not after or after not in text or before in text:
            fail("after", _("The text does not read as corrected by this note."))
        if not reason.get("en") or not reason.get("id"):
            fail("reason", _("Give the reason in English and in Indonesian."))
        try:
            changed_on = datetime.date.fromisoformat(str(note.get("date")))
        except ValueError:
            fail("date", _("Write the date as YYYY-MM-DD."))
            continue
        if not note.get("by"):
            fail("by", _("Name who made the change."))
        notes.append(
            {
                "element": element,
                "field": field,
                "before": before,
                "after": after,
                "reason_en": str(reason.get("en") or ""),
                "reason_id": str(reason.get("id") or ""),
                "changed_on": changed_on,
                "changed_by": str(note.get("by") or ""),
            }
        )
    return notes
