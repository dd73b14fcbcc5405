"""API of data collection: assessments, answers, evidence, history and submission."""

from typing import Any

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response as APIResponse
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from assessments import errors, permissions
from assessments.collection import selectors, services
from assessments.collection.carried import response_confirm
from assessments.history_reasons import (
    API,
    reason_code,
    reason_code_of,
    reason_params_of,
    reason_text,
)
from assessments.models import Assessment, Evidence, Response
from assessments.permissions import request_user as _user
from assessments.serializers import (
    EvidenceSerializer,
    NullableChoiceField,
    ResponseSerializer,
    response_list_data,
    response_list_rows,
)
from config import text as text_rules
from config.files import FileNegotiation, serve_file
from config.pagination import WindowCountPagination
from config.text import TextRule
from config.text import field_label as _label
from indicators.bilingual import bilingual_field
from indicators.models import LegalInstrument


class AssessmentSerializer(serializers.ModelSerializer):
    title = bilingual_field("title")
    framework = serializers.CharField(source="framework.code", read_only=True)
    province = serializers.CharField(
        source="province.code", read_only=True, default=None, allow_null=True
    )

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


class EvidenceCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Evidence.Kind.choices)
    instrument = serializers.PrimaryKeyRelatedField(
        queryset=LegalInstrument.objects.all(),
        required=False,
        allow_null=True,
        help_text="A legal citation: the id of the instrument in the register "
        "(/api/v1/legal-instruments/); its type, number, year and title are taken from it.",
    )
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


class ResponseUpdateSerializer(serializers.Serializer):
    answer = NullableChoiceField(choices=Response.Answer.choices, allow_null=True, required=False)
    coverage = NullableChoiceField(
        choices=Response.Coverage.choices, allow_null=True, required=False
    )
    justification = serializers.CharField(
        required=False,
        allow_blank=True,
        validators=[TextRule(text_rules.JUSTIFICATION, _label(Response, "justification"))],
    )
    nothing_to_add = serializers.BooleanField(
        required=False,
        help_text="True: the institution has nothing to add (clears the answer; refused for "
        "an indicator it leads). Giving an answer sets it back to false.",
    )
    evidence = serializers.ListField(child=serializers.IntegerField(), required=False)
    version = serializers.IntegerField()


class ConfirmSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessments the user may see."""

    serializer_class = AssessmentSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = WindowCountPagination  # the count with the page: one query
    queryset = Assessment.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[Assessment]:
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        return permissions.assessments_visible_to(_user(self.request)).order_by("-year", "pk")

    @extend_schema(responses=ResponseSerializer(many=True))
    @action(detail=True, methods=["get"])
    def responses(self, request: Request, pk: str | None = None) -> APIResponse:
        """Responses of the assessment; `?institution=<acronym>&dimension=<n>` filter them."""
        # Through the same door as get_object (404 for whom it does not exist), without
        # reading the assessment's columns and relations, which the list does not show.
        assessment = get_object_or_404(self.get_queryset().select_related(None).only("pk"), pk=pk)
        qs = selectors.responses_for_api(_user(request)).filter(assessment=assessment)
        institution = request.query_params.get("institution")
        if institution:
            qs = qs.filter(institution__acronym=institution)
        dimension = request.query_params.get("dimension", "")
        if dimension.isdigit():
            qs = qs.filter(indicator__dimension__number=int(dimension))
        page = self.paginate_queryset(response_list_rows(qs))
        return self.get_paginated_response(response_list_data(page or []))

    @extend_schema(
        request=None,
        responses={
            201: inline_serializer(
                "SubmissionResult",
                {"submitted": serializers.IntegerField(), "institution": serializers.CharField()},
            )
        },
    )
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated, permissions.CanSubmit]
    )
    def submissions(self, request: Request, pk: str | None = None) -> APIResponse:
        """Submit the user's institution's answers once every lead indicator is answered."""
        assessment = self.get_object()
        user = _user(request)
        assert user.institution is not None
        submission = services.submission_create(
            assessment=assessment, institution=user.institution, actor=user
        )
        return APIResponse(
            {"submitted": submission.response_count, "institution": user.institution.acronym},
            status=status.HTTP_201_CREATED,
        )


class ResponseViewSet(viewsets.GenericViewSet):
    """One institution's answer to one indicator."""

    serializer_class = ResponseSerializer
    permission_classes = [IsAuthenticated, permissions.CanAnswer]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    queryset = Response.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[Response]:
        if getattr(self, "swagger_fake_view", False):
            return Response.objects.none()
        return selectors.responses_for_api(_user(self.request))

    def stale_payload(self, exc: errors.StaleResponse) -> dict[str, Any]:
        """The current state of a stale answer, added to the 409 by the exception handler."""
        current = self.get_queryset().get(pk=exc.current.pk)
        return {"current": ResponseSerializer(current).data}

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
        data = ResponseUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k in services.RESPONSE_FIELDS}
        evidence = None
        if "evidence" in data.validated_data:
            ids = data.validated_data["evidence"]
            evidence = list(permissions.evidence_visible_to(user).filter(pk__in=ids))
            if len(evidence) != len(set(ids)):
                return APIResponse({"evidence": ["Unknown evidence id."]}, status=400)
        updated = services.response_update(
            response=response,
            actor=user,
            version=data.validated_data["version"],
            evidence=evidence,
            reason=reason_code(API),
            **values,
        )
        return APIResponse(ResponseSerializer(self.get_queryset().get(pk=updated.pk)).data)

    @extend_schema(request=ConfirmSerializer, responses={200: ResponseSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> APIResponse:
        """Confirm a carried-forward draft as the institution's answer (409 if it is not one,
        or if `version` is given and no longer current)."""
        response = self.get_object()
        data = ConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        confirmed = response_confirm(
            response=response, actor=_user(request), version=data.validated_data.get("version")
        )
        return APIResponse(ResponseSerializer(self.get_queryset().get(pk=confirmed.pk)).data)

    @extend_schema(
        responses=inline_serializer(
            "ResponseHistoryEntry",
            {
                "history_id": serializers.IntegerField(),
                "when": serializers.DateTimeField(),
                "who": serializers.CharField(allow_null=True),
                "reason": serializers.CharField(
                    allow_null=True, help_text="Why, in the request's language."
                ),
                "reason_code": serializers.CharField(
                    allow_null=True,
                    help_text="The code of a reason the portal wrote (submitted, excel_import, "
                    "…); null for one written by a person or stored before codes.",
                ),
                "reason_params": serializers.DictField(
                    allow_null=True, help_text="The parameters of the code (a file name, …)."
                ),
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
            reason = record.history_change_reason
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
                    "reason": None if reason is None else reason_text(reason),
                    "reason_code": reason_code_of(reason),
                    "reason_params": reason_params_of(reason),
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
        data = EvidenceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        existing = values.pop("existing", None)
        version = values.pop("version", None)
        item = None
        if existing is not None:
            item = permissions.get_evidence_for_user(user, existing, assessment=response.assessment)
        updated = services.response_attach_evidence(
            response=response, actor=user, version=version, evidence=item, **values
        )
        return APIResponse(
            ResponseSerializer(self.get_queryset().get(pk=updated.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class EvidenceFileView(APIView):
    """An evidence item's file: the same door as its page (`evidence_file`)."""

    permission_classes = [IsAuthenticated]
    content_negotiation_class = FileNegotiation  # the file whatever is accepted; errors JSON

    @extend_schema(
        operation_id="evidence_file",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        description="The file as uploaded, an attachment named as it was, with the type "
        "detected at upload. 404 for whom the evidence does not exist (and for evidence "
        "without a file), 403 for those who see it without the right to download it.",
    )
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        evidence = permissions.get_evidence_file_for_user(_user(request), pk)
        return serve_file(
            evidence.file, filename=evidence.download_name, content_type=evidence.content_type
        )


# Included by assessments/api_urls.py.
urlpatterns = [
    path("evidence/<int:pk>/file/", EvidenceFileView.as_view(), name="api-evidence-file"),
]

# Registered on the API root router (config/api_urls.py), so the API root lists them.
router = SimpleRouter()
router.register("assessments", AssessmentViewSet, basename="api-assessment")
router.register("responses", ResponseViewSet, basename="api-response")
