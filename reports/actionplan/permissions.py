"""Who may see and do what with an action plan; pages and API alike.

Built on the profiles' door (reports/permissions.py): the plan is read by those who read the
assessment's profiles (coordinators of the scope, its facilitators, administrators, the
national coordinator), and by the focal points of the institutions that lead or contribute
to an item, who see those items only (404 for the others, as for answers).

- coordinators of the scope (`can_manage`): create, assign, edit and close items, publish
  the plan, comment;
- facilitators: comment;
- focal points of an item's lead and contributing institutions: post progress on it;
- everyone else who sees the item: 403 for the write; strangers 404.

The public side asks `public_plan_for_profile` (selectors.py): a published plan of a public
profile.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.models import Assessment, Evidence
from assessments.permissions import assessments_visible_to, can_manage, require
from ministries.models import User

from ..models import Finding
from ..permissions import profile_assessments_visible_to
from ..selectors import PUBLIC_STATUSES
from .models import ActionItem, ActionPlan, ProgressUpdate
from .review_models import SteeringReview


def plan_assessments_visible_to(user: User) -> QuerySet[Assessment]:
    """Assessments whose action plan the user may open. A focal point opens the plans of
    the assessments it takes part in and of those where its institution leads or
    contributes to an item (BPS leads data items of rounds it did not answer), and sees
    there only its items."""
    if user.is_authenticated and user.is_focal_point:
        taking_part = assessments_visible_to(user).values("pk")
        with_items = items_visible_to(user).values("plan__assessment_id")
        return Assessment.objects.select_related("framework", "province").filter(
            Q(pk__in=taking_part) | Q(pk__in=with_items)
        )
    return profile_assessments_visible_to(user)


def items_visible_to(user: User) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_focal_point:
        institution = user.institution_id or 0
        contributing = ActionItem.contributors.through.objects.filter(
            institution_id=institution
        ).values("actionitem_id")
        return qs.filter(Q(lead_id=institution) | Q(pk__in=contributing))
    return qs.filter(plan__assessment__in=profile_assessments_visible_to(user).values("pk"))


def can_manage_plan(user: User, assessment: Assessment) -> bool:
    """Create, assign, edit and close items; publish the plan."""
    return can_manage(user, assessment)


def is_item_institution(user: User, item: ActionItem) -> bool:
    """A focal point of the item's lead or of one of its contributing institutions."""
    if not user.is_focal_point or not user.institution_id:
        return False
    if item.lead_id == user.institution_id:
        return True
    return item.contributors.filter(pk=user.institution_id).exists()


def can_post_progress(user: User, item: ActionItem) -> bool:
    return is_item_institution(user, item)


def can_comment_item(user: User, item: ActionItem) -> bool:
    """Facilitators (of the assessment: `items_visible_to` limits them) and coordinators."""
    return user.is_facilitator or can_manage_plan(user, item.plan.assessment)


def can_post_update(user: User, item: ActionItem) -> bool:
    return can_post_progress(user, item) or can_comment_item(user, item)


def update_kind_for(user: User, item: ActionItem) -> str:
    """A focal point posts progress; facilitators and coordinators comment."""
    if can_post_progress(user, item):
        return ProgressUpdate.Kind.PROGRESS
    return ProgressUpdate.Kind.COMMENT


def get_plan_assessment_for_user(user: User, pk: Any, *, manage: bool = False) -> Assessment:
    """An assessment whose plan the user may open (404 otherwise); 403 without the right
    to manage it, when asked."""
    assessment = get_object_or_404(plan_assessments_visible_to(user), pk=pk)
    if manage:
        require(can_manage_plan(user, assessment))
    return assessment


def get_plan_for_user(user: User, pk: Any, *, manage: bool = False) -> ActionPlan:
    """The assessment's plan (404 when there is none yet, or for strangers)."""
    assessment = get_plan_assessment_for_user(user, pk, manage=manage)
    try:
        plan = assessment.action_plan
    except ActionPlan.DoesNotExist:
        raise Http404 from None
    plan.assessment = assessment
    return plan


def get_item_for_user(
    user: User, pk: Any, *, manage: bool = False, post: bool = False
) -> ActionItem:
    """An item the user sees (404 otherwise: a focal point sees only its institution's),
    with the right to manage it, or to post an update on it, if asked (403 otherwise)."""
    qs = items_visible_to(user).select_related(
        "plan__assessment__framework", "plan__assessment__province", "lead", "finding"
    )
    item = get_object_or_404(qs, pk=pk)
    if manage:
        require(can_manage_plan(user, item.plan.assessment))
    if post:
        require(can_post_update(user, item))
    return item


def evidence_for_update(user: User, item: ActionItem) -> QuerySet[Evidence]:
    """The evidence a focal point may attach to a progress update: its institution's library
    in the item's assessment."""
    if not can_post_progress(user, item):
        return Evidence.objects.none()
    return Evidence.objects.filter(
        assessment_id=item.plan.assessment_id, institution_id=user.institution_id or 0
    )


def get_plan_finding(assessment: Assessment, finding_id: Any) -> Finding:
    """A finding of the assessment's published profile (404 otherwise), for an item made
    from it; the caller already holds the right to manage the plan."""
    return get_object_or_404(
        Finding.objects.filter(
            profile__assessment=assessment, profile__status__in=PUBLIC_STATUSES
        ).select_related("profile__assessment__framework"),
        pk=finding_id,
    )


# --- steering committee reviews -------------------------------------------------------------
# Read by the staff who read the plan's profiles (coordinators of the scope, the assessment's
# facilitators, administrators); recorded and decided by the coordinators of the scope. Focal
# points never see a review (404): its snapshot holds every institution's items. The public
# never sees reviews.


def reviews_visible_to(user: User) -> QuerySet[SteeringReview]:
    if not user.is_authenticated or user.is_focal_point:
        return SteeringReview.objects.none()
    visible = profile_assessments_visible_to(user).values("pk")
    return SteeringReview.objects.filter(plan__assessment__in=visible)


def can_review_plan(user: User, assessment: Assessment) -> bool:
    """Record a review, set its decisions and minutes, ask for its PDF minutes."""
    return can_manage_plan(user, assessment)


def get_review_plan_for_user(user: User, pk: Any, *, manage: bool = False) -> ActionPlan:
    """The plan of assessment `pk`, for its reviews: 404 for focal points and strangers (and
    without a plan), 403 without the right to review when asked."""
    if user.is_authenticated and user.is_focal_point:
        raise Http404
    plan = get_plan_for_user(user, pk)
    if manage:
        require(can_review_plan(user, plan.assessment))
    return plan


def get_review_for_user(user: User, pk: Any, *, manage: bool = False) -> SteeringReview:
    qs = reviews_visible_to(user).select_related(
        "plan__assessment__framework", "plan__assessment__province", "created_by"
    )
    review = get_object_or_404(qs, pk=pk)
    if manage:
        require(can_review_plan(user, review.plan.assessment))
    return review
