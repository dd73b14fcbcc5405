"""Import of the answers workbook, storing and applying: an upload kept for its preview
(an `AnswersWorkbookImport`), then applied all or nothing."""

import os

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import errors
from assessments.collection import services as collection_services
from assessments.collection.workbook.common import (
    EVIDENCE_COLUMNS,
    RESPONSE_COLUMNS,
    _norm_ref,
    portal_values,
)
from assessments.collection.workbook.compare import plan_import
from assessments.collection.workbook.plan import ImportPlan, RowChange
from assessments.history_reasons import EXCEL_IMPORT, reason_code
from assessments.models import AnswersWorkbookImport, Assessment, Evidence
from indicators.spreadsheets import CellError
from ministries.models import Institution, User


class ImportRefused(Exception):
    """The workbook cannot be applied; `errors` says where and why. Nothing was written."""

    def __init__(self, errors: list[CellError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def clean_filename(name: str) -> str:
    base = os.path.basename(name or "").strip() or "workbook.xlsx"
    return base[-255:]


def import_reason(filename: str) -> str:
    """The history reason of an import: a code naming the file, put into words when read."""
    return reason_code(EXCEL_IMPORT, filename=filename)


@transaction.atomic
def answers_workbook_import_create(
    *, assessment: Assessment, institution: Institution, actor: User, upload: UploadedFile
) -> tuple[AnswersWorkbookImport | None, ImportPlan]:
    """Check an upload and keep it for its preview; an unreadable file is not kept."""
    filename = clean_filename(upload.name or "")
    plan = plan_import(assessment=assessment, institution=institution, upload=upload, name=filename)
    if not plan.readable:
        return None, plan
    upload.seek(0)
    workbook_import = AnswersWorkbookImport(
        assessment=assessment,
        institution=institution,
        uploaded_by=actor,
        filename=filename,
        status=AnswersWorkbookImport.Status.PREVIEWED
        if plan.ok
        else AnswersWorkbookImport.Status.REFUSED,
    )
    workbook_import.file.save(filename, upload, save=False)
    workbook_import.save()
    return workbook_import, plan


def _create_evidence(plan: ImportPlan, *, actor: User) -> dict[str, Evidence]:
    """The plan's new evidence, created; by normalised reference."""
    created: dict[str, Evidence] = {}
    for item in plan.new_evidence:
        try:
            created[_norm_ref(item.ref)] = collection_services.evidence_create(
                assessment=plan.assessment,
                institution=plan.institution,
                actor=actor,
                kind=item.kind,
                title=item.title,
                instrument_type=item.instrument_type,
                number=item.number,
                year=item.year,
                article=item.article,
                url=item.url,
                instrument=item.instrument,
            )
        except ValidationError as exc:
            raise ImportRefused(
                [
                    item.row.error(name if name in EVIDENCE_COLUMNS else "ref", " ".join(msgs))
                    for name, msgs in exc.message_dict.items()
                ]
            ) from exc
    return created


def _refusal(change: RowChange, error: Exception) -> ImportRefused:
    """A change the bulk write refused, named by its row (`errors.ChangeRefused`)."""
    if isinstance(error, errors.StaleResponse):
        return ImportRefused(
            [
                change.row.error(
                    "version",
                    _(
                        "This answer was changed on the portal a moment ago; nothing was "
                        "imported. Check the preview again."
                    ),
                )
            ]
        )
    if isinstance(error, ValidationError):
        return ImportRefused(
            [
                change.row.error(name if name in RESPONSE_COLUMNS else "answer", " ".join(m))
                for name, m in error.message_dict.items()
            ]
        )
    assert isinstance(error, errors.ServiceError)
    return ImportRefused([change.row.error(change.fields[0], error.message)])


def _apply(plan: ImportPlan, *, actor: User, reason: str) -> None:
    evidence_by_ref = {**plan.existing_evidence, **_create_evidence(plan, actor=actor)}
    changes = [
        collection_services.ResponseChange(
            response=change.response,
            version=change.version,
            values={
                **portal_values(change.new.answer, change.new.coverage),
                "justification": change.new.justification,
            },
            evidence=[evidence_by_ref[ref] for ref in sorted(change.new.evidence)]
            if "evidence" in change.fields
            else None,
        )
        for change in plan.changes
    ]
    try:
        collection_services.responses_update_bulk(changes=changes, actor=actor, reason=reason)
    except errors.ChangeRefused as refused:
        raise _refusal(plan.changes[refused.index], refused.error) from refused.error


def answers_workbook_import_apply(
    *, workbook_import: AnswersWorkbookImport, actor: User, plan: ImportPlan | None = None
) -> ImportPlan:
    """Re-check the stored workbook and apply it, all or nothing.

    `plan` may be passed when it was computed a moment ago in the same request; the
    version check of every response still guards against a save in between.
    """
    with transaction.atomic():
        # Locked so that two clicks on Apply cannot both apply the same workbook.
        locked = (
            AnswersWorkbookImport.objects.select_for_update(of=("self",))
            .select_related("assessment", "institution")
            .get(pk=workbook_import.pk)
        )
        if locked.status != AnswersWorkbookImport.Status.PREVIEWED:
            raise ImportRefused(
                [
                    CellError(
                        locked.filename,
                        None,
                        None,
                        _("This workbook has already been applied or was refused."),
                    )
                ]
            )
        if plan is None:
            with locked.file.open("rb") as handle:
                plan = plan_import(
                    assessment=locked.assessment,
                    institution=locked.institution,
                    upload=handle,
                    name=locked.filename,
                )
        if not plan.ok:
            raise ImportRefused(plan.errors)
        _apply(plan, actor=actor, reason=import_reason(locked.filename))
        locked.status = AnswersWorkbookImport.Status.APPLIED
        locked.applied_at = timezone.now()
        locked.save(update_fields=["status", "applied_at"])
        workbook_import.status, workbook_import.applied_at = locked.status, locked.applied_at
    return plan


def answers_workbook_import_upload_and_apply(
    *, assessment: Assessment, institution: Institution, actor: User, upload: UploadedFile
) -> tuple[AnswersWorkbookImport, ImportPlan]:
    """Check, keep and apply an upload in one go (the API without `dry_run`)."""
    workbook_import, plan = answers_workbook_import_create(
        assessment=assessment, institution=institution, actor=actor, upload=upload
    )
    if workbook_import is None or not plan.ok:
        raise ImportRefused(plan.errors)
    return workbook_import, answers_workbook_import_apply(
        workbook_import=workbook_import, actor=actor, plan=plan
    )
