"""Comparing the answers workbook with the portal: each valid row of the Responses sheet
against the answer as it is now (changed at all? still editable? the version it was
exported at?), and `plan_import`, which reads the whole upload into an `ImportPlan`.
Writes nothing.
"""

from typing import IO, Any

from django.utils.translation import gettext as _

from assessments.collection.workbook.common import (
    RESPONSE_COLUMNS,
    SHEET_RESPONSES,
    VALUE_FIELDS,
    WorkbookData,
    _norm_ref,
    answer_value,
    evidence_ref,
    workbook_data,
)
from assessments.collection.workbook.plan import ImportPlan, RowChange, Values
from assessments.collection.workbook.sheets import (
    ResponseLookups,
    check_locked,
    check_meta,
    read_evidence,
    row_response,
    row_values,
)
from assessments.collection.workbook.vocabulary import read_workbook_sheet
from assessments.models import Assessment, Response
from indicators.models import Indicator
from indicators.spreadsheets import SheetRow, WorkbookError, open_workbook
from ministries.models import Institution


def _current_values(response: Response) -> Values:
    return Values(
        answer=answer_value(response),
        coverage=response.coverage,
        justification=response.justification,
        evidence=frozenset(_norm_ref(evidence_ref(e.pk)) for e in response.evidence.all()),
    )


def _compare(row: SheetRow, plan: ImportPlan, response: Response, new: Values) -> None:
    """Count the row as unchanged, refuse it (submitted answer, assessment not collecting,
    answer changed on the portal since the export) or add it to the plan's changes."""
    old = _current_values(response)
    if new == old:
        plan.unchanged += 1
        return
    first_changed = next(f for f in VALUE_FIELDS if getattr(old, f) != getattr(new, f))
    if not response.is_editable:
        plan.errors.append(
            row.error(
                first_changed,
                _(
                    "Your institution has submitted this answer; it can no longer be changed "
                    "unless it is returned to you."
                ),
            )
        )
        return
    if not plan.assessment.is_collecting:
        plan.errors.append(row.error(first_changed, _("The assessment is not collecting answers.")))
        return
    exported_version = row.text("version")
    if int(exported_version) != response.version:
        plan.errors.append(
            row.error(
                "version",
                _(
                    "This answer was changed on the portal after the workbook was exported "
                    "(version %(old)s, now %(new)s). Export the workbook again, or make your "
                    "change on the portal."
                )
                % {"old": exported_version, "new": response.version},
            )
        )
        return
    plan.changes.append(RowChange(row, response, response.version, old, new))


def _read_responses(
    workbook: Any, plan: ImportPlan, data: WorkbookData, known_refs: set[str], codes: set[str]
) -> None:
    rows = read_workbook_sheet(workbook, SHEET_RESPONSES, RESPONSE_COLUMNS, plan.errors)
    if rows is None:
        return
    by_code = {r.indicator.code: r for r in data.responses}
    lookups = ResponseLookups.build()
    seen: dict[str, int] = {}
    for row in rows:
        response = row_response(row, plan, by_code, seen, codes)
        if response is None:
            continue
        problems = len(plan.errors)
        check_locked(row, plan, response, lookups, data.roles)
        new = row_values(row, plan, response, lookups, known_refs)
        # A row with any problem is not compared: the import will be refused anyway.
        if new is None or len(plan.errors) != problems:
            continue
        _compare(row, plan, response, new)


def plan_import(
    *, assessment: Assessment, institution: Institution, upload: IO[bytes], name: str = ""
) -> ImportPlan:
    """Read an uploaded workbook and compare it with the portal; writes nothing."""
    plan = ImportPlan(assessment, institution, name)
    try:
        workbook = open_workbook(upload, name=name)
    except WorkbookError as exc:
        plan.readable = False
        plan.errors = list(exc.errors)
        return plan
    try:
        data = workbook_data(assessment, institution)
        plan.existing_evidence = {_norm_ref(evidence_ref(e.pk)): e for e in data.evidence}
        plan.ref_names = {_norm_ref(evidence_ref(e.pk)): evidence_ref(e.pk) for e in data.evidence}
        codes = set(
            Indicator.objects.filter(framework_id=assessment.framework_id).values_list(
                "code", flat=True
            )
        )
        check_meta(workbook, plan)
        known = read_evidence(workbook, plan)
        _read_responses(workbook, plan, data, known, codes)
    except WorkbookError as exc:  # a damaged sheet, found while reading it
        plan.readable = False
        plan.errors = list(exc.errors)
    finally:
        workbook.close()
    return plan
