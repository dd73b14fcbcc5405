"""Serializers that several stages' APIs share: an answer with its evidence, and the
blank-as-null choice field."""

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
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
            "instrument",
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
    nothing_to_add = serializers.BooleanField(
        required=False,
        help_text="A contributor's explicit “nothing to add” (no answer); refused for an "
        "indicator the institution leads.",
    )
    confirmed = serializers.BooleanField(
        read_only=True,
        help_text="False for a draft carried forward from an earlier round until its "
        "institution saves or confirms it; it counts as blank until then.",
    )
    carried_from: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The earlier round's response it was carried forward from."
    )

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
            "nothing_to_add",
            "confirmed",
            "carried_from",
            "evidence",
            "state",
            "review_state",
            "version",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = ["state", "review_state", "version", "updated_at"]


# What a list of responses reads, by the ResponseSerializer field each value feeds.
RESPONSE_LIST_VALUES = {
    "id": "id",
    "indicator": "indicator__code",
    "dimension": "indicator__dimension__number",
    "institution": "institution__acronym",
    "answer": "answer",
    "coverage": "coverage",
    "justification": "justification",
    "nothing_to_add": "nothing_to_add",
    "confirmed": "confirmed",
    "carried_from": "carried_from_id",
    "state": "state",
    "review_state": "review_state",
    "version": "version",
    "updated_by": "updated_by__username",
    "updated_at": "updated_at",
}


def response_list_rows(queryset: QuerySet[Response]) -> QuerySet[Response, dict[str, Any]]:
    """The responses as the rows `response_list_data` formats (paginate these)."""
    return queryset.prefetch_related(None).values(*RESPONSE_LIST_VALUES.values())


def response_list_data(
    rows: list[dict[str, Any]], context: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """`ResponseSerializer(many=True).data` of a page of `response_list_rows`, with the
    evidence in one more query.

    Building the model instances (each answer with its indicator, dimension, institution and
    editor, every column of each) was most of a list's time; the rows carry only what the
    list shows. The serializer's own fields format every value, so the output is the
    serializer's (tests/assessments/collection/test_api_list.py compares the two).
    """
    fields = ResponseSerializer(context=context or {}).fields
    one_evidence = EvidenceSerializer(context=context or {})
    links = (
        Response.evidence.through.objects.filter(response_id__in=[row["id"] for row in rows])
        .select_related("evidence")
        .order_by("evidence_id")
    )
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for link in links:
        evidence[link.response_id].append(link.evidence)
    out = []
    for row in rows:
        item: dict[str, Any] = {}
        for name in ResponseSerializer.Meta.fields:
            if name == "evidence":
                item[name] = [one_evidence.to_representation(e) for e in evidence[row["id"]]]
                continue
            value = row[RESPONSE_LIST_VALUES[name]]
            if name == "carried_from" or value is None:
                item[name] = value  # a primary key, or null
            else:
                item[name] = fields[name].to_representation(value)
        out.append(item)
    return out
