"""API of the archive of a round, included under /api/v1/ before the router.

GET  /api/v1/assessments/{id}/archives/   the round's archives, newest first
POST /api/v1/assessments/{id}/archives/   ask for one: 202 with the archive, its status URL
                                          (also in `Location`); 409 before approval
GET  /api/v1/archives/{id}/               an archive: status, error, size, SHA-256, file link
GET  /api/v1/archives/{id}/file/          the zip once built (404 before)

Same doors as the pages (reports/permissions.py): 401 anonymous, 404 strangers (focal points
included), 403 for the assessment's facilitators. The service's refusal becomes 409 through
the API's exception handler (config/exceptions.py).
"""

from typing import Any

from django.http.response import HttpResponseBase
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.permissions import request_user as _user
from config.files import ZIP, FileNegotiation, serve_file

from .. import permissions
from ..models import RoundArchive
from . import services

DETAIL = inline_serializer("ArchiveDetail", {"detail": serializers.CharField()})


class ArchiveSerializer(serializers.ModelSerializer):
    seconds = serializers.FloatField(read_only=True, allow_null=True)
    requested_by = serializers.CharField(
        source="requested_by.username", read_only=True, allow_null=True
    )
    status_url = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = RoundArchive
        fields = [
            "id",
            "assessment",
            "status",
            "error",
            "size",
            "checksum",
            "file_count",
            "attempts",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "seconds",
            "status_url",
            "file_url",
        ]

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    @extend_schema_field(OpenApiTypes.URI)
    def get_status_url(self, archive: RoundArchive) -> str:
        return self._absolute(reverse("api-archive", args=[archive.pk]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_file_url(self, archive: RoundArchive) -> str | None:
        if archive.status != RoundArchive.Status.DONE or not archive.file:
            return None
        return self._absolute(reverse("api-archive-file", args=[archive.pk]))


def _data(request: Request, archive_id: int) -> Any:
    archive = permissions.get_archive_for_user(_user(request), archive_id)
    return ArchiveSerializer(archive, context={"request": request}).data


class AssessmentArchivesView(APIView):
    """The archives of a round; POST asks for a new one (built by a worker)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="assessment_archives_list", responses=ArchiveSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        assessment = permissions.get_archive_assessment_for_user(_user(request), pk)
        archives = assessment.archives.select_related("requested_by").order_by(
            "-requested_at", "-pk"
        )
        return Response(ArchiveSerializer(archives, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="assessment_archives_request",
        request=None,
        responses={202: ArchiveSerializer, 409: DETAIL},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        assessment = permissions.get_archive_assessment_for_user(user, pk)
        archive = services.archive_request(assessment=assessment, actor=user)
        data = _data(request, archive.pk)
        return Response(
            data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["status_url"]}
        )


class ArchiveView(APIView):
    """One archive: poll it until `status` is `done` (then `file_url` links the zip) or
    `failed` (with `error`)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="archive_detail", responses=ArchiveSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_data(request, pk))


class ArchiveFileView(APIView):
    permission_classes = [IsAuthenticated]
    # The zip is a file response whatever the client accepts; errors are JSON.
    content_negotiation_class = FileNegotiation

    @extend_schema(
        operation_id="archive_file",
        responses={(200, "application/zip"): OpenApiTypes.BINARY, 404: DETAIL},
    )
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        """The zip, once built; 404 until then. The download is audited."""
        user = _user(request)
        archive = permissions.get_archive_file_for_user(user, pk)
        services.archive_downloaded(archive=archive, actor=user)
        return serve_file(
            archive.file, filename=services.archive_filename(archive), content_type=ZIP
        )


urlpatterns = [
    path(
        "assessments/<int:pk>/archives/",
        AssessmentArchivesView.as_view(),
        name="api-assessment-archives",
    ),
    path("archives/<int:pk>/", ArchiveView.as_view(), name="api-archive"),
    path("archives/<int:pk>/file/", ArchiveFileView.as_view(), name="api-archive-file"),
]
