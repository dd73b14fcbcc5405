"""GET /api/v1/public/profiles/{id}/action-plan/: the published plan's public items of a
public profile (no login); 404 until the coordinator publishes the plan."""

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .serializers import ItemSerializer

PUBLIC_FIELDS = [f for f in ItemSerializer.Meta.fields if f not in ("version", "finding", "public")]


class PublicItemSerializer(ItemSerializer):
    class Meta(ItemSerializer.Meta):
        fields = PUBLIC_FIELDS


class PublicActionPlanView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="public_profile_action_plan",
        responses={
            200: inline_serializer(
                "PublicActionPlan",
                {
                    "profile": serializers.IntegerField(),
                    "published_at": serializers.DateTimeField(),
                    "items": PublicItemSerializer(many=True),
                },
            ),
            404: OpenApiResponse(description="Not published."),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        profile, plan, items = selectors.public_plan(pk)
        return Response(
            {
                "profile": profile.pk,
                "published_at": plan.published_at,
                "items": PublicItemSerializer(items, many=True).data,
            }
        )


urlpatterns = [
    path(
        "public/profiles/<int:pk>/action-plan/",
        PublicActionPlanView.as_view(),
        name="public-profile-action-plan",
    ),
]
