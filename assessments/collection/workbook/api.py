"""API of the focal points' answers workbook (the paths say "matrix" for historical reasons;
they are the answers workbook, not the coordinator's survey matrix).

GET  /api/v1/assessments/{id}/matrix.xlsx          the user's institution's workbook
                                                    (coordinators pass ?institution=)
POST /api/v1/assessments/{id}/matrix/import/       multipart `file`, optional `dry_run=true`
"""

from typing import Any

from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response as APIResponse
from rest_framework.views import APIView

from assessments import permissions
from assessments.collection import workbook
from assessments.permissions import request_user as _user
from indicators.spreadsheets import CellError

TRUE_VALUES = {"1", "true", "yes", "on"}


class JSONFirstNegotiation(BaseContentNegotiation):
    """Errors are JSON whatever the Accept header; the workbook itself is returned as is."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


def _errors(errors: list[CellError], code: int = status.HTTP_400_BAD_REQUEST) -> APIResponse:
    return APIResponse(
        {
            "errors": [
                {"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message}
                for e in errors
            ]
        },
        status=code,
    )


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(required=False, default=False)


class AnswersWorkbookExportView(APIView):
    """The institution's assigned indicators as a workbook, prefilled with current answers."""

    permission_classes = [IsAuthenticated]
    content_negotiation_class = JSONFirstNegotiation

    @extend_schema(
        operation_id="assessment_matrix_export",
        parameters=[
            OpenApiParameter(
                "institution",
                str,
                description="Acronym; required for coordinators and facilitators.",
            )
        ],
        responses={
            (200, workbook.XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="Coordinators must name the institution."),
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        user = _user(request)
        assessment = permissions.get_assessment_for_user(user, pk)
        acronym = request.query_params.get("institution", "").strip()
        institution = permissions.workbook_export_institution(user, acronym)
        if institution is None:
            return APIResponse(
                {"detail": _("Name the institution: ?institution=<acronym>.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        data = workbook.workbook_data(assessment, institution)
        if not data.is_assigned:
            return APIResponse(
                {"detail": _("No indicator of this assessment is assigned to the institution.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        return workbook.workbook_http_response(data)


class AnswersWorkbookImportView(APIView):
    """Import the institution's filled workbook: all of it or nothing.

    With `dry_run=true` nothing is written and the changes are returned. Any problem
    gives 400 with `{"errors": [{sheet, row, column, message}]}` and nothing applied.
    """

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="assessment_matrix_import",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT, description="{changes: [...], new_evidence: [...]}"
            ),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT, description="{errors: [{sheet, row, column, message}]}"
            ),
        },
    )
    def post(self, request: Request, pk: int) -> APIResponse:
        user = _user(request)
        assessment = permissions.get_assessment_for_user(user, pk)
        institution = permissions.workbook_import_institution(user)
        if not assessment.assignments.filter(institution=institution).exists():
            return APIResponse(status=status.HTTP_404_NOT_FOUND)
        upload = request.FILES.get("file")
        if upload is None:
            return _errors([CellError("file", None, None, _("Attach the workbook as `file`."))])
        dry_run = str(request.data.get("dry_run", "")).strip().lower() in TRUE_VALUES
        if dry_run:
            plan = workbook.plan_import(
                assessment=assessment,
                institution=institution,
                upload=upload,
                name=workbook.clean_filename(upload.name or ""),
            )
            if not plan.ok:
                return _errors(plan.errors)
            return APIResponse({**plan.as_dict(), "dry_run": True})
        try:
            workbook_import, plan = workbook.answers_workbook_import_upload_and_apply(
                assessment=assessment, institution=institution, actor=user, upload=upload
            )
        except workbook.ImportRefused as exc:
            return _errors(exc.errors)
        return APIResponse({**plan.as_dict(), "dry_run": False, "import": workbook_import.pk})


urlpatterns = [
    path(
        "assessments/<int:pk>/matrix.xlsx",
        AnswersWorkbookExportView.as_view(),
        name="api-assessment-matrix-export",
    ),
    path(
        "assessments/<int:pk>/matrix/import/",
        AnswersWorkbookImportView.as_view(),
        name="api-assessment-matrix-import",
    ),
]
