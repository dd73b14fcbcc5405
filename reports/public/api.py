"""Public API of published profiles, included under /api/v1/ by config/api_urls.py.

No login: the same door as the public pages (`selectors.public_profiles`), so a draft
or approved (embargoed) profile is 404 here too. Authentication is switched off on these
views: nothing they return depends on who asks, and a stale token must not turn a public
read into a 401.
"""

from typing import Any

from django.http import HttpResponse
from django.urls import path, re_path, reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from indicators.bilingual import LANGUAGES

from .. import exports, selectors
from ..content import public_title
from ..launch import launch_sentence
from ..models import Profile

BILINGUAL = {
    "type": "object",
    "properties": {"en": {"type": "string"}, "id": {"type": "string"}},
    "required": ["en", "id"],
}
LINKS_BY_LANGUAGE = {
    "type": "object",
    "properties": {
        lang: {"type": "string", "format": "uri", "nullable": True} for lang in LANGUAGES
    },
    "required": list(LANGUAGES),
}
LINKS_BY_FORMAT = {
    "type": "object",
    "properties": {fmt: {"type": "string", "format": "uri"} for fmt in exports.FORMATS},
    "required": list(exports.FORMATS),
}
LAUNCH = {
    "type": "object",
    "nullable": True,
    "properties": {
        "date": {"type": "string", "format": "date"},
        "event": BILINGUAL,
        "text": BILINGUAL,
    },
}
PROVINCE = {
    "type": "object",
    "nullable": True,
    "properties": {"code": {"type": "string"}, "name": BILINGUAL},
}


class PublicProfileSerializer(serializers.ModelSerializer):
    """A published or superseded profile version with its files.

    `pdf` gives each language's PDF, or null while it is not rendered; `data` the
    consolidated data of its snapshot. Counts and answers, never a score or a rank.
    """

    assessment = serializers.IntegerField(source="assessment_id", read_only=True)
    title = serializers.SerializerMethodField(help_text="The assessment's title.")
    profile_title = serializers.SerializerMethodField(help_text="The title on the profile.")
    scope = serializers.CharField(source="assessment.scope", read_only=True)
    province = serializers.SerializerMethodField()
    year = serializers.IntegerField(source="assessment.year", read_only=True)
    round = serializers.IntegerField(source="assessment.round", read_only=True)
    is_demo = serializers.BooleanField(source="assessment.is_demo", read_only=True)
    snapshot = serializers.IntegerField(source="snapshot.number", read_only=True)
    status = serializers.ChoiceField(
        choices=[Profile.Status.PUBLISHED, Profile.Status.SUPERSEDED], read_only=True
    )
    url = serializers.SerializerMethodField(help_text="The profile's public page.")
    launch = serializers.SerializerMethodField(
        help_text="The launch: its date, its event and the sentence the public page shows, "
        "in each language; null before the launch."
    )
    pdf = serializers.SerializerMethodField(help_text="Each language's PDF; null until rendered.")
    # DRF's metaclass moves declared fields out of the class, so this does not hide
    # `Serializer.data`; mypy sees only the class attribute.
    data = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text="The consolidated data of the snapshot, as CSV, XLSX and JSON."
    )

    class Meta:
        model = Profile
        fields = [
            "id",
            "assessment",
            "title",
            "profile_title",
            "scope",
            "province",
            "year",
            "round",
            "version",
            "status",
            "published_at",
            "launch",
            "correction_note",
            "snapshot",
            "is_demo",
            "url",
            "pdf",
            "data",
        ]
        read_only_fields = fields

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    @extend_schema_field(BILINGUAL)
    def get_title(self, profile: Profile) -> dict[str, str]:
        a = profile.assessment
        return {"en": a.title_en, "id": a.title_id or a.title_en}

    @extend_schema_field(BILINGUAL)
    def get_profile_title(self, profile: Profile) -> dict[str, str]:
        return {lang: public_title(profile, lang) for lang in LANGUAGES}

    @extend_schema_field(LAUNCH)
    def get_launch(self, profile: Profile) -> dict[str, Any] | None:
        if profile.launch_date is None:
            return None
        text = {}
        for lang in LANGUAGES:
            with translation.override(lang):
                text[lang] = launch_sentence(profile, lang)
        return {
            "date": profile.launch_date.isoformat(),
            "event": {"en": profile.launch_event_en, "id": profile.launch_event_id},
            "text": text,
        }

    @extend_schema_field(PROVINCE)
    def get_province(self, profile: Profile) -> dict[str, Any] | None:
        province = profile.assessment.province
        if province is None:
            return None
        return {"code": province.code, "name": {"en": province.name_en, "id": province.name_id}}

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, profile: Profile) -> str:
        return self._absolute(reverse("public_profile", args=[profile.pk]))

    @extend_schema_field(LINKS_BY_LANGUAGE)
    def get_pdf(self, profile: Profile) -> dict[str, str | None]:
        done = {r.language for r in profile.done_renders}  # type: ignore[attr-defined]
        return {
            lang: self._absolute(reverse("public_profile_pdf", args=[profile.pk, lang]))
            if lang in done
            else None
            for lang in LANGUAGES
        }

    @extend_schema_field(LINKS_BY_FORMAT)
    def get_data(self, profile: Profile) -> dict[str, str]:
        return {
            fmt: self._absolute(reverse("public-profile-data", args=[profile.pk, fmt]))
            for fmt in exports.FORMATS
        }


class PublicProfileList(ListAPIView):
    """Published profiles and the versions corrections superseded; no login needed.

    Ordered by year, then national before provincial, then province: a catalogue, not a
    ranking.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = PublicProfileSerializer
    queryset = selectors.public_profiles_listed()

    @extend_schema(operation_id="public_profiles_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)


class PublicProfileDetail(RetrieveAPIView):
    """One published or superseded profile version; 404 when it is not published."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = PublicProfileSerializer
    queryset = selectors.public_profiles_listed()

    @extend_schema(operation_id="public_profiles_retrieve")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)


class PublicProfileData(APIView):
    """The consolidated data of the profile's snapshot: `data.csv`, `data.xlsx` or `data.json`.

    The same files as the public page offers. CSV is UTF-8 with a byte-order mark; text
    cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="public_profiles_data",
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, exports.XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
            404: OpenApiResponse(description="Not published."),
        },
    )
    def get(self, request: Request, pk: str, fmt: str) -> HttpResponse:
        return exports.data_response(selectors.public_profile_get(int(pk)), fmt)


urlpatterns = [
    path("public/profiles/", PublicProfileList.as_view(), name="public-profile-list"),
    path("public/profiles/<int:pk>/", PublicProfileDetail.as_view(), name="public-profile-detail"),
    re_path(
        r"^public/profiles/(?P<pk>[0-9]+)/data\.(?P<fmt>csv|xlsx|json)$",
        PublicProfileData.as_view(),
        name="public-profile-data",
    ),
]
