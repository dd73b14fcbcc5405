"""API of the profiles' staff side, included under /api/v1/ before the router.

GET  /api/v1/assessments/{id}/profiles/    the versions of the profile, with their renders
POST /api/v1/assessments/{id}/profiles/    render one language (`en` or `id`) of the version
                                           in preparation: 202 with the render
GET  /api/v1/profiles/{id}/                a render: status, progress, error, figures, PDF link
GET  /api/v1/profiles/{id}/pdf             its PDF once done (404 before)
POST /api/v1/profiles/{id}/approve/        approve the render's profile version
POST /api/v1/profiles/{id}/publish/        publish it now, or on `embargo_until`

Under /profiles/ the {id} is a render's (one language of one version), as the POST returns
it; approving and publishing act on that render's version, both languages together.
Same doors as the pages (`permissions.get_*_for_user`): 401 anonymous, 404 strangers (focal
points included), 403 for those who see the profile without the right to act. When the
workflow refuses, the service's error becomes 409 with the reason in `detail`, through the
API's exception handler (config/exceptions.py): no view here catches it.
"""

from typing import Any
from zoneinfo import ZoneInfo

from django.http.response import HttpResponseBase
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.permissions import request_user as _user
from config.files import PDF, FileNegotiation, serve_file

from .. import exports, permissions, selectors, services
from ..models import Profile, ProfileRender

JAKARTA = ZoneInfo("Asia/Jakarta")


DETAIL = inline_serializer("ProfileDetail", {"detail": serializers.CharField()})


class ProfileSummarySerializer(serializers.ModelSerializer):
    snapshot = serializers.IntegerField(source="snapshot.number", read_only=True)

    class Meta:
        model = Profile
        fields = [
            "id",
            "assessment",
            "version",
            "status",
            "snapshot",
            "correction_note",
            "created_at",
            "approved_at",
            "embargo_until",
            "published_at",
            "launch_date",
            "launch_event_en",
            "launch_event_id",
        ]


class RenderSerializer(serializers.ModelSerializer):
    seconds = serializers.FloatField(read_only=True, allow_null=True)
    profile = ProfileSummarySerializer(read_only=True)
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = ProfileRender
        fields = [
            "id",
            "language",
            "status",
            "progress",
            "error",
            "pages",
            "checksum",
            "seconds",
            "attempts",
            "requested_at",
            "started_at",
            "finished_at",
            "profile",
            "pdf",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf(self, render: ProfileRender) -> str | None:
        if render.status != ProfileRender.Status.DONE or not render.file:
            return None
        url = reverse("api-profile-pdf", args=[render.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class RenderBriefSerializer(RenderSerializer):
    """A render inside its profile: without the profile again."""

    class Meta(RenderSerializer.Meta):
        fields = [f for f in RenderSerializer.Meta.fields if f != "profile"]


class ProfileVersionSerializer(ProfileSummarySerializer):
    renders = RenderBriefSerializer(many=True, read_only=True)

    class Meta(ProfileSummarySerializer.Meta):
        fields = [*ProfileSummarySerializer.Meta.fields, "renders"]


class RenderRequestSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=ProfileRender.Language.choices)


class PublishSerializer(serializers.Serializer):
    embargo_until = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        default_timezone=JAKARTA,
        help_text="Publish on this date and time (ISO 8601; without an offset, Jakarta time). "
        "Absent: publish now.",
    )

    launch_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The day of the launch event; absent: the day of publication.",
    )
    launch_event_en = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300
    )
    launch_event_id = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300
    )

    def validate_embargo_until(self, value: Any) -> Any:
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError(_("The publication date must be in the future."))
        return value


def _profile_data(profile_id: int) -> Any:
    return ProfileSummarySerializer(selectors.profile_summary(profile_id)).data


def _render_data(request: Request, render_id: int) -> Any:
    render = permissions.get_render_for_user(_user(request), render_id)
    return RenderSerializer(render, context={"request": request}).data


class AssessmentProfilesView(APIView):
    """The versions of an assessment's profile; POST renders one language of the version in
    preparation, creating version 1 first if the approved assessment has no profile yet."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="assessment_profiles_list", responses=ProfileVersionSerializer(many=True)
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment = permissions.get_assessment_for_user(_user(request), pk)
        versions = selectors.profile_versions(assessment)
        return Response(
            ProfileVersionSerializer(versions, many=True, context={"request": request}).data
        )

    @extend_schema(
        operation_id="assessment_profiles_render",
        request=RenderRequestSerializer,
        responses={202: RenderSerializer, 400: OpenApiTypes.OBJECT, 409: DETAIL},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        assessment = permissions.get_assessment_for_user(user, pk, render=True)
        data = RenderRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        render = services.assessment_render_request(
            assessment=assessment, language=data.validated_data["language"], actor=user
        )
        return Response(_render_data(request, render.pk), status=status.HTTP_202_ACCEPTED)


class RenderView(APIView):
    """One render: poll it until `status` is `done` (then `pdf` links the file) or `failed`."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="profile_render_detail", responses=RenderSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_render_data(request, pk))


class RenderPDFView(APIView):
    permission_classes = [IsAuthenticated]
    # The PDF is a file response whatever the client accepts; errors are JSON.
    content_negotiation_class = FileNegotiation

    @extend_schema(
        operation_id="profile_render_pdf",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: DETAIL},
    )
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        """The PDF, once the render is done; 404 until then (reports/permissions.py)."""
        render = permissions.get_render_file_for_user(_user(request), pk)
        filename = exports.filename(render.profile, f"-{render.language}.pdf")
        return serve_file(render.file, filename=filename, content_type=PDF, inline=True)


class ApproveView(APIView):
    """Approve the render's version: both languages must be rendered (else 409)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="profile_approve",
        request=None,
        responses={200: ProfileSummarySerializer, 409: DETAIL},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        render = permissions.get_render_for_user(user, pk, manage=True)
        profile = services.profile_approve(profile=render.profile, actor=user)
        return Response(_profile_data(profile.pk))


class PublishView(APIView):
    """Publish the render's approved version now, or on `embargo_until` (the periodic task
    publishes it then), with its launch (date, event in both languages). The national
    coordinator publishes every profile; a provincial coordinator, only once handed the
    launch of the round (403 otherwise)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="profile_publish",
        request=PublishSerializer,
        responses={200: ProfileSummarySerializer, 400: OpenApiTypes.OBJECT, 409: DETAIL},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        render = permissions.get_render_for_user(user, pk, publish=True)
        data = PublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = services.profile_publish(
            profile=render.profile,
            actor=user,
            embargo_until=data.validated_data["embargo_until"],
            launch_date=data.validated_data["launch_date"],
            launch_event_en=data.validated_data["launch_event_en"],
            launch_event_id=data.validated_data["launch_event_id"],
        )
        return Response(_profile_data(profile.pk))


urlpatterns = [
    path(
        "assessments/<int:pk>/profiles/",
        AssessmentProfilesView.as_view(),
        name="api-assessment-profiles",
    ),
    path("profiles/<int:pk>/", RenderView.as_view(), name="api-profile-render"),
    path("profiles/<int:pk>/pdf", RenderPDFView.as_view(), name="api-profile-pdf"),
    path("profiles/<int:pk>/approve/", ApproveView.as_view(), name="api-profile-approve"),
    path("profiles/<int:pk>/publish/", PublishView.as_view(), name="api-profile-publish"),
]
