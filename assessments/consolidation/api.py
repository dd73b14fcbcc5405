"""API of the consolidation: every institution's answer on an indicator, the conflict flag,
and the facilitator's consolidated answer.

Same doors as the pages: strangers and focal points 404, members who may not consolidate
403 on PUT; a stale version or a refusal (frozen, wrong stage) 409 with the current state.
"""

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response as APIResponse

from assessments import permissions
from assessments.consolidation import selectors, services
from assessments.errors import ServiceError
from assessments.history_reasons import API, reason_code
from assessments.models import Assessment, ConsolidatedAnswer, Evidence, Response
from assessments.permissions import request_user as _user
from assessments.serializers import EvidenceSerializer, NullableChoiceField
from config import text as text_rules
from config.text import TextRule
from config.text import field_label as _label
from indicators.bilingual import bilingual_field, both
from indicators.models import Indicator

BILINGUAL = {
    "type": "object",
    "properties": {"en": {"type": "string"}, "id": {"type": "string"}},
    "required": ["en", "id"],
}


class ComparedResponseSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.acronym", read_only=True)
    role = serializers.ChoiceField(choices=["lead", "contributor"], read_only=True)
    answer = NullableChoiceField(choices=Response.Answer.choices, read_only=True)
    coverage = NullableChoiceField(choices=Response.Coverage.choices, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "institution",
            "role",
            "answer",
            "coverage",
            "justification",
            "evidence",
            "state",
            "review_state",
            "version",
        ]


class ConsolidatedSerializer(serializers.ModelSerializer):
    coverage = NullableChoiceField(choices=Response.Coverage.choices, read_only=True)
    narrative = bilingual_field("narrative")
    evidence: serializers.PrimaryKeyRelatedField[Evidence] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    sources: serializers.PrimaryKeyRelatedField[Response] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    updated_by = serializers.CharField(source="updated_by.username", read_only=True, default=None)

    class Meta:
        model = ConsolidatedAnswer
        fields = [
            "answer",
            "coverage",
            "narrative",
            "evidence",
            "sources",
            "version",
            "updated_by",
            "updated_at",
        ]


class IndicatorConsolidationSerializer(serializers.Serializer):
    """One indicator: every institution's answer, the conflict flag, the consolidated answer."""

    indicator = serializers.CharField(source="indicator.code")
    dimension = serializers.IntegerField(source="indicator.dimension.number")
    question = serializers.SerializerMethodField()
    responses = ComparedResponseSerializer(many=True)
    conflict = serializers.BooleanField()
    consolidated = ConsolidatedSerializer(allow_null=True)

    @extend_schema_field(BILINGUAL)
    def get_question(self, comparison: selectors.IndicatorComparison) -> dict[str, str]:
        return both(comparison.indicator, "question")


class AnswerSummarySerializer(serializers.Serializer):
    institution = serializers.CharField(source="institution.acronym")
    role = serializers.CharField()
    answer = serializers.CharField()


class ConsolidatedSummarySerializer(serializers.Serializer):
    answer = serializers.CharField()
    coverage = NullableChoiceField(choices=Response.Coverage.choices, read_only=True)
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class IndicatorConsolidationRowSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    dimension = serializers.IntegerField(source="indicator.dimension.number")
    answers = AnswerSummarySerializer(source="answered", many=True)
    conflict = serializers.BooleanField()
    consolidated = ConsolidatedSummarySerializer(allow_null=True)


class NarrativeSerializer(serializers.Serializer):
    en = serializers.CharField(
        required=False,
        allow_blank=True,
        validators=[TextRule(text_rules.NARRATIVE, _label(ConsolidatedAnswer, "narrative_en"))],
    )
    id = serializers.CharField(
        required=False,
        allow_blank=True,
        validators=[TextRule(text_rules.NARRATIVE, _label(ConsolidatedAnswer, "narrative_id"))],
    )


class ConsolidationWriteSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=ConsolidatedAnswer.Answer.choices)
    coverage = NullableChoiceField(
        choices=Indicator.Coverage.choices, allow_null=True, required=False, default=""
    )
    narrative_en = serializers.CharField(
        required=False,
        allow_blank=True,
        validators=[TextRule(text_rules.NARRATIVE, _label(ConsolidatedAnswer, "narrative_en"))],
    )
    narrative_id = serializers.CharField(
        required=False,
        allow_blank=True,
        validators=[TextRule(text_rules.NARRATIVE, _label(ConsolidatedAnswer, "narrative_id"))],
    )
    narrative = NarrativeSerializer(
        required=False, help_text="Both narratives at once, instead of narrative_en/narrative_id."
    )
    evidence = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="Ids of evidence attached to the answers on this indicator.",
    )
    sources = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="Ids of the responses it draws on.",
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="The version you are changing; omit or null when creating.",
    )

    def narratives(self) -> tuple[str, str]:
        data = self.validated_data
        narrative = data.get("narrative") or {}
        return (
            data.get("narrative_en", narrative.get("en", "")),
            data.get("narrative_id", narrative.get("id", "")),
        )


class ConsolidationConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = IndicatorConsolidationSerializer()


def _state(assessment: Assessment, indicator: Indicator) -> dict[str, Any]:
    comparison = selectors.indicator_comparison(assessment, indicator)
    return IndicatorConsolidationSerializer(comparison).data


class IndicatorConsolidationListView(generics.GenericAPIView):
    """Every indicator of the assessment: who answered what, the conflict flag, and the
    consolidated answer (null where there is none yet)."""

    permission_classes = [IsAuthenticated]
    serializer_class = IndicatorConsolidationRowSerializer
    # Rows come from selectors.consolidation_rows; this only tells the schema the model.
    queryset = Indicator.objects.none()

    @extend_schema(
        operation_id="assessment_consolidation_list",
        parameters=[
            OpenApiParameter("dimension", OpenApiTypes.INT, description="Dimension number."),
            OpenApiParameter(
                "conflicts", OpenApiTypes.BOOL, description="Only indicators in conflict."
            ),
            OpenApiParameter(
                "missing", OpenApiTypes.BOOL, description="Only indicators not yet consolidated."
            ),
        ],
        responses=IndicatorConsolidationRowSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> APIResponse:
        assessment = permissions.get_process_assessment_for_user(_user(request), pk)
        filters = selectors.ConsolidationFilters.from_query(request.query_params)
        rows = selectors.consolidation_rows(assessment, filters)
        page: list[selectors.IndicatorComparison] | None = self.paginate_queryset(
            rows  # type: ignore[arg-type]
        )
        return self.get_paginated_response(
            IndicatorConsolidationRowSerializer(page, many=True).data
        )


class IndicatorConsolidationView(generics.GenericAPIView):
    """GET: every institution's answer on the indicator, the conflict flag and the
    consolidated answer. PUT (facilitators): write the consolidated answer.

    PUT replaces the whole consolidated answer. `version` is the version you changed; omit
    it (or send null) to create one: if someone created it meanwhile, the answer is 409.
    """

    permission_classes = [IsAuthenticated]
    filter_backends: list[type] = []  # no queryset to filter: a query string must not 500
    metadata_class = None  # OPTIONS would look for a queryset this view does not have: 405
    serializer_class = IndicatorConsolidationSerializer
    target: tuple[Assessment, Indicator]  # set by put, read by stale_payload

    @extend_schema(operation_id="assessment_indicator_consolidation")
    def get(self, request: Request, pk: int, code: str) -> APIResponse:
        assessment = permissions.get_process_assessment_for_user(_user(request), pk)
        return APIResponse(_state(assessment, selectors.get_indicator(assessment, code)))

    @extend_schema(
        operation_id="assessment_indicator_consolidate",
        request=ConsolidationWriteSerializer,
        responses={200: IndicatorConsolidationSerializer, 409: ConsolidationConflictSerializer},
    )
    def put(self, request: Request, pk: int, code: str) -> APIResponse:
        user = _user(request)
        assessment = permissions.get_process_assessment_for_user(user, pk)
        indicator = selectors.get_indicator(assessment, code)
        permissions.require(permissions.can_consolidate(user))
        data = ConsolidationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        narrative_en, narrative_id = data.narratives()
        self.target = (assessment, indicator)  # for stale_payload
        services.consolidated_write(
            assessment=assessment,
            indicator=indicator,
            actor=user,
            answer=values["answer"],
            coverage=values["coverage"] or "",
            narrative_en=narrative_en,
            narrative_id=narrative_id,
            evidence_ids=values["evidence"],
            source_ids=values["sources"],
            # No version means "create": 0 makes the service refuse if one exists.
            version=values.get("version") or 0,
            reason=reason_code(API),
        )
        return APIResponse(_state(assessment, indicator))

    def stale_payload(self, exc: ServiceError) -> dict[str, Any]:
        """A stale version or a closed stage: the 409 carries the indicator as it is now."""
        return {"current": _state(*self.target)}


class TakeOverResultSerializer(serializers.Serializer):
    taken = serializers.ListField(
        child=serializers.CharField(), help_text="Codes of the indicators taken over."
    )
    taken_count = serializers.IntegerField()
    skipped_count = serializers.IntegerField(
        help_text="Indicators left as they were: conflicts, no usable lead answer, or already "
        "consolidated."
    )
    contested = serializers.ListField(
        child=serializers.CharField(), help_text="Indicators left for side-by-side work."
    )
    without_usable_lead_answer = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Indicators whose lead answer cannot be taken over, by reason: no_lead, "
        "lead_unanswered, lead_not_accepted.",
    )


class TakeOverBulkView(generics.GenericAPIView):
    """POST (facilitators): take over every accepted, uncontested lead answer on the
    indicators without a consolidated answer, in one transaction; conflicts are left."""

    permission_classes = [IsAuthenticated]
    serializer_class = TakeOverResultSerializer

    @extend_schema(
        operation_id="assessment_consolidation_take_over_bulk",
        request=None,
        responses={200: TakeOverResultSerializer},
    )
    def post(self, request: Request, pk: int) -> APIResponse:
        user = _user(request)
        assessment = permissions.get_process_assessment_for_user(user, pk)
        permissions.require(permissions.can_consolidate(user))
        done = services.consolidated_take_over_bulk(assessment=assessment, actor=user)
        return APIResponse(
            {
                "taken": done.taken,
                "taken_count": len(done.taken),
                "skipped_count": done.skipped,
                "contested": [indicator.code for indicator, _check in done.plan.contested],
                "without_usable_lead_answer": done.plan.unusable_by_problem(),
            }
        )


urlpatterns = [
    path(
        "assessments/<int:pk>/indicators/",
        IndicatorConsolidationListView.as_view(),
        name="api-consolidation-list",
    ),
    # Before the indicator's pattern, whose <str:code> would take "take-over-all".
    path(
        "assessments/<int:pk>/indicators/take-over-all/",
        TakeOverBulkView.as_view(),
        name="api-consolidation-take-over-bulk",
    ),
    path(
        "assessments/<int:pk>/indicators/<str:code>/",
        IndicatorConsolidationView.as_view(),
        name="api-consolidation-detail",
    ),
]
