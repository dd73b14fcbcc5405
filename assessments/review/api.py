"""API of the cross-check: accept, query or return an answer, its comment thread, resubmission.

The actions sit under /api/v1/responses/<id>/ beside the answer itself.
"""

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response as APIResponse
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from assessments import permissions
from assessments.collection import selectors
from assessments.models import Response, ResponseComment
from assessments.permissions import request_user as _user
from assessments.review import services
from assessments.serializers import ResponseSerializer
from config import text as text_rules
from config.text import TextRule
from config.text import field_label as _label


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "query", "return"])
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        validators=[TextRule(text_rules.COMMENT, _label(ResponseComment, "body"))],
    )


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = ResponseComment
        fields = ["id", "author", "kind", "body", "created_at"]
        read_only_fields = ["id", "author", "kind", "created_at"]
        extra_kwargs = {
            "body": {"validators": [TextRule(text_rules.COMMENT, _label(ResponseComment, "body"))]}
        }


class ResponseReviewViewSet(viewsets.GenericViewSet):
    """The review of one institution's answer to one indicator."""

    serializer_class = ResponseSerializer
    permission_classes = [IsAuthenticated]
    queryset = Response.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[Response]:
        if getattr(self, "swagger_fake_view", False):
            return Response.objects.none()
        return selectors.responses_for_api(_user(self.request))

    @extend_schema(request=ReviewSerializer, responses={200: ResponseSerializer})
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated, permissions.CanReview]
    )
    def review(self, request: Request, pk: str | None = None) -> APIResponse:
        """Accept, query or return one answer (facilitators). Query and return need a comment."""
        response = self.get_object()
        user = _user(request)
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.response_review(
            response=response,
            actor=user,
            decision=data.validated_data["decision"],
            comment=data.validated_data.get("comment", ""),
        )
        return APIResponse(ResponseSerializer(self.get_queryset().get(pk=response.pk)).data)

    @extend_schema(
        request=CommentSerializer,
        responses={200: CommentSerializer(many=True), 201: CommentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[IsAuthenticated, permissions.CanComment],
    )
    def comments(self, request: Request, pk: str | None = None) -> APIResponse:
        """The answer's thread; focal points see only their own institution's."""
        response = self.get_object()
        if request.method == "GET":
            return APIResponse(
                CommentSerializer(response.comments.select_related("author"), many=True).data
            )
        user = _user(request)
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.comment_add(response=response, actor=user, body=data.validated_data["body"])
        return APIResponse(CommentSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ResponseSerializer})
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated, permissions.CanResubmit]
    )
    def resubmit(self, request: Request, pk: str | None = None) -> APIResponse:
        """Send one returned or queried answer back for review (the institution's focal points)."""
        response = self.get_object()
        user = _user(request)
        services.response_resubmit(response=response, actor=user)
        return APIResponse(ResponseSerializer(self.get_queryset().get(pk=response.pk)).data)


class BulkAcceptItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField(
        help_text="The version you saw; a changed answer is skipped."
    )


class BulkAcceptSerializer(serializers.Serializer):
    responses = BulkAcceptItemSerializer(many=True, allow_empty=False)


class BulkAcceptView(APIView):
    """Accept several answers awaiting review in one step (facilitators), as the review
    queue's "Accept all" does. Answers that changed since `version`, that no longer await
    review or have no content are skipped and counted; nobody is emailed."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=BulkAcceptSerializer,
        responses=inline_serializer(
            "BulkAcceptResult",
            {"accepted": serializers.IntegerField(), "skipped": serializers.IntegerField()},
        ),
    )
    def post(self, request: Request) -> APIResponse:
        user = _user(request)
        permissions.require(permissions.can_review(user))
        data = BulkAcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        versions = {item["id"]: item["version"] for item in data.validated_data["responses"]}
        result = services.responses_accept_bulk(
            queryset=permissions.responses_visible_to(user).filter(pk__in=list(versions)),
            actor=user,
            versions=versions,
        )
        return APIResponse({"accepted": result.accepted, "skipped": result.skipped})


# Its own router: the actions share the /responses/ prefix and names with the answer's.
router = SimpleRouter()
router.register("responses", ResponseReviewViewSet, basename="api-response")
urlpatterns = [
    path("review/accept/", BulkAcceptView.as_view(), name="api-review-accept"),
    *router.urls,
]
