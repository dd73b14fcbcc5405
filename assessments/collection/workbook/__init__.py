"""The focal points' Excel round trip, the answers workbook: an institution's answers out to a
workbook and back (not the coordinator's survey matrix, which is assessments/setup/).

Export writes the institution's assigned indicators, prefilled, with dropdowns for the
answer columns and the identifying columns locked. Import reads the workbook as written
(formulas refused, never evaluated), compares every row with the portal, and reports each
problem with its sheet, row and column. Nothing is written unless the whole workbook is
valid; then new evidence goes through `services.evidence_create` and every change through
`services.responses_update_bulk` (the rules and version check of a single save, and a
history row per answer naming the import as the reason), inside one transaction.
"""

from assessments.collection.workbook.apply import (
    ImportRefused,
    answers_workbook_import_apply,
    answers_workbook_import_create,
    answers_workbook_import_upload_and_apply,
    clean_filename,
    import_reason,
)
from assessments.collection.workbook.common import (
    EVIDENCE_COLUMNS,
    RESPONSE_COLUMNS,
    SHEET_EVIDENCE,
    SHEET_INSTRUCTIONS,
    SHEET_RESPONSES,
    XLSX_CONTENT_TYPE,
    WorkbookData,
    workbook_data,
)
from assessments.collection.workbook.compare import plan_import
from assessments.collection.workbook.export import (
    export_workbook,
    workbook_filename,
    workbook_http_response,
)
from assessments.collection.workbook.plan import ImportPlan

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
    "answers_workbook_import_apply",
    "answers_workbook_import_create",
    "answers_workbook_import_upload_and_apply",
    "clean_filename",
    "export_workbook",
    "import_reason",
    "plan_import",
    "workbook_data",
    "workbook_filename",
    "workbook_http_response",
]
