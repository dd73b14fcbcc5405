"""The coordinator dashboard: progress by institution and by dimension, conflicts awaiting
consolidation, and the workflow history of one assessment.

It shows how far the process has got, to manage it; it never compares institutions. Rows
are alphabetical (institutions) or in framework order (dimensions), never by progress.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.charts import Bar, Segment, stacked_bar_chart
from assessments.dashboard import selectors
from assessments.permissions import request_user


def chart_segments() -> list[Segment]:
    """Left to right: accepted, then submitted, then answered; the rest of the bar is empty."""
    return [
        Segment("accepted", _("Accepted")),
        Segment("submitted", _("Submitted, not yet accepted")),
        Segment("answered", _("Answered or nothing to add, not yet submitted")),
    ]


def _bar(label: str, counts: selectors.DashboardCounts) -> Bar:
    return Bar(
        label=label,
        total=counts.assigned,
        values=(counts.accepted, counts.submitted - counts.accepted, counts.answered_open),
        description=_(
            "%(name)s: %(assigned)s assigned, %(answered)s answered, %(nothing)s nothing to "
            "add, %(blank)s blank, %(submitted)s submitted, %(accepted)s accepted"
        )
        % {
            "name": label,
            "assigned": counts.assigned,
            "answered": counts.answered,
            "nothing": counts.nothing_to_add,
            "blank": counts.blank,
            "submitted": counts.submitted,
            "accepted": counts.accepted,
        },
    )


def institution_chart(dashboard: selectors.Dashboard) -> SafeString:
    return stacked_bar_chart(
        title=_("Progress by institution, as shares of each institution's assigned indicators"),
        bars=[_bar(row.institution.acronym, row.counts) for row in dashboard.institutions],
        segments=chart_segments(),
    )


def dimension_chart(dashboard: selectors.Dashboard) -> SafeString:
    return stacked_bar_chart(
        title=_("Progress by dimension, as shares of each dimension's assigned answers"),
        bars=[
            _bar(_("Dimension %(number)s") % {"number": row.dimension.number}, row.counts)
            for row in dashboard.dimensions
        ],
        segments=chart_segments(),
    )


@login_required
def assessment_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = permissions.get_process_assessment_for_user(request_user(request), pk)
    # The first conflicts are listed with their answers; the rest are counted, with a link
    # to the consolidation list: the page stays bounded whatever the round's size.
    limit = selectors.CONFLICTS_SHOWN
    dashboard = selectors.dashboard_for(assessment, detailed=limit)
    shown = dashboard.conflicts[:limit]
    return render(
        request,
        "assessments/dashboard.html",
        {
            "assessment": assessment,
            "dashboard": dashboard,
            "conflicts_shown": shown,
            "conflicts_more": len(dashboard.conflicts) - len(shown),
            "segments": chart_segments(),
            "institution_chart": institution_chart(dashboard),
            "dimension_chart": dimension_chart(dashboard),
        },
    )
