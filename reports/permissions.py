"""Who may see and do what with profiles on the staff side; pages and API alike.

Profiles in preparation are read by the coordinators of the assessment's scope, its
facilitators and administrators: the same people who read its validation records.
Focal points and other strangers get 404 (`*_visible_to` are the only doors); members who
see a profile but lack the right to act on it get 403.
"""

from django.db.models import QuerySet

from assessments.models import Assessment
from assessments.permissions import assessments_visible_to, can_manage
from ministries.models import User

from .models import Finding, Profile, ProfileRender


def profile_assessments_visible_to(user: User) -> QuerySet[Assessment]:
    if not user.is_authenticated or user.is_focal_point:
        return Assessment.objects.none()
    return assessments_visible_to(user)


def profiles_visible_to(user: User) -> QuerySet[Profile]:
    # A subquery, not a join: a facilitator's scope is itself a join over facilitators.
    return Profile.objects.filter(assessment__in=profile_assessments_visible_to(user).values("pk"))


def renders_visible_to(user: User) -> QuerySet[ProfileRender]:
    return ProfileRender.objects.filter(
        profile__assessment__in=profile_assessments_visible_to(user).values("pk")
    )


def findings_visible_to(user: User) -> QuerySet[Finding]:
    return Finding.objects.filter(
        profile__assessment__in=profile_assessments_visible_to(user).values("pk")
    )


def can_manage_profiles(user: User, assessment: Assessment) -> bool:
    """Create versions, approve and publish: the coordinators of the scope (and administrators)."""
    return can_manage(user, assessment)


def can_edit_findings(user: User, assessment: Assessment) -> bool:
    """Edit the findings and render the PDFs: the coordinators of the scope and facilitators.

    `assessment` must come through `profile_assessments_visible_to`, which already limits a
    facilitator to the assessments they facilitate.
    """
    return can_manage(user, assessment) or user.is_facilitator


def can_render(user: User, assessment: Assessment) -> bool:
    return can_edit_findings(user, assessment)
