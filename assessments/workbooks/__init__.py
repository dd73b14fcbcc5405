"""The focal points' Excel round trip: an institution's answers out to a workbook and back.

Export writes the institution's assigned indicators, prefilled, with dropdowns for the
answer columns and the identifying columns locked. Import reads the workbook as written
(formulas refused, never evaluated), compares every row with the portal, and reports each
problem with its sheet, row and column. Nothing is written unless the whole workbook is
valid; then new evidence goes through `services.evidence_create` and every change through
`services.responses_update_bulk` (the rules and version check of a single save, and a
history row per answer naming the import as the reason), inside one transaction.
"""

from .apply import (
    ImportRefused,
    clean_filename,
    import_reason,
    matrix_import_apply,
    matrix_import_create,
    matrix_import_upload_and_apply,
)
from .common import (
    EVIDENCE_COLUMNS,
    RESPONSE_COLUMNS,
    SHEET_EVIDENCE,
    SHEET_INSTRUCTIONS,
    SHEET_RESPONSES,
    XLSX_CONTENT_TYPE,
    WorkbookData,
    workbook_data,
)
from .export import export_workbook, workbook_filename
from .plan import ImportPlan, plan_import

__all__ = [
    "EVIDENCE_COLUMNS",
    "RESPONSE_COLUMNS",
    "SHEET_EVIDENCE",
    "SHEET_INSTRUCTIONS",
    "SHEET_RESPONSES",
    "XLSX_CONTENT_TYPE",
    "ImportPlan",
    "ImportRefused",
    "WorkbookData",
    "clean_filename",
    "export_workbook",
    "import_reason",
    "matrix_import_apply",
    "matrix_import_create",
    "matrix_import_upload_and_apply",
    "plan_import",
    "workbook_data",
    "workbook_filename",
]
