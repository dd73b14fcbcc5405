"""Pages of the focal points' answers workbook: export, upload, preview and apply."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.collection import workbook
from assessments.models import AnswersWorkbookImport, Assessment
from assessments.permissions import request_user as _user
from ministries.models import Institution


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + workbook.XLSX_CONTENT_TYPE}),
    )


@login_required
def workbook_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The institution's indicators as a workbook, prefilled with the current answers."""
    user = _user(request)
    assessment = permissions.get_assessment_for_user(user, pk)
    institution = permissions.workbook_export_institution(
        user, request.GET.get("institution", "").strip()
    )
    if institution is None:
        return HttpResponseBadRequest(
            _("Name the institution whose workbook you want: ?institution=<acronym>.")
        )
    data = workbook.workbook_data(assessment, institution)
    if not data.is_assigned:
        raise Http404
    return workbook.workbook_http_response(data)


def _own_data(request: HttpRequest, pk: int) -> tuple[Assessment, Institution]:
    user = _user(request)
    assessment = permissions.get_assessment_for_user(user, pk)
    institution = permissions.workbook_import_institution(user)
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
            workbook_import, plan = workbook.answers_workbook_import_create(
                assessment=assessment, institution=institution, actor=user, upload=upload
            )
            if workbook_import is not None:
                return redirect(
                    "workbook_import_preview", pk=assessment.pk, import_id=workbook_import.pk
                )
            errors = plan.errors
        status = 400
    recent = AnswersWorkbookImport.objects.filter(
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


def _get_import(request: HttpRequest, pk: int, import_id: int) -> AnswersWorkbookImport:
    """The user's own upload; anyone else's does not exist for them."""
    assessment, institution = _own_data(request, pk)
    return get_object_or_404(
        AnswersWorkbookImport.objects.select_related("assessment", "institution"),
        pk=import_id,
        assessment=assessment,
        institution=institution,
        uploaded_by=_user(request),
    )


def _render_preview(
    request: HttpRequest,
    workbook_import: AnswersWorkbookImport,
    plan: workbook.ImportPlan | None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "assessments/workbook_preview.html",
        {
            "assessment": workbook_import.assessment,
            "institution": workbook_import.institution,
            "workbook_import": workbook_import,
            "plan": plan,
            "rows": plan.preview_rows() if plan and plan.ok else [],
            "errors": plan.errors if plan else [],
        },
        status=status,
    )


@login_required
def workbook_import_preview(request: HttpRequest, pk: int, import_id: int) -> HttpResponse:
    """What the uploaded workbook would change, checked against the portal as it is now."""
    workbook_import = _get_import(request, pk, import_id)
    plan = None
    if workbook_import.status != AnswersWorkbookImport.Status.APPLIED:
        with workbook_import.file.open("rb") as handle:
            plan = workbook.plan_import(
                assessment=workbook_import.assessment,
                institution=workbook_import.institution,
                upload=handle,
                name=workbook_import.filename,
            )
    return _render_preview(request, workbook_import, plan)


@login_required
@require_POST
def workbook_import_apply(request: HttpRequest, pk: int, import_id: int) -> HttpResponse:
    """Apply the previewed workbook, all of it or nothing."""
    workbook_import = _get_import(request, pk, import_id)
    try:
        plan = workbook.answers_workbook_import_apply(
            workbook_import=workbook_import, actor=_user(request)
        )
    except workbook.ImportRefused as exc:
        plan = workbook.ImportPlan(
            workbook_import.assessment,
            workbook_import.institution,
            workbook_import.filename,
            errors=exc.errors,
        )
        return _render_preview(request, workbook_import, plan, status=400)
    messages.success(
        request,
        _("Imported %(file)s: %(answers)s answers changed, %(evidence)s evidence items added.")
        % {
            "file": workbook_import.filename,
            "answers": len(plan.changes),
            "evidence": len(plan.new_evidence),
        },
    )
    return redirect("workbook_import_preview", pk=pk, import_id=workbook_import.pk)
