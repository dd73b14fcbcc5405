"""The steering committee reviews' API, included under /api/v1/ (config/api_urls.py).

GET  /api/v1/assessments/{id}/action-plan/reviews/  the plan's reviews with their snapshot
                                                    and decisions
POST /api/v1/assessments/{id}/action-plan/reviews/  record one (coordinators of the scope):
                                                    the plan's items are frozen in it
GET  /api/v1/action-plan/reviews/{id}/              one review
PATCH /api/v1/action-plan/reviews/{id}/             decisions and minutes, with the `version`
                                                    read: 409 with the current review if stale
POST /api/v1/action-plan/reviews/{id}/minutes/      queue the PDF minutes in one language
                                                    (202; the review's `minutes_files` say
                                                    when it is done)

Same doors as the pages (permissions.py): 401 anonymous, 404 strangers and focal points,
403 without the right. Service errors become statuses in config/exceptions.py.
"""

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.permissions import request_user as _user

from . import permissions, review_selectors, review_services
from .review_models import SteeringReview
from .review_serializers import (
    ReviewCreateSerializer,
    ReviewMinutesFileSerializer,
    ReviewMinutesRequestSerializer,
    ReviewPatchSerializer,
    ReviewSerializer,
)


def _review_data(review: SteeringReview) -> Any:
    return ReviewSerializer(review_selectors.review_detail(review)).data


class PlanReviewsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="action_plan_reviews_list", responses={200: ReviewSerializer(many=True)}
    )
    def get(self, request: Request, pk: int) -> Response:
        user = _user(request)
        plan = permissions.get_review_plan_for_user(user, pk)
        reviews = (
            permissions.reviews_visible_to(user)
            .filter(plan=plan)
            .select_related("plan")
            .prefetch_related("participants", "decisions", "files")
            .order_by("-held_on", "-pk")
        )
        return Response(ReviewSerializer(reviews, many=True).data)

    @extend_schema(
        operation_id="action_plan_reviews_create",
        request=ReviewCreateSerializer,
        responses={201: ReviewSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        plan = permissions.get_review_plan_for_user(user, pk, manage=True)
        data = ReviewCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        review = review_services.review_create(
            plan=plan,
            held_on=v["held_on"],
            chair=v["chair"],
            participants=v["participants"],
            minutes_en=v.get("minutes_en", ""),
            minutes_id=v.get("minutes_id", ""),
            actor=user,
        )
        return Response(_review_data(review), status=status.HTTP_201_CREATED)


class ReviewView(APIView):
    permission_classes = [IsAuthenticated]

    def stale_payload(self, exc: Any) -> dict[str, Any]:
        return {"current": _review_data(exc.current)}

    @extend_schema(operation_id="action_plan_review_detail", responses={200: ReviewSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(_review_data(permissions.get_review_for_user(_user(request), pk)))

    @extend_schema(
        operation_id="action_plan_review_update",
        request=ReviewPatchSerializer,
        responses={200: ReviewSerializer, 409: OpenApiTypes.OBJECT},
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = _user(request)
        review = permissions.get_review_for_user(user, pk, manage=True)
        data = ReviewPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        review = review_services.review_decide(
            review=review,
            decisions={
                d["item"]: (d["decision"], d.get("note", "")) for d in v.get("decisions", [])
            },
            version=v["version"],
            actor=user,
            minutes_en=v.get("minutes_en"),
            minutes_id=v.get("minutes_id"),
        )
        return Response(_review_data(review))


class ReviewMinutesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="action_plan_review_minutes_request",
        request=ReviewMinutesRequestSerializer,
        responses={202: ReviewMinutesFileSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        review = permissions.get_review_for_user(user, pk, manage=True)
        data = ReviewMinutesRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = review_services.review_minutes_request(
            review=review, language=data.validated_data["language"], actor=user
        )
        row.refresh_from_db()
        return Response(ReviewMinutesFileSerializer(row).data, status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path(
        "assessments/<int:pk>/action-plan/reviews/",
        PlanReviewsView.as_view(),
        name="api-action-plan-reviews",
    ),
    path("action-plan/reviews/<int:pk>/", ReviewView.as_view(), name="api-action-review"),
    path(
        "action-plan/reviews/<int:pk>/minutes/",
        ReviewMinutesView.as_view(),
        name="api-action-review-minutes",
    ),
]
