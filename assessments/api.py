"""API of assessments, answers, evidence, history and submission (focal points' side)."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response as APIResponse

from indicators.bilingual import bilingual_field
from ministries.models import User

from . import permissions, services
from .models import Assessment, Evidence, Response, ResponseComment
from .permissions import request_user as _user


class AssessmentSerializer(serializers.ModelSerializer):
    title = bilingual_field("title")
    framework = serializers.CharField(source="framework.code", read_only=True)
    province = serializers.CharField(source="province.code", read_only=True, default=None)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "title",
            "framework",
            "scope",
            "province",
            "year",
            "round",
            "previous",
            "status",
            "data_collection_deadline",
            "validation_deadline",
        ]


class EvidenceSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    file = serializers.FileField(read_only=True)

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


class EvidenceCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Evidence.Kind.choices)
    instrument_type = serializers.ChoiceField(
        choices=Evidence.InstrumentType.choices, required=False, allow_blank=True
    )
    number = serializers.CharField(required=False, allow_blank=True, max_length=50)
    year = serializers.IntegerField(required=False, allow_null=True, min_value=1900, max_value=2100)
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    article = serializers.CharField(required=False, allow_blank=True, max_length=100)
    url = serializers.URLField(required=False, allow_blank=True, max_length=1000)
    file = serializers.FileField(required=False)
    existing = serializers.IntegerField(
        required=False, help_text="Attach an existing evidence item instead."
    )
    version = serializers.IntegerField(required=False)


class NullableChoiceField(serializers.ChoiceField):
    """Blank in the database, null in JSON."""

    def to_representation(self, value: Any) -> Any:
        return value or None

    def to_internal_value(self, data: Any) -> Any:
        if data in (None, ""):
            return ""
        return super().to_internal_value(data)


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


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "query", "return"])
    comment = serializers.CharField(required=False, allow_blank=True)


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = ResponseComment
        fields = ["id", "author", "kind", "body", "created_at"]
        read_only_fields = ["id", "author", "kind", "created_at"]


class ResponseUpdateSerializer(serializers.Serializer):
    answer = NullableChoiceField(choices=Response.Answer.choices, allow_null=True, required=False)
    coverage = NullableChoiceField(
        choices=Response.Coverage.choices, allow_null=True, required=False
    )
    justification = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.ListField(child=serializers.IntegerField(), required=False)
    version = serializers.IntegerField()


def responses_queryset(user: User) -> QuerySet[Response]:
    return (
        permissions.responses_visible_to(user)
        .select_related("indicator__dimension", "institution", "updated_by", "assessment")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("indicator__order", "institution__acronym")
    )


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessments the user may see."""

    serializer_class = AssessmentSerializer
    permission_classes = [IsAuthenticated]
    queryset = Assessment.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[Assessment]:
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        return permissions.assessments_visible_to(_user(self.request)).order_by("-year", "pk")

    @extend_schema(responses=ResponseSerializer(many=True))
    @action(detail=True, methods=["get"])
    def responses(self, request: Request, pk: str | None = None) -> APIResponse:
        """Responses of the assessment; `?institution=<acronym>&dimension=<n>` filter them."""
        assessment = self.get_object()
        qs = responses_queryset(_user(request)).filter(assessment=assessment)
        institution = request.query_params.get("institution")
        if institution:
            qs = qs.filter(institution__acronym=institution)
        dimension = request.query_params.get("dimension", "")
        if dimension.isdigit():
            qs = qs.filter(indicator__dimension__number=int(dimension))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ResponseSerializer(page, many=True).data)

    @extend_schema(
        request=None,
        responses={
            201: inline_serializer(
                "SubmissionResult",
                {"submitted": serializers.IntegerField(), "institution": serializers.CharField()},
            )
        },
    )
    @action(detail=True, methods=["post"])
    def submissions(self, request: Request, pk: str | None = None) -> APIResponse:
        """Submit the user's institution's answers once every lead indicator is answered."""
        assessment = self.get_object()
        user = _user(request)
        if not user.is_focal_point or user.institution is None:
            raise PermissionDenied
        try:
            submission = services.submission_create(
                assessment=assessment, institution=user.institution, actor=user
            )
        except services.ServiceError as exc:
            return APIResponse({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        return APIResponse(
            {"submitted": submission.response_count, "institution": user.institution.acronym},
            status=status.HTTP_201_CREATED,
        )


class ResponseViewSet(viewsets.GenericViewSet):
    """One institution's answer to one indicator."""

    serializer_class = ResponseSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    queryset = Response.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[Response]:
        if getattr(self, "swagger_fake_view", False):
            return Response.objects.none()
        return responses_queryset(_user(self.request))

    def retrieve(self, request: Request, pk: str | None = None) -> APIResponse:
        return APIResponse(ResponseSerializer(self.get_object()).data)

    @extend_schema(
        request=ResponseUpdateSerializer,
        responses={200: ResponseSerializer, 409: ResponseSerializer},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> APIResponse:
        """Change the answer; `version` must be the current one, else 409 with the current state."""
        response = self.get_object()
        user = _user(request)
        if not permissions.can_answer(user, response):
            raise PermissionDenied
        data = ResponseUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k in services.RESPONSE_FIELDS}
        evidence = None
        if "evidence" in data.validated_data:
            ids = data.validated_data["evidence"]
            evidence = list(permissions.evidence_visible_to(user).filter(pk__in=ids))
            if len(evidence) != len(set(ids)):
                return APIResponse({"evidence": ["Unknown evidence id."]}, status=400)
        try:
            updated = services.response_update(
                response=response,
                actor=user,
                version=data.validated_data["version"],
                evidence=evidence,
                reason="API",
                **values,
            )
        except services.StaleResponse as exc:
            current = self.get_queryset().get(pk=exc.current.pk)
            return APIResponse(
                {"detail": exc.message, "current": ResponseSerializer(current).data},
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoValidationError as exc:
            return APIResponse(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        except services.ServiceError as exc:
            return APIResponse({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        return APIResponse(ResponseSerializer(self.get_queryset().get(pk=updated.pk)).data)

    @extend_schema(
        responses=inline_serializer(
            "ResponseHistoryEntry",
            {
                "history_id": serializers.IntegerField(),
                "when": serializers.DateTimeField(),
                "who": serializers.CharField(allow_null=True),
                "reason": serializers.CharField(allow_null=True),
                "type": serializers.CharField(),
                "changes": serializers.ListField(child=serializers.DictField()),
            },
            many=True,
        )
    )
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> APIResponse:
        """Every change to the answer and its evidence: who, when, old and new values."""
        response = self.get_object()
        records = list(
            response.history.select_related("history_user").order_by("history_date", "history_id")
        )
        result = []
        previous = None
        for record in records:
            changes: list[dict[str, Any]] = []
            if previous is not None:
                for change in record.diff_against(previous, foreign_keys_are_objs=False).changes:
                    if change.field in ("updated_at",):
                        continue
                    old, new = change.old, change.new
                    if change.field == "evidence":
                        old = sorted(r["evidence"] for r in old or [])
                        new = sorted(r["evidence"] for r in new or [])
                    changes.append({"field": change.field, "old": old, "new": new})
            result.append(
                {
                    "history_id": record.history_id,
                    "when": record.history_date,
                    "who": record.history_user.username if record.history_user else None,
                    "reason": record.history_change_reason,
                    "type": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                    "changes": changes,
                }
            )
            previous = record
        result.reverse()
        return APIResponse(result)

    @extend_schema(
        request=EvidenceCreateSerializer,
        responses={200: EvidenceSerializer(many=True), 201: ResponseSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def evidence(self, request: Request, pk: str | None = None) -> APIResponse:
        """GET: the evidence of the answer. POST: attach a file, a link or a legal citation."""
        response = self.get_object()
        if request.method == "GET":
            return APIResponse(EvidenceSerializer(response.evidence.order_by("pk"), many=True).data)
        user = _user(request)
        if not permissions.can_answer(user, response):
            raise PermissionDenied
        data = EvidenceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        existing = values.pop("existing", None)
        version = values.pop("version", None)
        try:
            with transaction.atomic():
                if existing is not None:
                    item = get_object_or_404(
                        permissions.evidence_visible_to(user).filter(
                            assessment=response.assessment
                        ),
                        pk=existing,
                    )
                else:
                    item = services.evidence_create(
                        assessment=response.assessment,
                        institution=response.institution,
                        actor=user,
                        **values,
                    )
                if version is None:
                    # Attaching only adds: take the current version under a row lock.
                    version = Response.objects.select_for_update().get(pk=response.pk).version
                updated = services.response_add_evidence(
                    response=response, actor=user, version=version, evidence=item
                )
        except DjangoValidationError as exc:
            return APIResponse(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        except services.StaleResponse as exc:
            current = self.get_queryset().get(pk=exc.current.pk)
            return APIResponse(
                {"detail": exc.message, "current": ResponseSerializer(current).data},
                status=status.HTTP_409_CONFLICT,
            )
        except services.ServiceError as exc:
            return APIResponse({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        return APIResponse(
            ResponseSerializer(self.get_queryset().get(pk=updated.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ReviewSerializer, responses={200: ResponseSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> APIResponse:
        """Accept, query or return one answer (facilitators). Query and return need a comment."""
        response = self.get_object()
        user = _user(request)
        if not user.is_facilitator:
            raise PermissionDenied
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.response_review(
                response=response,
                actor=user,
                decision=data.validated_data["decision"],
                comment=data.validated_data.get("comment", ""),
            )
        except services.ServiceError as exc:
            return APIResponse({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        return APIResponse(ResponseSerializer(self.get_queryset().get(pk=response.pk)).data)

    @extend_schema(
        request=CommentSerializer,
        responses={200: CommentSerializer(many=True), 201: CommentSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request: Request, pk: str | None = None) -> APIResponse:
        """The answer's thread; focal points see only their own institution's."""
        response = self.get_object()
        if request.method == "GET":
            return APIResponse(
                CommentSerializer(response.comments.select_related("author"), many=True).data
            )
        user = _user(request)
        own = user.is_focal_point and user.institution_id == response.institution_id
        if not (own or user.is_facilitator or user.is_coordinator):
            raise PermissionDenied
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            note = services.comment_add(
                response=response, actor=user, body=data.validated_data["body"]
            )
        except services.ServiceError as exc:
            return APIResponse({"body": [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
        return APIResponse(CommentSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ResponseSerializer})
    @action(detail=True, methods=["post"])
    def resubmit(self, request: Request, pk: str | None = None) -> APIResponse:
        """Send one returned or queried answer back for review (the institution's focal points)."""
        response = self.get_object()
        user = _user(request)
        if not (user.is_focal_point and user.institution_id == response.institution_id):
            raise PermissionDenied
        try:
            services.response_resubmit(response=response, actor=user)
        except services.ServiceError as exc:
            return APIResponse({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        return APIResponse(ResponseSerializer(self.get_queryset().get(pk=response.pk)).data)
