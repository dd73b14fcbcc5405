"""django-import-export resources: the columns of each framework sheet, for export.

Import of a whole framework goes through `services.framework_import_workbook`, which
validates all four sheets together before anything is written; these resources define
the same columns so an exported workbook can be edited and imported back unchanged.
"""

import io
from typing import Any

import tablib
from import_export import fields, resources
from openpyxl import Workbook
from openpyxl.styles import Font

from .framework_io import (
    COLUMNS,
    SHEET_DIMENSIONS,
    SHEET_FRAMEWORK,
    SHEET_INDICATORS,
    SHEET_SUBAREAS,
)
from .models import Dimension, FrameworkVersion, Indicator, IndicatorMapping, SubArea
from .spreadsheets import escape_cell
from .versioning_io import MAPPING_COLUMNS, SHEET_MAPPING


class FrameworkVersionResource(resources.ModelResource):
    class Meta:
        model = FrameworkVersion
        fields = COLUMNS[SHEET_FRAMEWORK]
        export_order = COLUMNS[SHEET_FRAMEWORK]


class DimensionResource(resources.ModelResource):
    class Meta:
        model = Dimension
        fields = COLUMNS[SHEET_DIMENSIONS]
        export_order = COLUMNS[SHEET_DIMENSIONS]


class SubAreaResource(resources.ModelResource):
    dimension = fields.Field(column_name="dimension", attribute="dimension__number")

    class Meta:
        model = SubArea
        fields = COLUMNS[SHEET_SUBAREAS]
        export_order = COLUMNS[SHEET_SUBAREAS]


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


class IndicatorResource(resources.ModelResource):
    dimension = fields.Field(column_name="dimension", attribute="dimension__number")
    subarea = fields.Field(column_name="subarea", attribute="subarea__code")
    allows_na = fields.Field(column_name="allows_na")
    coverage = fields.Field(column_name="coverage")
    national_competence = fields.Field(column_name="national_competence")
    gcm = fields.Field(column_name="gcm")
    gcm_indirect = fields.Field(column_name="gcm_indirect")
    sdg = fields.Field(column_name="sdg")

    class Meta:
        model = Indicator
        fields = COLUMNS[SHEET_INDICATORS]
        export_order = COLUMNS[SHEET_INDICATORS]

    def dehydrate_allows_na(self, obj: Indicator) -> str:
        return _yes_no(obj.allows_not_applicable)

    def dehydrate_coverage(self, obj: Indicator) -> str:
        return _yes_no(obj.has_coverage)

    def dehydrate_national_competence(self, obj: Indicator) -> str:
        return _yes_no(obj.national_competence)

    def dehydrate_gcm(self, obj: Indicator) -> str:
        return ",".join(str(o.number) for o in obj.gcm_objectives.all())

    def dehydrate_gcm_indirect(self, obj: Indicator) -> str:
        numbers = sorted(link.gcmobjective.number for link in obj.gcm_links.all() if link.indirect)
        return ",".join(str(n) for n in numbers)

    def dehydrate_sdg(self, obj: Indicator) -> str:
        return ",".join(s.code for s in obj.sdg_subcategories.all())


def framework_datasets(framework: FrameworkVersion) -> list[tablib.Dataset]:
    indicators = (
        Indicator.objects.filter(framework=framework)
        .select_related("dimension", "subarea")
        .prefetch_related("gcm_objectives", "sdg_subcategories", "gcm_links__gcmobjective")
    )
    parts: list[tuple[str, resources.ModelResource, Any]] = [
        (
            SHEET_FRAMEWORK,
            FrameworkVersionResource(),
            FrameworkVersion.objects.filter(pk=framework.pk),
        ),
        (SHEET_DIMENSIONS, DimensionResource(), framework.dimensions.all()),
        (
            SHEET_SUBAREAS,
            SubAreaResource(),
            SubArea.objects.filter(dimension__framework=framework).select_related("dimension"),
        ),
        (SHEET_INDICATORS, IndicatorResource(), indicators),
    ]
    datasets = []
    for title, resource, queryset in parts:
        dataset = resource.export(queryset=queryset)
        dataset.title = title
        datasets.append(dataset)
    datasets.append(_mapping_dataset(framework))
    return datasets


def _mapping_dataset(framework: FrameworkVersion) -> tablib.Dataset:
    """The Mapping sheet: the codes of the version this one follows, row by row (headers
    only for a first version, so the sheet is there to fill in)."""
    dataset = tablib.Dataset(headers=MAPPING_COLUMNS, title=SHEET_MAPPING)
    for m in IndicatorMapping.objects.filter(to_version=framework).select_related("from_version"):
        dataset.append([m.from_version.code, m.from_code, m.to_code, m.relation])
    return dataset


def framework_workbook_bytes(framework: FrameworkVersion) -> bytes:
    """The framework as an .xlsx with one sheet per table, every text cell escaped."""
    wb = Workbook()
    wb.remove(wb.active)
    for dataset in framework_datasets(framework):
        ws = wb.create_sheet(dataset.title)
        ws.append(list(dataset.headers or []))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in dataset:
            ws.append([escape_cell(v) for v in row])
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
