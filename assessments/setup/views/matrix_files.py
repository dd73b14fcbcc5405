"""The survey matrix as a workbook: export, and import with a preview before applying."""

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments import errors, permissions
from assessments.models import Assessment
from assessments.permissions import request_user as _user
from assessments.setup.forms import MatrixWorkbookForm
from assessments.setup.matrix_workbook import XLSX_CONTENT_TYPE, matrix_workbook_bytes
from assessments.setup.matrix_workbook_import import (
    MatrixInvalid,
    MatrixPlan,
    matrix_import,
    matrix_workbook_read,
)
from assessments.setup.removal import RemovalRefused
from assessments.setup.views.removal_confirm import removal_confirmation, removal_reason
from indicators.spreadsheets import CellError, WorkbookError


@login_required
def matrix_export(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = permissions.get_process_assessment_for_user(_user(request), pk)
    response = HttpResponse(matrix_workbook_bytes(assessment), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="survey-matrix-{assessment.year}-{assessment.pk}.xlsx"'
    )
    return response


def _import_key(assessment: Assessment) -> str:
    return f"matrix-import-{assessment.pk}"


@login_required
def matrix_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload → every row checked → preview of the changes → apply, atomically.

    The checked matrix waits in the session between preview and apply, with the digest of
    the matrix it was compared with: if the matrix changed meanwhile, nothing is applied.
    """
    user = _user(request)
    assessment = permissions.get_process_assessment_for_user(user, pk)
    permissions.require(permissions.can_manage(user, assessment))
    if request.method == "POST" and "apply" in request.POST:
        return _apply_stored_plan(request, assessment)
    context: dict[str, Any] = {"assessment": assessment, "form": MatrixWorkbookForm()}
    if request.method == "POST":
        form = MatrixWorkbookForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            context.update(_preview(request, assessment, form.cleaned_data["file"]))
    return render(request, "assessments/setup_matrix_import.html", context)


def _preview(request: HttpRequest, assessment: Assessment, upload: Any) -> dict[str, Any]:
    """Check the uploaded workbook; keep its plan in the session for the apply step."""
    try:
        plan = matrix_workbook_read(assessment=assessment, upload=upload, name=upload.name)
    except (WorkbookError, MatrixInvalid) as exc:
        return {"errors": exc.errors}
    except errors.ServiceError as exc:
        return {"errors": [CellError(upload.name, None, None, exc.message)]}
    token = secrets.token_urlsafe(16)
    request.session[_import_key(assessment)] = {
        "token": token,
        "fingerprint": plan.fingerprint,
        "cells": [[i, j, role] for (i, j), role in plan.cells.items()],
        "filename": upload.name,
    }
    return {"plan": plan, "token": token, "filename": upload.name, "errors": []}


def _apply_stored_plan(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """Apply the plan the preview showed, if the posted token is the one in the session."""
    stored = request.session.get(_import_key(assessment))
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(request, _("This preview is no longer current; upload the workbook again."))
        return redirect("matrix_import", pk=assessment.pk)
    plan = MatrixPlan(
        cells={(i, j): role for i, j, role in stored["cells"]},
        fingerprint=stored["fingerprint"],
    )
    try:
        change = matrix_import(
            assessment=assessment,
            actor=_user(request),
            plan=plan,
            removal_reason=removal_reason(request),
            filename=stored.get("filename", ""),
        )
    except RemovalRefused as exc:  # the plan stays in the session for the confirmed POST
        cancel = reverse("matrix_import", args=[assessment.pk])
        return removal_confirmation(request, exc, cancel_url=cancel)
    except errors.ServiceError as exc:
        del request.session[_import_key(assessment)]
        messages.error(request, exc.message)
        return redirect("matrix_import", pk=assessment.pk)
    del request.session[_import_key(assessment)]
    messages.success(
        request,
        _(
            "Workbook imported: %(created)s assignments added, %(changed)s changed, %(removed)s removed."
        )
        % {"created": change.created, "changed": change.changed, "removed": change.removed},
    )
    return redirect("matrix_grid", pk=assessment.pk)
