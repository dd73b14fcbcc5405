"""Pages of the focal points' Excel round trip: export, upload, preview and apply."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ministries.models import Institution, User

from . import permissions, workbooks
from .models import Assessment, MatrixImport
from .permissions import request_user as _user


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + workbooks.XLSX_CONTENT_TYPE}),
    )


def get_assessment(request: HttpRequest, pk: int) -> Assessment:
    return get_object_or_404(permissions.assessments_visible_to(_user(request)), pk=pk)


def export_institution(user: User, acronym: str) -> Institution | None:
    """The institution whose workbook `user` may export, or None when they must name one.

    A focal point exports their own institution (naming another is a 404); coordinators,
    facilitators and administrators who see the assessment name the institution.
    """
    if user.is_focal_point:
        if user.institution is None or (
            acronym and acronym.casefold() != user.institution.acronym.casefold()
        ):
            raise Http404
        return user.institution
    if not acronym:
        return None
    return get_object_or_404(Institution, acronym__iexact=acronym)


def importing_institution(user: User) -> Institution:
    """Only focal points import, and only for their own institution."""
    if not user.is_focal_point or user.institution is None:
        raise PermissionDenied
    return user.institution


def workbook_response(data: workbooks.WorkbookData) -> HttpResponse:
    response = HttpResponse(
        workbooks.export_workbook(data), content_type=workbooks.XLSX_CONTENT_TYPE
    )
    filename = workbooks.workbook_filename(data.assessment, data.institution)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def workbook_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The institution's indicators as a workbook, prefilled with the current answers."""
    user = _user(request)
    assessment = get_assessment(request, pk)
    institution = export_institution(user, request.GET.get("institution", "").strip())
    if institution is None:
        return HttpResponseBadRequest(
            _("Name the institution whose workbook you want: ?institution=<acronym>.")
        )
    data = workbooks.workbook_data(assessment, institution)
    if not data.is_assigned:
        raise Http404
    return workbook_response(data)


def _own_data(request: HttpRequest, pk: int) -> tuple[Assessment, Institution]:
    user = _user(request)
    assessment = get_assessment(request, pk)
    institution = importing_institution(user)
    acronym = request.GET.get("institution", "").strip()
    if acronym and acronym.casefold() != institution.acronym.casefold():
        raise Http404
    if not assessment.assignments.filter(institution=institution).exists():
        raise Http404
    return assessment, institution


@login_required
def workbook_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a filled workbook; it is checked and kept for its preview."""
    user = _user(request)
    assessment, institution = _own_data(request, pk)
    form = (
        WorkbookUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else WorkbookUploadForm()
    )
    errors: list = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            matrix_import, plan = workbooks.matrix_import_create(
                assessment=assessment, institution=institution, actor=user, upload=upload
            )
            if matrix_import is not None:
                return redirect(
                    "workbook_import_preview", pk=assessment.pk, import_id=matrix_import.pk
                )
            errors = plan.errors
        status = 400
    recent = MatrixImport.objects.filter(
        assessment=assessment, institution=institution, uploaded_by=user
    )[:10]
    return render(
        request,
        "assessments/workbook_import.html",
        {
            "assessment": assessment,
            "institution": institution,
            "form": form,
            "errors": errors,
            "recent": recent,
        },
        status=status,
    )


def _get_import(request: HttpRequest, pk: int, import_id: int) -> MatrixImport:
    """The user's own upload; anyone else's does not exist for them."""
    assessment, institution = _own_data(request, pk)
    return get_object_or_404(
        MatrixImport.objects.select_related("assessment", "institution"),
        pk=import_id,
        assessment=assessment,
        institution=institution,
        uploaded_by=_user(request),
    )


def _render_preview(
    request: HttpRequest,
    matrix_import: MatrixImport,
    plan: workbooks.ImportPlan | None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "assessments/workbook_preview.html",
        {
            "assessment": matrix_import.assessment,
            "institution": matrix_import.institution,
            "matrix_import": matrix_import,
            "plan": plan,
            "rows": plan.preview_rows() if plan and plan.ok else [],
            "errors": plan.errors if plan else [],
        },
        status=status,
    )


@login_required
def workbook_import_preview(request: HttpRequest, pk: int, import_id: int) -> HttpResponse:
    """What the uploaded workbook would change, checked against the portal as it is now."""
    matrix_import = _get_import(request, pk, import_id)
    plan = None
    if matrix_import.status != MatrixImport.Status.APPLIED:
        with matrix_import.file.open("rb") as handle:
            plan = workbooks.plan_import(
                assessment=matrix_import.assessment,
                institution=matrix_import.institution,
                upload=handle,
                name=matrix_import.filename,
            )
    return _render_preview(request, matrix_import, plan)


@login_required
@require_POST
def workbook_import_apply(request: HttpRequest, pk: int, import_id: int) -> HttpResponse:
    """Apply the previewed workbook, all of it or nothing."""
    matrix_import = _get_import(request, pk, import_id)
    try:
        plan = workbooks.matrix_import_apply(matrix_import=matrix_import, actor=_user(request))
    except workbooks.ImportRefused as exc:
        plan = workbooks.ImportPlan(
            matrix_import.assessment,
            matrix_import.institution,
            matrix_import.filename,
            errors=exc.errors,
        )
        return _render_preview(request, matrix_import, plan, status=400)
    messages.success(
        request,
        _("Imported %(file)s: %(answers)s answers changed, %(evidence)s evidence items added.")
        % {
            "file": matrix_import.filename,
            "answers": len(plan.changes),
            "evidence": len(plan.new_evidence),
        },
    )
    return redirect("workbook_import_preview", pk=pk, import_id=matrix_import.pk)
