"""Serializers that several stages' APIs share: an answer with its evidence, and the
blank-as-null choice field."""

import functools
from collections import defaultdict
from collections.abc import Callable
from datetime import tzinfo
from types import SimpleNamespace
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import Evidence, Response, evidence_label


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
        return _file_url(evidence.pk, evidence.file.name, self.context.get("request"))


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
# Whether a response has evidence (a column of the rows): only those are read for it.
HAS_EVIDENCE = "has_evidence"
# What the list reads of an evidence item through an answer's link, by the
# EvidenceSerializer field each value feeds (`label` is made from the citation's fields, as
# Evidence.label makes it).
EVIDENCE_LIST_VALUES = {
    name: f"evidence__{name}"
    for name in EvidenceSerializer.Meta.fields
    if name not in ("label", "instrument")
} | {"instrument": "evidence__instrument_id"}

_Plan = tuple[tuple[str, str | None, Callable[[Any], Any] | None], ...]


def _zoned(value: Any) -> Any:
    """In a plan, a DateTimeField's place: `_in_zone` formats it in the request's zone."""
    raise AssertionError("replaced by response_list_data")


@functools.cache
def _in_zone(zone: tzinfo) -> serializers.DateTimeField:
    """DRF's DateTimeField with the zone given: the same output as one that reads the active
    zone (Django's, a context variable) for every value, at half the cost."""
    return serializers.DateTimeField(default_timezone=zone)


def _represent(field: serializers.Field) -> Callable[[Any], Any]:
    plain_datetime = isinstance(field, serializers.DateTimeField) and not (
        hasattr(field, "timezone") or hasattr(field, "format")
    )
    return _zoned if plain_datetime else field.to_representation


@functools.cache
def _list_plans() -> tuple[_Plan, _Plan]:
    """(output name, column, formatter) for each field of ResponseSerializer and of
    EvidenceSerializer, in their order; built once per process.

    The formatters are the serializers' own fields' `to_representation`, which read neither
    the request nor the language (a choice's label is not output); None where the value is
    output as read (a primary key) or made here (the evidence, its label and file URL)."""
    fields = ResponseSerializer().fields
    evidence_fields = EvidenceSerializer().fields
    own = {"carried_from", "evidence"}
    responses = tuple(
        (
            name,
            None if name == "evidence" else RESPONSE_LIST_VALUES[name],
            None if name in own else _represent(fields[name]),
        )
        for name in ResponseSerializer.Meta.fields
    )
    evidence = tuple(
        (
            name,
            EVIDENCE_LIST_VALUES.get(name),
            None if name in ("instrument", "file") else evidence_fields[name].to_representation,
        )
        for name in EvidenceSerializer.Meta.fields
    )
    return responses, evidence


def response_list_rows(queryset: QuerySet[Response]) -> QuerySet[Response, dict[str, Any]]:
    """The responses as the rows `response_list_data` formats (paginate these), each with
    whether it has evidence."""
    links = Response.evidence.through.objects.filter(response_id=OuterRef("pk"))
    return queryset.prefetch_related(None).values(
        *RESPONSE_LIST_VALUES.values(), **{HAS_EVIDENCE: Exists(links)}
    )


def response_list_data(
    rows: list[dict[str, Any]], context: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """`ResponseSerializer(many=True).data` of a page of `response_list_rows`, with the
    evidence in one more query if any of them has some (none has, in most lists).

    Building the model instances (each answer with its indicator, dimension, institution and
    editor, every column of each) was most of a list's time; the rows carry only what the
    list shows, the evidence too. The serializers' own fields format every value, so the
    output is the serializers' (tests/assessments/collection/test_api_list.py compares the
    two, in both languages).
    """
    plan, evidence_plan = _list_plans()
    at = _in_zone(timezone.get_current_timezone()).to_representation
    plan = tuple((name, column, at if f is _zoned else f) for name, column, f in plan)
    evidence = _evidence_by_response(
        [row["id"] for row in rows if row[HAS_EVIDENCE]],
        evidence_plan,
        (context or {}).get("request"),
    )
    out = []
    for row in rows:
        item: dict[str, Any] = {}
        for name, column, represent in plan:
            if column is None:
                item[name] = evidence.get(row["id"], [])
                continue
            value = row[column]
            item[name] = value if value is None or represent is None else represent(value)
        out.append(item)
    return out


def _evidence_by_response(
    ids: list[int], plan: _Plan, request: Any
) -> dict[int, list[dict[str, Any]]]:
    """`EvidenceSerializer(response.evidence, many=True).data` of the responses `ids`, by
    response, each list in the order of the evidence ids (as `responses_for_api`
    prefetches it)."""
    if not ids:
        return {}
    rows = (
        Response.evidence.through.objects.filter(response_id__in=ids)
        .order_by("evidence_id")
        .values("response_id", *EVIDENCE_LIST_VALUES.values())
    )
    instrument_labels = dict(Evidence.InstrumentType.choices)  # translated when shown
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        values = {name: row[column] for name, column in EVIDENCE_LIST_VALUES.items()}
        item: dict[str, Any] = {}
        for name, _column, represent in plan:
            if name == "label":
                value: Any = evidence_label(SimpleNamespace(**values), instrument_labels)
            elif name == "file":
                value = _file_url(values["id"], values["file"], request)
            else:
                value = values[name]
            item[name] = value if value is None or represent is None else represent(value)
        out[row["response_id"]].append(item)
    return out


def _file_url(pk: int, file: str | None, request: Any) -> str | None:
    """The download URL of an evidence item whose file field holds `file` (None without a
    file): absolute when there is a request (EvidenceSerializer.get_file, the lists)."""
    if not file:
        return None
    url = reverse("api-evidence-file", args=[pk])
    return request.build_absolute_uri(url) if request is not None else url
