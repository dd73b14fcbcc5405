"""Reads of assessments, always starting from what the user may see."""

from django.db.models import QuerySet

from ministries.models import User

from .models import Assessment


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    qs = Assessment.objects.select_related("framework", "province")
    if not user.is_authenticated:
        return qs.none()
    if user.is_administrator or user.is_national_coordinator or user.is_facilitator:
        return qs
    if user.is_provincial_coordinator and user.province_id is not None:
        return qs.filter(scope=Assessment.Scope.PROVINCIAL, province_id=user.province_id)
    if user.is_focal_point and user.institution is not None:
        institution = user.institution
        if institution.province_id:
            return qs.filter(scope=Assessment.Scope.PROVINCIAL, province_id=institution.province_id)
        return qs.filter(scope=Assessment.Scope.NATIONAL)
    return qs.none()
