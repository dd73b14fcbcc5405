"""Writes to the MGI framework: loading the crosswalks and applying framework versions."""

from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext as _

from . import framework_io, versioning_io
from .framework_io import FrameworkData, FrameworkInvalid
from .models import (
    Dimension,
    FrameworkChangeNote,
    FrameworkVersion,
    GCMObjective,
    Indicator,
    IndicatorGCMLink,
    IndicatorMapping,
    SDGDomain,
    SDGSubcategory,
    SubArea,
)
from .spreadsheets import CellError, WorkbookError, open_workbook

M = TypeVar("M", bound=models.Model)


@dataclass
class ApplyResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    framework: FrameworkVersion | None = None
    errors: list[CellError] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def upsert_if_changed(
    model: type[M], result: ApplyResult, lookup: dict[str, Any], values: dict[str, Any]
) -> M:
    """Create or update one row, writing only when something differs (so reloads are no-ops)."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        result.created += 1
        return model._default_manager.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        result.updated += 1
    else:
        result.unchanged += 1
    return obj


def _set_indirect(
    indicator: Indicator, numbers: set[int], result: ApplyResult, *, is_new: bool
) -> None:
    """Flag the GCM links of `numbers` as indirect and the others as direct."""
    links = IndicatorGCMLink.objects.filter(indicator=indicator)
    current = set(links.filter(indirect=True).values_list("gcmobjective__number", flat=True))
    if current != numbers:
        links.update(indirect=False)
        links.filter(gcmobjective__number__in=numbers).update(indirect=True)
        if not is_new:
            result.updated += 1


def _set_m2m(manager: Any, wanted: list[Any], result: ApplyResult, *, is_new: bool) -> None:
    current = {obj.pk for obj in manager.all()}
    target = {obj.pk for obj in wanted}
    if current != target:
        manager.set(wanted)
        if not is_new:
            result.updated += 1


@transaction.atomic
def crosswalks_load(*, data: dict[str, Any]) -> ApplyResult:
    result = ApplyResult()
    for item in data["gcm_objectives"]:
        upsert_if_changed(
            GCMObjective,
            result,
            {"number": item["number"]},
            {"title_en": item["title"]["en"], "title_id": item["title"]["id"]},
        )
    for dom in data["sdg_domains"]:
        domain = upsert_if_changed(
            SDGDomain,
            result,
            {"code": str(dom["code"])},
            {"name_en": dom["name"]["en"], "name_id": dom["name"]["id"]},
        )
        for sub in dom["subcategories"]:
            upsert_if_changed(
                SDGSubcategory,
                result,
                {"code": str(sub["code"]).lower()},
                {
                    "domain": domain,
                    "name_en": sub["name"]["en"],
                    "name_id": sub["name"]["id"],
                    "verified": bool(sub.get("verified")),
                },
            )
    return result


def crosswalk_codes() -> tuple[set[int], set[str]]:
    return (
        set(GCMObjective.objects.values_list("number", flat=True)),
        set(SDGSubcategory.objects.values_list("code", flat=True)),
    )


@transaction.atomic
def framework_apply(*, data: FrameworkData) -> ApplyResult:
    """Make the stored framework version exactly `data`; rows it no longer has are removed."""
    result = ApplyResult()
    fw_values = dict(data.framework)
    code = fw_values.pop("code")
    framework = upsert_if_changed(FrameworkVersion, result, {"code": code}, fw_values)
    result.framework = framework

    dims: dict[int, Dimension] = {}
    for item in data.dimensions:
        values = {k: v for k, v in item.items() if k != "number"}
        dims[item["number"]] = upsert_if_changed(
            Dimension, result, {"framework": framework, "number": item["number"]}, values
        )
    subs: dict[str, SubArea] = {}
    for item in data.subareas:
        subs[item["code"]] = upsert_if_changed(
            SubArea,
            result,
            {"dimension": dims[item["dimension"]], "code": item["code"]},
            {"name_en": item["name_en"], "name_id": item["name_id"], "order": item["order"]},
        )
    gcm = {o.number: o for o in GCMObjective.objects.all()}
    sdg = {s.code: s for s in SDGSubcategory.objects.all()}
    kept: list[int] = []
    for item in data.indicators:
        values = {
            k: v
            for k, v in item.items()
            if k not in ("code", "dimension", "subarea", "gcm", "gcm_indirect", "sdg")
        }
        values["dimension"] = dims[item["dimension"]]
        values["subarea"] = subs[item["subarea"]]
        created_before = result.created
        indicator = upsert_if_changed(
            Indicator, result, {"framework": framework, "code": item["code"]}, values
        )
        is_new = result.created > created_before
        _set_m2m(indicator.gcm_objectives, [gcm[n] for n in item["gcm"]], result, is_new=is_new)
        _set_m2m(indicator.sdg_subcategories, [sdg[c] for c in item["sdg"]], result, is_new=is_new)
        _set_indirect(indicator, set(item.get("gcm_indirect", [])), result, is_new=is_new)
        kept.append(indicator.pk)

    try:
        stale_indicators = Indicator.objects.filter(framework=framework).exclude(pk__in=kept)
        stale_subareas = SubArea.objects.filter(dimension__framework=framework).exclude(
            pk__in=[s.pk for s in subs.values()]
        )
        stale_dimensions = Dimension.objects.filter(framework=framework).exclude(
            pk__in=[d.pk for d in dims.values()]
        )
        for qs in (stale_indicators, stale_subareas, stale_dimensions):
            count = qs.count()
            if count:
                qs.delete()
                result.deleted += count
    except ProtectedError as exc:
        raise FrameworkInvalid(
            [
                CellError(
                    framework_io.SHEET_INDICATORS,
                    None,
                    None,
                    _(
                        "Framework %(code)s is already used by an assessment, so indicators "
                        "cannot be removed from it; import it under a new version code."
                    )
                    % {"code": code},
                )
            ]
        ) from exc
    _mapping_apply(framework, data, result)
    _change_notes_record(framework, data.change_notes, result)
    return result


def _mapping_apply(framework: FrameworkVersion, data: FrameworkData, result: ApplyResult) -> None:
    """Make the version's code mapping exactly the data's (none if the data has none)."""
    stored = IndicatorMapping.objects.filter(to_version=framework)
    current = {
        (m.from_version.code, m.from_code, m.to_code, m.relation)
        for m in stored.select_related("from_version")
    }
    wanted = {
        (data.mapping_from, r["from_code"], r["to_code"], r["relation"]) for r in data.mapping
    }
    if current == wanted:
        return
    result.deleted += stored.count()
    stored.delete()
    if wanted:
        from_version = FrameworkVersion.objects.get(code=data.mapping_from)
        IndicatorMapping.objects.bulk_create(
            IndicatorMapping(from_version=from_version, to_version=framework, **row)
            for row in data.mapping
        )
        result.created += len(data.mapping)


def _change_notes_record(
    framework: FrameworkVersion, notes: list[dict[str, Any]], result: ApplyResult
) -> None:
    """Record the notes not recorded yet (by the 0003 migration or an earlier load); a
    note is history, so one no longer in the file is kept."""
    for note in notes:
        key = {k: note[k] for k in ("element", "field", "changed_on")}
        _obj, created = FrameworkChangeNote.objects.get_or_create(
            framework=framework, **key, defaults=note
        )
        result.created += int(created)


def _codes_of(version: str) -> set[str] | None:
    framework = FrameworkVersion.objects.filter(code=version).first()
    if framework is None:
        return None
    return set(framework.indicators.values_list("code", flat=True))


def _validated(
    tables: dict[str, Any],
    mapping_rows: list[Any],
    errors: list[CellError],
    raw: dict[str, Any] | None = None,
) -> FrameworkData:
    """Validate the four framework sheets, the mapping and (YAML) the change notes together,
    so that one FrameworkInvalid lists every problem of the file."""
    gcm_numbers, sdg_codes = crosswalk_codes()
    fw_rows = tables.get(framework_io.SHEET_FRAMEWORK) or []
    framework_code = fw_rows[0].text("code") if fw_rows else ""
    to_codes = {r.text("code") for r in tables.get(framework_io.SHEET_INDICATORS) or []}
    mapping_from, mapping = versioning_io.validate_mapping(
        mapping_rows,
        framework_code=framework_code,
        to_codes=to_codes,
        codes_of=_codes_of,
        errors=errors,
    )
    notes = versioning_io.validate_notes(raw, tables, errors) if raw else []
    data = framework_io.validate_tables(
        tables, gcm_numbers=gcm_numbers, sdg_codes=sdg_codes, errors=errors
    )
    data.mapping_from, data.mapping, data.change_notes = mapping_from, mapping, notes
    return data


def framework_load_file(*, path: Any) -> ApplyResult:
    """Validate and apply a YAML framework file of the repository."""
    raw = framework_io.load_yaml(path)
    tables = framework_io.tables_from_yaml(raw)
    mapping_rows = versioning_io.mapping_rows_from_yaml(raw)
    return framework_apply(data=_validated(tables, mapping_rows, [], raw))


def framework_import_workbook(
    *, upload: IO[bytes], name: str = "", dry_run: bool = False
) -> ApplyResult:
    """Validate an uploaded workbook in full; apply it only if every cell is valid.

    Raises FrameworkInvalid (or WorkbookError) with every problem; the database is then
    untouched. With `dry_run` the changes are computed and rolled back.
    """
    errors: list[CellError] = []
    workbook = open_workbook(upload, name=name)
    try:
        tables = framework_io.tables_from_workbook(workbook, errors)
        mapping_rows = versioning_io.mapping_rows_from_workbook(workbook, errors)
    finally:
        workbook.close()
    data = _validated(tables, mapping_rows, errors)
    with transaction.atomic():
        result = framework_apply(data=data)
        if dry_run:
            transaction.set_rollback(True)
    return result


__all__ = [
    "ApplyResult",
    "FrameworkInvalid",
    "WorkbookError",
    "crosswalks_load",
    "framework_apply",
    "framework_import_workbook",
    "framework_load_file",
]
