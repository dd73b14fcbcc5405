"""Who reads the audit trail: administrators all of it; coordinators the events of the
assessments they manage (a provincial coordinator only those of their province). Nobody
changes or deletes it (no view does, and the admin is read-only)."""

from django.db.models import QuerySet

from assessments.permissions import assessments_visible_to
from ministries.models import User

from .models import AuditEvent


def can_see_audit(user: User) -> bool:
    return user.is_authenticated and (user.is_administrator or user.is_coordinator)


def audit_events_visible_to(user: User) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    if not can_see_audit(user):
        return qs.none()
    if user.is_administrator:
        return qs
    return qs.filter(assessment__in=assessments_visible_to(user).values("pk"))
