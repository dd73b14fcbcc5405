"""Serializers that several stages' APIs share: an answer with its evidence, and the
blank-as-null choice field."""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import Evidence, Response


class NullableChoiceField(serializers.ChoiceField):
    """Blank in the database, null in JSON."""

    def to_representation(self, value: Any) -> Any:
        return value or None

    def to_internal_value(self, data: Any) -> Any:
        if data in (None, ""):
            return ""
        return super().to_internal_value(data)


class EvidenceSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    file = serializers.SerializerMethodField(
        help_text="Where to download the file (the API's download route, which asks the "
        "permissions first); null for evidence without a file."
    )

    class Meta:
        model = Evidence
        fields = [
            "id",
            "kind",
            "label",
            "instrument_type",
            "number",
            "year",
            "title",
            "article",
            "url",
            "file",
            "content_type",
            "size",
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_file(self, evidence: Evidence) -> str | None:
        if not evidence.file:
            return None
        url = reverse("api-evidence-file", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class ResponseSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    dimension = serializers.IntegerField(source="indicator.dimension.number", read_only=True)
    institution = serializers.CharField(source="institution.acronym", read_only=True)
    answer = NullableChoiceField(choices=Response.Answer.choices, allow_null=True, required=False)
    coverage = NullableChoiceField(
        choices=Response.Coverage.choices, allow_null=True, required=False
    )
    evidence = EvidenceSerializer(many=True, read_only=True)
    updated_by = serializers.CharField(source="updated_by.username", read_only=True, default=None)

    class Meta:
        model = Response
        fields = [
            "id",
            "indicator",
            "dimension",
            "institution",
            "answer",
            "coverage",
            "justification",
            "evidence",
            "state",
            "review_state",
            "version",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = ["state", "review_state", "version", "updated_at"]
