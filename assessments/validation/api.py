"""API of validation (the focus group discussion) and of the snapshots it freezes.

GET/POST /api/v1/assessments/{id}/validation-sessions/                    list, record
GET      /api/v1/assessments/{id}/validation-sessions/{sid}/               with decisions
POST     /api/v1/assessments/{id}/validation-sessions/{sid}/decisions/     one decision
GET      /api/v1/assessments/{id}/snapshots/                                numbers
GET      /api/v1/assessments/{id}/snapshots/{number}/                       the frozen data

Same doors as the pages: strangers (focal points included) get 404, members without the
right 403 (`permissions.get_validation_assessment_for_user`, `get_validation_session_for_user`,
`can_manage`). A write the workflow refuses (the assessment is not in validation) is 409
with the reason, invalid values are 400: both answered by config/exceptions.py.
"""

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import permissions
from assessments.models import ConsolidatedAnswer, Snapshot, ValidationDecision, ValidationSession
from assessments.permissions import request_user as _user
from assessments.serializers import NullableChoiceField
from assessments.validation import selectors, services
from config import text as text_rules
from config.text import TextRule
from config.text import field_label as _label
from indicators.models import Indicator
from ministries.models import Institution

DETAIL = inline_serializer("ValidationDetail", {"detail": serializers.CharField()})


class DecisionSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    previous_answer = NullableChoiceField(choices=ConsolidatedAnswer.Answer.choices, read_only=True)
    answer = NullableChoiceField(choices=ConsolidatedAnswer.Answer.choices, read_only=True)
    coverage = NullableChoiceField(choices=Indicator.Coverage.choices, read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True)

    class Meta:
        model = ValidationDecision
        fields = [
            "indicator",
            "decision",
            "previous_answer",
            "answer",
            "coverage",
            "reason",
            "decided_by",
            "created_at",
        ]


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class AcronymsField(serializers.Field):
    def to_representation(self, value: Any) -> list[str]:
        return sorted(i.acronym for i in value.all())


class SessionSerializer(serializers.ModelSerializer):
    institutions = AcronymsField(read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)
    decision_count = serializers.IntegerField(read_only=True)
    changed_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ValidationSession
        fields = [
            "id",
            "held_on",
            "ends_on",
            "format",
            "place",
            "participant_count",
            "institutions",
            "notes",
            "recorded_by",
            "created_at",
            "decision_count",
            "changed_count",
        ]


class SessionDetailSerializer(SessionSerializer):
    decisions = serializers.SerializerMethodField()

    class Meta(SessionSerializer.Meta):
        fields = [*SessionSerializer.Meta.fields, "decisions"]

    @extend_schema_field(DecisionSerializer(many=True))
    def get_decisions(self, session: ValidationSession) -> Any:
        return DecisionSerializer(selectors.validation_decisions(session), many=True).data


class SessionWriteSerializer(serializers.Serializer):
    """A session's facts; `institutions` (acronyms) become the institutions among
    `context["choices"]` (those that can be present), an unknown acronym is 400."""

    held_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    format = serializers.ChoiceField(choices=ValidationSession.Format.choices)
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    participant_count = serializers.IntegerField(min_value=1, max_value=10000)
    institutions = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        default=list,
        help_text="Acronyms of the institutions present.",
    )
    notes = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        validators=[TextRule(text_rules.MINUTES, _label(ValidationSession, "notes"))],
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("ends_on") and attrs["ends_on"] < attrs["held_on"]:
            raise serializers.ValidationError(
                {"ends_on": [_("The last day cannot be before the first.")]}
            )
        choices: dict[str, Institution] = {i.acronym: i for i in self.context["choices"]}
        acronyms = attrs["institutions"]
        unknown = sorted(set(acronyms) - set(choices))
        if unknown:
            raise serializers.ValidationError(
                {
                    "institutions": [
                        _("Not an institution of this assessment: %(list)s.")
                        % {"list": ", ".join(unknown)}
                    ]
                }
            )
        attrs["institutions"] = [choices[a] for a in dict.fromkeys(acronyms)]
        return attrs


class DecisionWriteSerializer(serializers.Serializer):
    """One decision; `indicator` (a code) becomes the indicator of `context["framework_id"]`,
    an unknown code is 400."""

    indicator = serializers.CharField(max_length=12, help_text="The indicator's code.")
    decision = serializers.ChoiceField(choices=ValidationDecision.Decision.choices)
    answer = NullableChoiceField(
        choices=ConsolidatedAnswer.Answer.choices, required=False, allow_null=True, default=""
    )
    coverage = NullableChoiceField(
        choices=Indicator.Coverage.choices, required=False, allow_null=True, default=""
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        validators=[TextRule(text_rules.REASON, _label(ValidationDecision, "reason"))],
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["decision"] == ValidationDecision.Decision.CHANGED:
            errors = {}
            if not attrs.get("answer"):
                errors["answer"] = [_("Give the new answer.")]
            if not attrs.get("reason", "").strip():
                errors["reason"] = [_("Give the reason for the change.")]
            if errors:
                raise serializers.ValidationError(errors)
        indicator = Indicator.objects.filter(
            framework_id=self.context["framework_id"], code=attrs["indicator"]
        ).first()
        if indicator is None:
            raise serializers.ValidationError(
                {"indicator": [_("No such indicator in this assessment's framework.")]}
            )
        attrs["indicator"] = indicator
        return attrs


class ValidationSessionsView(APIView):
    """The assessment's validation sessions; coordinators record one while in validation."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="assessment_validation_sessions_list",
        responses=SessionSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment = permissions.get_validation_assessment_for_user(_user(request), pk)
        sessions = selectors.validation_sessions(assessment)
        return Response(SessionSerializer(sessions, many=True).data)

    @extend_schema(
        operation_id="assessment_validation_sessions_create",
        request=SessionWriteSerializer,
        responses={201: SessionSerializer, 400: OpenApiTypes.OBJECT, 409: DETAIL},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        assessment = permissions.get_validation_assessment_for_user(user, pk)
        permissions.require(permissions.can_manage(user, assessment))
        data = SessionWriteSerializer(
            data=request.data,
            context={"choices": selectors.validation_institution_choices(assessment)},
        )
        data.is_valid(raise_exception=True)
        session = services.validation_session_save(
            assessment=assessment, actor=user, **data.validated_data
        )
        created = selectors.validation_sessions(assessment).get(pk=session.pk)
        return Response(SessionSerializer(created).data, status=status.HTTP_201_CREATED)


class ValidationSessionView(APIView):
    """One session, with every decision it recorded."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="assessment_validation_session_detail",
        responses=SessionDetailSerializer,
    )
    def get(self, request: Request, pk: int, sid: int) -> Response:
        assessment = permissions.get_validation_assessment_for_user(_user(request), pk)
        session = get_object_or_404(selectors.validation_sessions(assessment), pk=sid)
        return Response(SessionDetailSerializer(session).data)


class ValidationDecisionsView(APIView):
    """Record the session's decision on one indicator: confirmed, or changed with the new
    answer and the reason (which also changes the consolidated answer)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="assessment_validation_session_decide",
        request=DecisionWriteSerializer,
        responses={201: DecisionSerializer, 400: OpenApiTypes.OBJECT, 409: DETAIL},
    )
    def post(self, request: Request, pk: int, sid: int) -> Response:
        user = _user(request)
        session = permissions.get_validation_session_for_user(user, pk, sid)
        permissions.require(permissions.can_manage(user, session.assessment))
        data = DecisionWriteSerializer(
            data=request.data, context={"framework_id": session.assessment.framework_id}
        )
        data.is_valid(raise_exception=True)
        decision = services.validation_decide(session=session, actor=user, **data.validated_data)
        decision = selectors.validation_decisions(session).get(pk=decision.pk)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class SnapshotSerializer(serializers.ModelSerializer):
    approved_by = serializers.CharField(source="approved_by.username", read_only=True)
    approved_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Snapshot
        fields = ["number", "approved_at", "approved_by"]


class SnapshotDetailSerializer(SnapshotSerializer):
    class Meta(SnapshotSerializer.Meta):
        fields = [*SnapshotSerializer.Meta.fields, "data"]


class SnapshotsView(APIView):
    """The assessment's snapshots, newest first, without their data."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="assessment_snapshots_list", responses=SnapshotSerializer(many=True)
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment = permissions.get_validation_assessment_for_user(_user(request), pk)
        return Response(SnapshotSerializer(selectors.snapshots_of(assessment), many=True).data)


class SnapshotView(APIView):
    """One snapshot with its frozen data, exactly as approved."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="assessment_snapshot_detail", responses=SnapshotDetailSerializer)
    def get(self, request: Request, pk: int, number: int) -> Response:
        assessment = permissions.get_validation_assessment_for_user(_user(request), pk)
        snapshot = get_object_or_404(selectors.frozen_snapshots(assessment), number=number)
        return Response(SnapshotDetailSerializer(snapshot).data)


S = "assessments/<int:pk>/validation-sessions"

urlpatterns = [
    path(f"{S}/", ValidationSessionsView.as_view(), name="api-validation-sessions"),
    path(f"{S}/<int:sid>/", ValidationSessionView.as_view(), name="api-validation-session"),
    path(
        f"{S}/<int:sid>/decisions/",
        ValidationDecisionsView.as_view(),
        name="api-validation-decisions",
    ),
    path("assessments/<int:pk>/snapshots/", SnapshotsView.as_view(), name="api-snapshots"),
    path(
        "assessments/<int:pk>/snapshots/<int:number>/",
        SnapshotView.as_view(),
        name="api-snapshot",
    ),
]
