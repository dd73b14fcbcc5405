"""The action plan's API, included under /api/v1/ (config/api_urls.py).

GET  /api/v1/assessments/{id}/action-plan/items/   the items the user sees, filtered by
                                                   institution, dimension, gcm, kind, status
POST /api/v1/assessments/{id}/action-plan/items/   a new item (coordinators of the scope;
                                                   `finding`: created from that finding)
GET  /api/v1/action-plan/items/{id}/               one item
PATCH /api/v1/action-plan/items/{id}/              change it, with the `version` read: 409
                                                   with the current item when stale
GET  /api/v1/action-plan/items/{id}/updates/       its progress updates and comments
POST /api/v1/action-plan/items/{id}/updates/       a progress update (focal points of its
                                                   institutions) or a comment (facilitators,
                                                   coordinators)

Texts in two languages are {"en": …, "id": …}. Same doors as the pages (permissions.py):
401 anonymous, 404 strangers (a focal point for items of other institutions), 403 without
the right. Service errors become statuses in config/exceptions.py.
"""

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.permissions import request_user as _user

from . import permissions, selectors, services
from .models import ActionItem
from .serializers import (
    ItemCreateSerializer,
    ItemPatchSerializer,
    ItemSerializer,
    UpdateCreateSerializer,
    UpdateSerializer,
)

FILTER_PARAMETERS = [
    OpenApiParameter("institution", int, description="An institution (lead or contributing)"),
    OpenApiParameter("dimension", int, description="A dimension number (1-6)"),
    OpenApiParameter("gcm", int, description="A GCM objective number"),
    OpenApiParameter("kind", str, enum=ActionItem.Kind.values),
    OpenApiParameter("status", str, enum=ActionItem.Status.values),
]


def _item_data(item: ActionItem) -> Any:
    fresh = selectors.with_relations(ActionItem.objects.filter(pk=item.pk)).get()
    return ItemSerializer(fresh).data


class PlanItemsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="action_plan_items_list",
        parameters=FILTER_PARAMETERS,
        responses={200: ItemSerializer(many=True)},
    )
    def get(self, request: Request, pk: int) -> Response:
        user = _user(request)
        plan = permissions.get_plan_for_user(user, pk)
        filters = selectors.clean_filters(request.query_params)
        items = selectors.filter_items(
            selectors.plan_items(plan, permissions.items_visible_to(user)), filters
        )
        return Response(ItemSerializer(items, many=True).data)

    @extend_schema(
        operation_id="action_plan_items_create",
        request=ItemCreateSerializer,
        responses={201: ItemSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        assessment = permissions.get_plan_assessment_for_user(user, pk, manage=True)
        data = ItemCreateSerializer(data=request.data, context={"assessment": assessment})
        data.is_valid(raise_exception=True)
        values = data.values()
        finding_id = data.validated_data.get("finding")
        if finding_id:
            finding = permissions.get_plan_finding(assessment, finding_id)
            item = services.item_create_from_finding(
                finding=finding, actor=user, lead=values.get("lead")
            )
        else:
            item = services.item_create(assessment=assessment, actor=user, values=values)
        return Response(_item_data(item), status=status.HTTP_201_CREATED)


class ItemView(APIView):
    permission_classes = [IsAuthenticated]

    def stale_payload(self, exc: Any) -> dict[str, Any]:
        return {"current": _item_data(exc.current)}

    @extend_schema(operation_id="action_plan_item_detail", responses={200: ItemSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(_item_data(permissions.get_item_for_user(_user(request), pk)))

    @extend_schema(
        operation_id="action_plan_item_update",
        request=ItemPatchSerializer,
        responses={200: ItemSerializer, 409: OpenApiTypes.OBJECT},
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = _user(request)
        item = permissions.get_item_for_user(user, pk, manage=True)
        data = ItemPatchSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        item = services.item_update(
            item=item,
            actor=user,
            version=data.validated_data["version"],
            values=data.values(),
            via_api=True,
        )
        return Response(_item_data(item))


class ItemUpdatesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="action_plan_item_updates_list", responses=UpdateSerializer(many=True)
    )
    def get(self, request: Request, pk: int) -> Response:
        item = permissions.get_item_for_user(_user(request), pk)
        return Response(UpdateSerializer(selectors.item_updates(item), many=True).data)

    @extend_schema(
        operation_id="action_plan_item_updates_create",
        request=UpdateCreateSerializer,
        responses={201: UpdateSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        item = permissions.get_item_for_user(user, pk, post=True)
        allowed = permissions.evidence_for_update(user, item)
        data = UpdateCreateSerializer(data=request.data, context={"evidence": allowed})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        update = services.update_post(
            item=item,
            actor=user,
            kind=permissions.update_kind_for(user, item),
            text=v["text"],
            language=v["language"],
            percent=v.get("percent"),
            evidence=v.get("evidence", []),
            link=data.link(),
        )
        return Response(UpdateSerializer(update).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path(
        "assessments/<int:pk>/action-plan/items/",
        PlanItemsView.as_view(),
        name="api-action-plan-items",
    ),
    path("action-plan/items/<int:pk>/", ItemView.as_view(), name="api-action-item"),
    path(
        "action-plan/items/<int:pk>/updates/",
        ItemUpdatesView.as_view(),
        name="api-action-item-updates",
    ),
]
