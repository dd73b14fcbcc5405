"""API of the coordinators' setup: the survey matrix as a workbook, and workflow moves.

Same doors as the pages (the fetch helpers of `assessments.permissions`): strangers get
404, members without the right 403; focal points do not see the survey matrix (404). A
refused workflow move or matrix change is a service conflict: the API's exception handler
answers 409 with the reason (`{"detail": ...}`).
"""

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import permissions
from assessments.models import Assessment
from assessments.permissions import request_user as _user
from assessments.setup import services
from assessments.setup.matrix_workbook import XLSX_CONTENT_TYPE, matrix_workbook_bytes
from assessments.setup.matrix_workbook_import import (
    MatrixInvalid,
    matrix_import,
    matrix_workbook_read,
)
from indicators.spreadsheets import CellError, WorkbookError


class CellErrorSerializer(serializers.Serializer):
    sheet = serializers.CharField(allow_null=True)
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


CELL_ERRORS = inline_serializer("CellErrors", {"errors": CellErrorSerializer(many=True)})


def _errors(problems: list[CellError]) -> Response:
    """400 with every problem, in the same shape as the focal points' workbook import."""
    return Response(
        {
            "errors": [
                {"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message}
                for e in problems
            ]
        },
        status=status.HTTP_400_BAD_REQUEST,
    )


class MatrixImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False)
    # Needed when the workbook would remove responses holding content (`at_risk`).
    confirm_removal_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000
    )


class MatrixCellChangeSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    institution = serializers.CharField()
    old_role = serializers.CharField(allow_blank=True)
    new_role = serializers.CharField(allow_blank=True)


class MatrixImportResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    applied = serializers.BooleanField()
    rows = serializers.IntegerField()
    added = MatrixCellChangeSerializer(many=True)
    changed = MatrixCellChangeSerializer(many=True)
    removed = MatrixCellChangeSerializer(many=True)
    at_risk = serializers.ListField(child=serializers.CharField())


DETAIL = inline_serializer("Detail", {"detail": serializers.CharField()})


class SurveyMatrixExportView(APIView):
    """The survey matrix as a workbook: an "Assignments" sheet to edit, an "Overview" grid."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="assessment_survey_matrix_export",
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        assessment = permissions.get_process_assessment_for_user(_user(request), pk)
        response = HttpResponse(matrix_workbook_bytes(assessment), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="survey-matrix-{assessment.year}-{assessment.pk}.xlsx"'
        )
        return response


class SurveyMatrixImportView(APIView):
    """Replace the survey matrix with an uploaded workbook, or preview it with `dry_run`.

    Every row is checked first; with any problem the answer is 400 with
    `{"errors": [{sheet, row, column, message}]}` and nothing is applied.
    """

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="assessment_survey_matrix_import",
        request={"multipart/form-data": MatrixImportRequestSerializer},
        responses={
            200: MatrixImportResultSerializer,
            400: CELL_ERRORS,
            409: DETAIL,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        assessment = permissions.get_process_assessment_for_user(user, pk)
        permissions.require(permissions.can_manage(user, assessment))
        serializer = MatrixImportRequestSerializer(data=request.data)
        if not serializer.is_valid():
            return _errors(
                [
                    CellError(name, None, None, str(message))
                    for name, messages in serializer.errors.items()
                    for message in messages
                ]
            )
        upload = serializer.validated_data["file"]
        dry_run = serializer.validated_data["dry_run"]
        try:
            plan = matrix_workbook_read(assessment=assessment, upload=upload, name=upload.name)
            if not dry_run:
                matrix_import(
                    assessment=assessment,
                    actor=user,
                    plan=plan,
                    removal_reason=serializer.validated_data["confirm_removal_reason"],
                    filename=upload.name,
                )
        except (WorkbookError, MatrixInvalid) as exc:
            return _errors(exc.errors)
        return Response({"dry_run": dry_run, "applied": not dry_run, **plan.as_dict()})


class TransitionRequestSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Assessment.Status.choices)
    note = serializers.CharField(allow_blank=True, default="", max_length=2000)


class TransitionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()


class AssessmentTransitionView(APIView):
    """Move the assessment through its workflow; 409 with the reason when the move is refused."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="assessment_transition",
        request=TransitionRequestSerializer,
        responses={200: TransitionResultSerializer, 409: DETAIL},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        assessment = permissions.get_managed_assessment_for_user(user, pk)
        serializer = TransitionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.assessment_transition(
            assessment=assessment,
            actor=user,
            to=serializer.validated_data["to"],
            note=serializer.validated_data["note"].strip(),
        )
        return Response(
            {
                "id": assessment.pk,
                "status": assessment.status,
                "status_label": str(Assessment.Status(assessment.status).label),
            }
        )


urlpatterns = [
    path(
        "assessments/<int:pk>/survey-matrix.xlsx",
        SurveyMatrixExportView.as_view(),
        name="assessment-survey-matrix-export",
    ),
    path(
        "assessments/<int:pk>/survey-matrix/import/",
        SurveyMatrixImportView.as_view(),
        name="assessment-survey-matrix-import",
    ),
    path(
        "assessments/<int:pk>/transitions/",
        AssessmentTransitionView.as_view(),
        name="assessment-transitions",
    ),
]
