"""API of the coordinator dashboard: the same numbers as the page, as JSON.

Same doors as the page (`permissions.get_process_assessment_for_user`): anonymous 401;
strangers and focal points 404.
"""

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import permissions
from assessments.dashboard import selectors
from assessments.history_reasons import reason_text
from assessments.permissions import request_user
from indicators.bilingual import both


def _counts(counts: selectors.DashboardCounts) -> dict[str, int]:
    return {
        "assigned": counts.assigned,
        "answered": counts.answered,
        "nothing_to_add": counts.nothing_to_add,
        "blank": counts.blank,
        "submitted": counts.submitted,
        "accepted": counts.accepted,
        "returned": counts.returned,
        "overdue": counts.overdue,
    }


def dashboard_data(dashboard: selectors.Dashboard) -> dict[str, Any]:
    return {
        "deadline_passed": dashboard.deadline_passed,
        "institutions": [
            {"acronym": row.institution.acronym, **_counts(row.counts)}
            for row in dashboard.institutions
        ],
        "dimensions": [
            {
                "number": row.dimension.number,
                "name": both(row.dimension, "name"),
                **_counts(row.counts),
            }
            for row in dashboard.dimensions
        ],
        "conflicts": [conflict.indicator.code for conflict in dashboard.conflicts],
        "history": [
            {
                "from": change.from_status,
                "to": change.to_status,
                "by": change.actor.username,
                "at": change.created_at.isoformat(),
                "note": reason_text(change.note),
            }
            for change in dashboard.history
        ],
    }


COUNT_FIELDS = {
    "assigned": serializers.IntegerField(),
    "answered": serializers.IntegerField(
        help_text="An answer given and confirmed (a carried-forward draft not yet confirmed "
        "is blank)."
    ),
    "nothing_to_add": serializers.IntegerField(
        help_text="A contributor said it has nothing to add."
    ),
    "blank": serializers.IntegerField(help_text="Neither answered nor nothing to add."),
    "submitted": serializers.IntegerField(help_text="Sent to review."),
    "accepted": serializers.IntegerField(),
    "returned": serializers.IntegerField(help_text="Returned or queried, not yet resubmitted."),
    "overdue": serializers.IntegerField(
        help_text="Not submitted although the data collection deadline has passed."
    ),
}

DASHBOARD = inline_serializer(
    "AssessmentDashboard",
    {
        "deadline_passed": serializers.BooleanField(),
        "institutions": inline_serializer(
            "DashboardInstitution",
            {"acronym": serializers.CharField(), **COUNT_FIELDS},
            many=True,
        ),
        "dimensions": inline_serializer(
            "DashboardDimension",
            {
                "number": serializers.IntegerField(),
                "name": serializers.DictField(child=serializers.CharField()),
                **COUNT_FIELDS,
            },
            many=True,
        ),
        "conflicts": serializers.ListField(
            child=serializers.CharField(),
            help_text="Codes of indicators answered differently, not yet consolidated.",
        ),
        "history": inline_serializer(
            "DashboardStatusChange",
            {
                "from": serializers.CharField(),
                "to": serializers.CharField(),
                "by": serializers.CharField(),
                "at": serializers.DateTimeField(),
                "note": serializers.CharField(),
            },
            many=True,
        ),
    },
)


class AssessmentDashboardView(APIView):
    """Progress by institution (alphabetical) and by dimension, conflicts awaiting
    consolidation, and the workflow history. Progress of the process, not a ranking."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="assessment_dashboard", responses=DASHBOARD)
    def get(self, request: Request, pk: int) -> Response:
        assessment = permissions.get_process_assessment_for_user(request_user(request), pk)
        return Response(dashboard_data(selectors.dashboard_for(assessment, detailed=0)))


urlpatterns = [
    path(
        "assessments/<int:pk>/dashboard/",
        AssessmentDashboardView.as_view(),
        name="api-assessment-dashboard",
    ),
]
