"""Who may see and do what. The one door for pages and API alike.

Strangers get 404 (the object does not exist for them): querysets below are the only way
to reach assessments and responses. Members without the right get 403 (`PermissionDenied`).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from ministries.models import User

from .models import Assessment, Assignment, Evidence, Response


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    qs = Assessment.objects.select_related("framework", "province")
    if not user.is_authenticated:
        return qs.none()
    if user.is_administrator or user.is_national_coordinator:
        return qs
    if user.is_provincial_coordinator:
        return qs.filter(scope=Assessment.Scope.PROVINCIAL, province_id=user.province_id or 0)
    if user.is_facilitator:
        return qs.filter(facilitators=user)
    if user.is_focal_point and user.institution_id:
        # Subqueries, not joins: a join over the matrix needs DISTINCT over thousands of rows.
        assigned = Assignment.objects.filter(institution_id=user.institution_id).values(
            "assessment_id"
        )
        invited = Assessment.participants.through.objects.filter(
            institution_id=user.institution_id
        ).values("assessment_id")
        return qs.filter(Q(pk__in=assigned) | Q(pk__in=invited))
    return qs.none()


def responses_visible_to(user: User) -> QuerySet[Response]:
    qs = Response.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_focal_point:
        return qs.filter(institution_id=user.institution_id or 0)
    return qs.filter(assessment__in=assessments_visible_to(user).values("pk"))


def evidence_visible_to(user: User) -> QuerySet[Evidence]:
    qs = Evidence.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_focal_point:
        return qs.filter(institution_id=user.institution_id or 0)
    return qs.filter(assessment__in=assessments_visible_to(user).values("pk"))


def request_user(request: Any) -> User:
    """The signed-in portal user of a request (views are behind login_required or DRF auth)."""
    user = request.user
    assert isinstance(user, User)
    return user


def can_follow_process(user: User) -> bool:
    """Survey matrix, dashboard, consolidation pages: everyone who can see the assessment
    (through `assessments_visible_to`) except focal points, who see their own institution's
    part on the entry page. The queryset already limits facilitators to their assessments
    and provincial coordinators to their province, so the role is the whole check."""
    return not user.is_focal_point


def can_consolidate(user: User) -> bool:
    """Only facilitators write consolidated answers (reached through the same queryset)."""
    return user.is_facilitator


def can_manage(user: User, assessment: Assessment) -> bool:
    """Coordinators of the assessment's scope set it up and move it through the workflow."""
    if user.is_administrator:
        return True
    if assessment.scope == Assessment.Scope.NATIONAL:
        return user.is_national_coordinator
    return user.is_provincial_coordinator and user.province_id == assessment.province_id


def can_create_assessment(user: User, *, province_id: int | None) -> bool:
    if user.is_administrator:
        return True
    if province_id is None:
        return user.is_national_coordinator
    return user.is_provincial_coordinator and user.province_id == province_id


def can_answer(user: User, response: Response) -> bool:
    return (
        user.is_focal_point
        and user.institution_id == response.institution_id
        and response.assessment.is_collecting
        and response.is_editable
    )


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied
