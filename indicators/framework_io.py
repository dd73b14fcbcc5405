"""The framework as four tables (the workbook's sheets), their validation, and their application.

The YAML data file in the repository and an uploaded Excel workbook both become the same
tables, go through the same validation (every error with its sheet, row and column), and
are applied by the same service. Nothing is applied unless every row is valid.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from .spreadsheets import CellError, SheetRow, read_sheet

DATA_DIR = Path(__file__).resolve().parent / "data"
FRAMEWORKS_DIR = DATA_DIR / "frameworks"
CROSSWALKS_FILE = DATA_DIR / "crosswalks.yaml"

SHEET_FRAMEWORK = "Framework"
SHEET_DIMENSIONS = "Dimensions"
SHEET_SUBAREAS = "Sub-areas"
SHEET_INDICATORS = "Indicators"

COLUMNS: dict[str, list[str]] = {
    SHEET_FRAMEWORK: [
        "code",
        "level",
        "year",
        "title_en",
        "title_id",
        "description_en",
        "description_id",
    ],
    SHEET_DIMENSIONS: [
        "number",
        "name_en",
        "name_id",
        "migof_en",
        "migof_id",
        "description_en",
        "description_id",
    ],
    SHEET_SUBAREAS: ["code", "dimension", "name_en", "name_id"],
    SHEET_INDICATORS: [
        "code",
        "dimension",
        "subarea",
        "question_en",
        "question_id",
        "guidance_en",
        "guidance_id",
        "allows_na",
        "coverage",
        "national_competence",
        "national_code",
        "gcm",
        "gcm_indirect",
        "sdg",
    ],
}
REQUIRED_COLUMNS: dict[str, list[str]] = {
    SHEET_FRAMEWORK: ["code", "level", "year", "title_en", "title_id"],
    SHEET_DIMENSIONS: ["number", "name_en", "name_id", "migof_en", "migof_id"],
    SHEET_SUBAREAS: ["code", "dimension", "name_en", "name_id"],
    SHEET_INDICATORS: [
        "code",
        "dimension",
        "subarea",
        "question_en",
        "question_id",
        "gcm",
        "sdg",
    ],
}
DIMENSION_COUNT = 6
SUBAREA_RE = re.compile(r"^[1-6]\.\d{1,2}$")
INDICATOR_RE = re.compile(r"^[1-6]\.\d{1,2}\.\d{1,2}$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{2,49}$")
TRUE_WORDS = {"yes", "y", "true", "1", "ya", "x"}
FALSE_WORDS = {"no", "n", "false", "0", "tidak", ""}


@dataclass
class FrameworkData:
    """Validated, typed content of one framework version, ready to apply."""

    framework: dict[str, Any]
    dimensions: list[dict[str, Any]] = field(default_factory=list)
    subareas: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    # From indicators/versioning_io.py: the code mapping from an earlier version (its code
    # and rows) and the notes of corrected wording.
    mapping_from: str = ""
    mapping: list[dict[str, str]] = field(default_factory=list)
    change_notes: list[dict[str, Any]] = field(default_factory=list)


class FrameworkInvalid(Exception):
    def __init__(self, errors: list[CellError]):
        super().__init__(f"{len(errors)} error(s) in the framework")
        self.errors = errors


def _bool(row: SheetRow, name: str, errors: list[CellError]) -> bool:
    value = row.values.get(name)
    if isinstance(value, bool):
        return value
    text = row.text(name).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    errors.append(row.error(name, _("Write yes or no.")))
    return False


def _both_languages(row: SheetRow, name: str, errors: list[CellError], *, required: bool) -> None:
    en, id_ = row.text(f"{name}_en"), row.text(f"{name}_id")
    if required or en or id_:
        if not en:
            errors.append(row.error(f"{name}_en", _("The English text is missing.")))
        if not id_:
            errors.append(row.error(f"{name}_id", _("The Indonesian text is missing.")))


def _split_codes(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\s]+", text) if part.strip()]


def validate_tables(
    tables: dict[str, list[SheetRow] | None],
    *,
    gcm_numbers: set[int],
    sdg_codes: set[str],
    errors: list[CellError] | None = None,
) -> FrameworkData:
    """Check every row of every sheet; raise FrameworkInvalid listing all problems at once."""
    errors = errors if errors is not None else []
    fw_rows = tables.get(SHEET_FRAMEWORK)
    dim_rows = tables.get(SHEET_DIMENSIONS)
    sub_rows = tables.get(SHEET_SUBAREAS)
    ind_rows = tables.get(SHEET_INDICATORS)
    if fw_rows is None or dim_rows is None or sub_rows is None or ind_rows is None:
        raise FrameworkInvalid(errors)

    framework: dict[str, Any] = {}
    if len(fw_rows) != 1:
        errors.append(
            CellError(SHEET_FRAMEWORK, None, None, _("The sheet must have exactly one row."))
        )
    for row in fw_rows[:1]:
        code = row.text("code")
        if not SLUG_RE.match(code):
            errors.append(
                row.error(
                    "code", _("Use lower-case letters, digits and hyphens, e.g. mgi-national-2023.")
                )
            )
        level = row.text("level").lower()
        if level not in ("national", "local"):
            errors.append(row.error("level", _("The level must be national or local.")))
        year_text = row.text("year")
        year = int(year_text) if year_text.isdigit() else 0
        if not 2000 <= year <= 2100:
            errors.append(row.error("year", _("The year must be a year such as 2023.")))
        _both_languages(row, "title", errors, required=True)
        _both_languages(row, "description", errors, required=False)
        framework = {
            "code": code,
            "level": level,
            "year": year,
            "title_en": row.text("title_en"),
            "title_id": row.text("title_id"),
            "description_en": row.text("description_en"),
            "description_id": row.text("description_id"),
        }

    dimensions: dict[int, dict[str, Any]] = {}
    for row in dim_rows:
        text = row.text("number")
        number = int(text) if text.isdigit() else 0
        if not 1 <= number <= DIMENSION_COUNT:
            errors.append(
                row.error(
                    "number",
                    _("The dimension number must be 1 to 6, not “%(value)s”.") % {"value": text},
                )
            )
            continue
        if number in dimensions:
            errors.append(row.error("number", _("Dimension %(n)s appears twice.") % {"n": number}))
            continue
        _both_languages(row, "name", errors, required=True)
        _both_languages(row, "migof", errors, required=True)
        _both_languages(row, "description", errors, required=False)
        dimensions[number] = {
            "number": number,
            **{
                f"{name}_{lang}": row.text(f"{name}_{lang}")
                for name in ("name", "migof", "description")
                for lang in ("en", "id")
            },
        }
    if len(dimensions) != DIMENSION_COUNT and dim_rows:
        errors.append(
            CellError(
                SHEET_DIMENSIONS,
                None,
                None,
                _("The framework must have the six MGI dimensions; this sheet has %(n)s.")
                % {"n": len(dimensions)},
            )
        )

    subareas: dict[str, dict[str, Any]] = {}
    for row in sub_rows:
        code = row.text("code")
        dim_text = row.text("dimension")
        dim = int(dim_text) if dim_text.isdigit() else 0
        if dim not in dimensions:
            errors.append(
                row.error("dimension", _("Unknown dimension “%(value)s”.") % {"value": dim_text})
            )
        if not SUBAREA_RE.match(code):
            errors.append(row.error("code", _("A sub-area code looks like 1.2.")))
        elif code in subareas:
            errors.append(row.error("code", _("The code %(code)s appears twice.") % {"code": code}))
            continue
        elif dim and not code.startswith(f"{dim}."):
            errors.append(
                row.error(
                    "code",
                    _("The code %(code)s does not belong to dimension %(dim)s.")
                    % {"code": code, "dim": dim},
                )
            )
        _both_languages(row, "name", errors, required=True)
        subareas[code] = {
            "code": code,
            "dimension": dim,
            "name_en": row.text("name_en"),
            "name_id": row.text("name_id"),
            "order": len(subareas),
        }

    indicators: dict[str, dict[str, Any]] = {}
    for row in ind_rows:
        code = row.text("code")
        dim_text = row.text("dimension")
        dim = int(dim_text) if dim_text.isdigit() else 0
        sub = row.text("subarea")
        if not INDICATOR_RE.match(code):
            errors.append(
                row.error(
                    "code",
                    _("An indicator code looks like 1.2.3, not “%(value)s”.") % {"value": code},
                )
            )
        elif code in indicators:
            errors.append(row.error("code", _("The code %(code)s appears twice.") % {"code": code}))
            continue
        if dim not in dimensions:
            errors.append(
                row.error("dimension", _("Unknown dimension “%(value)s”.") % {"value": dim_text})
            )
        if sub not in subareas:
            errors.append(row.error("subarea", _("Unknown sub-area “%(value)s”.") % {"value": sub}))
        else:
            if dim in dimensions and subareas[sub]["dimension"] != dim:
                errors.append(
                    row.error(
                        "subarea",
                        _("Sub-area %(sub)s is not in dimension %(dim)s.")
                        % {"sub": sub, "dim": dim},
                    )
                )
            if INDICATOR_RE.match(code) and not code.startswith(f"{sub}."):
                errors.append(
                    row.error(
                        "code",
                        _("The code %(code)s does not belong to sub-area %(sub)s.")
                        % {"code": code, "sub": sub},
                    )
                )
        _both_languages(row, "question", errors, required=True)
        _both_languages(row, "guidance", errors, required=False)
        gcm: list[int] = []
        gcm_parts = _split_codes(row.text("gcm"))
        if not gcm_parts:
            errors.append(row.error("gcm", _("Name at least one GCM objective (1 to 23).")))
        for part in gcm_parts:
            if part.isdigit() and int(part) in gcm_numbers:
                gcm.append(int(part))
            else:
                errors.append(
                    row.error("gcm", _("Unknown GCM objective “%(value)s”.") % {"value": part})
                )
        # Objectives linked only indirectly (subjects outside the GCM's scope): among `gcm`.
        gcm_indirect = [
            int(p) if p.isdigit() else p for p in _split_codes(row.text("gcm_indirect"))
        ]
        for objective in gcm_indirect:
            if objective not in gcm:
                errors.append(
                    row.error(
                        "gcm_indirect",
                        _("GCM objective “%(value)s” is not among the indicator's objectives.")
                        % {"value": objective},
                    )
                )
        sdg: list[str] = []
        for part in _split_codes(row.text("sdg")):
            if part.lower() in sdg_codes:
                sdg.append(part.lower())
            else:
                errors.append(
                    row.error(
                        "sdg", _("Unknown SDG 10.7.2 sub-category “%(value)s”.") % {"value": part}
                    )
                )
        allows_na = _bool(row, "allows_na", errors)
        national_competence = _bool(row, "national_competence", errors)
        if national_competence and not allows_na:
            errors.append(
                row.error(
                    "allows_na", _("An indicator of national competence must allow Not applicable.")
                )
            )
        national_code = row.text("national_code")
        if national_code and not INDICATOR_RE.match(national_code):
            errors.append(
                row.error(
                    "national_code",
                    _("An indicator code looks like 1.2.3, not “%(value)s”.")
                    % {"value": national_code},
                )
            )
        indicators[code] = {
            "code": code,
            "dimension": dim,
            "subarea": sub,
            **{
                f"{name}_{lang}": row.text(f"{name}_{lang}")
                for name in ("question", "guidance")
                for lang in ("en", "id")
            },
            "allows_not_applicable": allows_na,
            "has_coverage": _bool(row, "coverage", errors),
            "national_competence": national_competence,
            "national_code": national_code,
            "gcm": sorted(set(gcm)),
            "gcm_indirect": sorted({n for n in gcm_indirect if n in gcm}),
            "sdg": sorted(set(sdg)),
            "order": len(indicators),
        }
    if not ind_rows:
        errors.append(
            CellError(SHEET_INDICATORS, None, None, _("The framework has no indicators."))
        )
    if errors:
        raise FrameworkInvalid(errors)
    return FrameworkData(
        framework=framework,
        dimensions=list(dimensions.values()),
        subareas=list(subareas.values()),
        indicators=list(indicators.values()),
    )


# --- sources -----------------------------------------------------------------------------


def _rows(sheet: str, records: list[dict[str, Any]]) -> list[SheetRow]:
    columns = {name: name for name in COLUMNS[sheet]}
    return [SheetRow(sheet, n, rec, columns) for n, rec in enumerate(records, start=2)]


def tables_from_yaml(data: dict[str, Any]) -> dict[str, list[SheetRow] | None]:
    """Flatten the repository's YAML layout into the workbook's four tables."""

    def pair(obj: dict[str, Any] | None, name: str) -> dict[str, str]:
        obj = obj or {}
        return {f"{name}_en": obj.get("en", ""), f"{name}_id": obj.get("id", "")}

    framework = {
        "code": data.get("code"),
        "level": data.get("level"),
        "year": data.get("year"),
        **pair(data.get("title"), "title"),
        **pair(data.get("description"), "description"),
    }
    dims, subs, inds = [], [], []
    for dim in data.get("dimensions") or []:
        dims.append(
            {
                "number": dim.get("number"),
                **pair(dim.get("name"), "name"),
                **pair(dim.get("migof"), "migof"),
                **pair(dim.get("description"), "description"),
            }
        )
        for sub in dim.get("subareas") or []:
            subs.append(
                {
                    "code": sub.get("code"),
                    "dimension": dim.get("number"),
                    **pair(sub.get("name"), "name"),
                }
            )
            for ind in sub.get("indicators") or []:
                inds.append(
                    {
                        "code": ind.get("code"),
                        "dimension": dim.get("number"),
                        "subarea": sub.get("code"),
                        **pair(ind.get("question"), "question"),
                        **pair(ind.get("guidance"), "guidance"),
                        "allows_na": bool(ind.get("allows_na")),
                        "coverage": bool(ind.get("coverage")),
                        "national_competence": bool(ind.get("national_competence")),
                        "national_code": ind.get("national_code") or "",
                        "gcm": ",".join(str(n) for n in ind.get("gcm") or []),
                        "gcm_indirect": ",".join(str(n) for n in ind.get("gcm_indirect") or []),
                        "sdg": ",".join(str(c) for c in ind.get("sdg") or []),
                    }
                )
    return {
        SHEET_FRAMEWORK: _rows(SHEET_FRAMEWORK, [framework]),
        SHEET_DIMENSIONS: _rows(SHEET_DIMENSIONS, dims),
        SHEET_SUBAREAS: _rows(SHEET_SUBAREAS, subs),
        SHEET_INDICATORS: _rows(SHEET_INDICATORS, inds),
    }


def tables_from_workbook(
    workbook: Any, errors: list[CellError]
) -> dict[str, list[SheetRow] | None]:
    return {
        sheet: read_sheet(workbook, sheet, REQUIRED_COLUMNS[sheet], errors) for sheet in COLUMNS
    }


def load_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
