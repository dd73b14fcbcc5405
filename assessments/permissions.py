"""Who may see and do what. The one door for pages and API alike.

Strangers get 404 (the object does not exist for them): querysets below are the only way
to reach assessments and responses. Members without the right get 403 (`PermissionDenied`).
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from config.compiled_sql import CompiledModels
from ministries.models import Institution, User

from .collection import citations
from .models import (
    Assessment,
    Assignment,
    Evidence,
    Response,
    ValidationSession,
    response_open_to_institution,
)


def _assessments() -> QuerySet[Assessment]:
    return Assessment.objects.select_related("framework", "province")


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    qs = _assessments()
    if not user.is_authenticated:
        return qs.none()
    if _sees_every_assessment(user):
        return qs
    if user.is_provincial_coordinator:
        return qs.filter(scope=Assessment.Scope.PROVINCIAL, province_id=user.province_id or 0)
    if user.is_facilitator:
        return qs.filter(facilitators=user)
    if user.is_focal_point and user.institution_id:
        return _institution_assessments(qs, user.institution_id)
    return qs.none()


def _institution_assessments(qs: QuerySet[Assessment], institution_id: int) -> QuerySet[Assessment]:
    """What a focal point of the institution sees of `qs`: the assessments it is assigned
    indicators in or invited to."""
    # Subqueries, not joins: a join over the matrix needs DISTINCT over thousands of rows.
    assigned = Assignment.objects.filter(institution_id=institution_id).values("assessment_id")
    invited = Assessment.participants.through.objects.filter(institution_id=institution_id).values(
        "assessment_id"
    )
    return qs.filter(Q(pk__in=assigned) | Q(pk__in=invited))


def responses_visible_to(user: User) -> QuerySet[Response]:
    qs = Response.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_focal_point:
        return _institution_responses(qs, user.institution_id or 0)
    if _sees_every_assessment(user):  # no subquery over every assessment to plan
        return qs
    return qs.filter(assessment__in=assessments_visible_to(user).values("pk"))


def _institution_responses(qs: QuerySet[Response], institution_id: int) -> QuerySet[Response]:
    """What a focal point of the institution sees of `qs`: its own answers."""
    return qs.filter(institution_id=institution_id)


def evidence_visible_to(user: User) -> QuerySet[Evidence]:
    qs = Evidence.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_focal_point:
        return qs.filter(institution_id=user.institution_id or 0)
    if _sees_every_assessment(user):
        return qs
    return qs.filter(assessment__in=assessments_visible_to(user).values("pk"))


def _sees_every_assessment(user: User) -> bool:
    """Administrators and national coordinators (`assessments_visible_to` gives them all)."""
    return bool(user.is_administrator or user.is_national_coordinator)


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
        and response_open_to_institution(
            response.assessment.status, response.state, response.review_state
        )
    )


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def can_review(user: User) -> bool:
    """Accept, query or return answers: the assessment's facilitators (reached through
    `responses_visible_to`, which limits them to their assessments)."""
    return user.is_facilitator


def can_see_review_queue(user: User) -> bool:
    return user.is_facilitator or user.is_coordinator or user.is_administrator


def is_own_institution(user: User, institution_id: int | None) -> bool:
    """A focal point of this institution."""
    return user.is_focal_point and user.institution_id == institution_id


def can_comment(user: User, response: Response) -> bool:
    """The answer's thread: its institution's focal points, facilitators and coordinators."""
    own = is_own_institution(user, response.institution_id)
    return own or user.is_facilitator or user.is_coordinator


def can_resubmit(user: User, response: Response) -> bool:
    """Send a returned or queried answer back: its institution's focal points."""
    return is_own_institution(user, response.institution_id)


def can_submit(user: User) -> bool:
    """Submit an institution's answers: a focal point of an institution."""
    return user.is_focal_point and user.institution_id is not None


def own_institution_or_404(user: User) -> Institution:
    """The focal point's institution, for the pages that exist only for focal points (the
    entry page, the evidence library, submission); 404 for everyone else. Read through a
    query compiled once per process (`_INSTITUTION_READ`) and kept on the user, as
    `user.institution` keeps it."""
    if not can_submit(user):
        raise Http404
    if not User.institution.is_cached(user):
        found = _INSTITUTION_READ.objects(None, pk=user.institution_id or 0)
        User.institution.field.set_cached_value(user, found[0] if found else None)
    if user.institution is None:
        raise Http404
    return user.institution


_INSTITUTION_READ = CompiledModels(lambda pk: Institution.objects.filter(pk=pk))


# --- one fetch per object kind, for pages and API alike --------------------------------
# Strangers get 404 (get_object_or_404 over the visible queryset); members without the
# right get 403 (`PermissionDenied`, which DRF also answers with 403).

AssessmentRight = Callable[[User, Assessment], bool]


def get_assessment_for_user(
    user: User, pk: Any, *, right: AssessmentRight | None = None
) -> Assessment:
    """A focal point's read (every page of theirs starts with it) is compiled once per
    process (`_FOCAL_POINT_ASSESSMENT_READ`): building its two subqueries was a sixth of
    the entry page."""
    focal_point = user.is_authenticated and user.is_focal_point and user.institution_id
    if focal_point and str(pk).isdigit():
        assessment: Assessment = _focal_point_read(_FOCAL_POINT_ASSESSMENT_READ, user, pk)
    else:
        assessment = get_object_or_404(assessments_visible_to(user), pk=pk)
    if right is not None:
        require(right(user, assessment))
    return assessment


def _focal_point_read(compiled: CompiledModels, user: User, pk: Any) -> Any:
    """The object `pk` through a compiled focal-point read (its queryset filters by the
    user's institution), or 404 as get_object_or_404 gives strangers."""
    found = compiled.objects(None, institution=user.institution_id or 0, pk=int(pk))
    if not found:
        raise Http404
    return found[0]


# A focal point's read of `get_assessment_for_user`, the same queryset.
_FOCAL_POINT_ASSESSMENT_READ = CompiledModels(
    lambda institution, pk: _institution_assessments(_assessments(), institution).filter(pk=pk)
)


ROLE_ANNOTATION = "assigned_role"


def role_subquery() -> Subquery:
    """The role (lead, contributor) of the response's institution on its indicator.

    At most one row (the cell is unique): no ordering, whose joins would run once per row."""
    return Subquery(
        Assignment.objects.filter(
            assessment_id=OuterRef("assessment_id"),
            indicator_id=OuterRef("indicator_id"),
            institution_id=OuterRef("institution_id"),
        )
        .order_by()
        .values("role")[:1]
    )


def get_response_for_user(user: User, pk: Any, *, for_save: bool = False) -> Response:
    """`for_save`: the answer an autosave writes and sends back as its block: with its
    institution's role on the indicator (lead, contributor) in the `ROLE_ANNOTATION`
    attribute, read in the same query, with its last editor (a save refused as stale
    shows the answer as read) and without its indicator's dimension (read only by the
    plain form's redirect). A focal point's (the only one who saves) is compiled once
    per process (`_FOCAL_POINT_SAVE_READ`): building that query was a fifth of a save."""
    if for_save:
        if user.is_authenticated and user.is_focal_point and str(pk).isdigit():
            response: Response = _focal_point_read(_FOCAL_POINT_SAVE_READ, user, pk)
            return response
        qs = _for_save(responses_visible_to(user))
    else:
        qs = responses_visible_to(user).select_related(
            "assessment", "indicator__dimension", "institution", "updated_by"
        )
    return get_object_or_404(qs, pk=pk)


def _for_save(qs: QuerySet[Response]) -> QuerySet[Response]:
    return qs.select_related("assessment", "indicator", "institution", "updated_by").annotate(
        **{ROLE_ANNOTATION: role_subquery()}
    )


# The focal point's read of `get_response_for_user(..., for_save=True)`, the same queryset.
_FOCAL_POINT_SAVE_READ = CompiledModels(
    lambda institution, pk: _for_save(
        _institution_responses(Response.objects.all(), institution)
    ).filter(pk=pk)
)


def get_evidence_for_user(user: User, pk: Any, *, assessment: Assessment | None = None) -> Evidence:
    qs = evidence_visible_to(user)
    if assessment is not None:
        qs = qs.filter(assessment=assessment)
    return get_object_or_404(qs, pk=pk)


def can_download_evidence(user: User, evidence: Evidence) -> bool:
    """An evidence item's file: the focal points of its institution, the assessment's
    facilitators, the coordinators of its scope and administrators.

    `evidence` must come through `evidence_visible_to`, which already limits focal points
    to their institution and facilitators to the assessments they facilitate. A national
    coordinator sees a provincial assessment without being of its scope: 403.
    """
    if user.is_focal_point:
        return user.institution_id == evidence.institution_id or (
            _action_update_evidence(user).filter(pk=evidence.pk).exists()
        )
    return user.is_facilitator or can_manage(user, evidence.assessment)


def _action_update_evidence(user: User) -> QuerySet[Evidence]:
    """Evidence of progress updates on the action-plan items the focal point's institution
    leads or contributes to (by the relation's name: reports builds on assessments)."""
    i = user.institution_id or 0
    return Evidence.objects.filter(
        Q(action_updates__item__lead_id=i) | Q(action_updates__item__contributors__id=i)
    )


def get_evidence_file_for_user(user: User, pk: Any) -> Evidence:
    """Evidence whose file `user` may download: 404 for strangers and for evidence without
    a file, 403 for members without the right (`can_download_evidence`); focal points also
    reach those of `_action_update_evidence`."""
    visible = evidence_visible_to(user)
    if user.is_focal_point:
        shared = _action_update_evidence(user).values("pk")
        visible = Evidence.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=shared))
    evidence = get_object_or_404(visible.exclude(file="").select_related("assessment"), pk=pk)
    require(can_download_evidence(user, evidence))
    return evidence


# --- the register of legal instruments and the citations to resolve ------------------------


def can_read_register(user: User) -> bool:
    """The register of legal instruments: every signed-in person (focal points cite from it)."""
    return user.is_authenticated


def can_edit_register(user: User) -> bool:
    """Adding and correcting instruments, and linking typed citations to them."""
    return user.is_authenticated and (user.is_administrator or user.is_coordinator)


def citations_to_resolve_visible_to(user: User) -> QuerySet[Evidence]:
    """Citations typed by hand and not linked to the register, of the assessments `user`
    manages (a national coordinator's are the national ones; administrators see all)."""
    if not can_edit_register(user):
        return Evidence.objects.none()
    qs = evidence_visible_to(user) & citations.unresolved()
    if user.is_national_coordinator:
        qs = qs.filter(assessment__scope=Assessment.Scope.NATIONAL)
    return qs


def get_citation_to_resolve_for_user(user: User, pk: Any) -> Evidence:
    """A citation to link: 403 for those who may not edit the register, 404 for a citation
    they cannot see or that is already linked."""
    require(can_edit_register(user))
    return get_object_or_404(
        citations_to_resolve_visible_to(user).select_related("assessment"), pk=pk
    )


def get_managed_assessment_for_user(user: User, pk: Any) -> Assessment:
    """Setup and workflow: strangers 404, members who may not manage it 403."""
    return get_assessment_for_user(user, pk, right=can_manage)


def get_process_assessment_for_user(user: User, pk: Any) -> Assessment:
    """Survey matrix, dashboard, consolidation: 404 for strangers and for focal points, for
    whom these pages across institutions do not exist (`can_follow_process`)."""
    if not can_follow_process(user):
        raise Http404
    return get_assessment_for_user(user, pk)


# --- validation ------------------------------------------------------------------------


def validation_assessments_visible_to(user: User) -> QuerySet[Assessment]:
    """Assessments whose validation sessions, minutes and snapshots the user may read.

    Coordinators of the scope, the assessment's facilitators and administrators; focal
    points take part in the discussion but do not read its records here (404).
    """
    if not user.is_authenticated or user.is_focal_point:
        return Assessment.objects.none()
    return assessments_visible_to(user)


def can_record_validation(user: User, assessment: Assessment) -> bool:
    """Sessions and decisions are written by the coordinators while in validation."""
    return can_manage(user, assessment) and assessment.status == Assessment.Status.VALIDATION


def get_validation_assessment_for_user(user: User, pk: Any) -> Assessment:
    return get_object_or_404(
        validation_assessments_visible_to(user).select_related("framework"), pk=pk
    )


def get_validation_session_for_user(user: User, pk: Any, session_id: Any) -> ValidationSession:
    """A session of an assessment whose validation records the user may read (else 404)."""
    assessment = get_validation_assessment_for_user(user, pk)
    session = get_object_or_404(
        ValidationSession.objects.select_related("recorded_by"),
        assessment=assessment,
        pk=session_id,
    )
    session.assessment = assessment
    return session


# --- the answers workbook --------------------------------------------------------------


def workbook_export_institution(user: User, acronym: str) -> Institution | None:
    """The institution whose answers workbook `user` may export, or None when they must
    name one. A focal point exports their own institution (naming another is a 404);
    coordinators, facilitators and administrators who see the assessment name it."""
    if user.is_focal_point:
        if user.institution is None or (
            acronym and acronym.casefold() != user.institution.acronym.casefold()
        ):
            raise Http404
        return user.institution
    if not acronym:
        return None
    return get_object_or_404(Institution, acronym__iexact=acronym)


def workbook_import_institution(user: User) -> Institution:
    """Only focal points import an answers workbook, and only for their own institution."""
    if not can_submit(user) or user.institution is None:
        raise PermissionDenied
    return user.institution


# --- setup -----------------------------------------------------------------------------


def can_create_any_assessment(user: User) -> bool:
    """The "new assessment" page and button: administrators and coordinators. Which scope
    each may create is `can_create_assessment`, asked once the province is chosen."""
    return user.is_administrator or user.is_national_coordinator or user.is_provincial_coordinator


# --- DRF permission classes on the same predicates -------------------------------------
# Object permissions: DRF checks them in `get_object()`, after the visible queryset has
# given strangers their 404, so members without the right get 403 as on the pages.


class _ObjectRule(BasePermission):
    """Reading is open to whoever sees the object; writing asks `allows`."""

    def allows(self, user: User, obj: Any) -> bool:
        raise NotImplementedError

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return self.allows(request_user(request), obj)


class CanAnswer(_ObjectRule):
    """The institution's focal points may also try to change a frozen (approved or
    published) assessment's answer: the service refuses it with 409 and says why."""

    def allows(self, user: User, obj: Any) -> bool:
        frozen = obj.assessment.status in (Assessment.Status.APPROVED, Assessment.Status.PUBLISHED)
        return can_answer(user, obj) or (frozen and is_own_institution(user, obj.institution_id))


class CanReview(_ObjectRule):
    def allows(self, user: User, obj: Any) -> bool:
        return can_review(user)


class CanComment(_ObjectRule):
    def allows(self, user: User, obj: Any) -> bool:
        return can_comment(user, obj)


class CanResubmit(_ObjectRule):
    def allows(self, user: User, obj: Any) -> bool:
        return can_resubmit(user, obj)


class CanSubmit(_ObjectRule):
    def allows(self, user: User, obj: Any) -> bool:
        return can_submit(user)
