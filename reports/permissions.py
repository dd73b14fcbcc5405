"""Who may see and do what with profiles on the staff side; pages and API alike.

Profiles in preparation are read by the coordinators of the assessment's scope, its
facilitators and administrators: the same people who read its validation records.
Focal points and other strangers get 404 (`*_visible_to` are the only doors); members who
see a profile but lack the right to act on it get 403.

Staff pages and the staff API fetch every object through the `get_*_for_user` helpers
below, which answer both questions in that order: 404 first, then 403 for the right asked
(`manage`: create versions, approve; `edit`: edit the findings; `render`: render the PDFs;
`publish`: publish, the launch).

The launch belongs to MOFA: the national coordinator publishes every profile, national and
provincial, and reads and renders a province's as well; a province prepares and approves
its own, and publishes it only when the national coordinator handed it that round's launch
(`LaunchHandover`).
The public side has no permission question: `selectors.public_profiles` is its door.
The PDFs, staff and public URLs alike, are asked for here (`get_render_file_for_user`,
`get_public_render_file`, at the end).
"""

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment
from assessments.permissions import assessments_visible_to, can_manage, require
from ministries.models import User

from .models import (
    ContextFigure,
    Finding,
    LaunchHandover,
    Profile,
    ProfileRender,
    ProfileSection,
    RoundArchive,
)
from .selectors import PUBLIC_STATUSES


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


def can_manage_profiles(user: User, assessment: Assessment) -> bool:
    """Create versions and approve: the coordinators of the scope (and administrators)."""
    return can_manage(user, assessment)


def launch_is_handed_over(assessment: Assessment) -> bool:
    return LaunchHandover.objects.filter(assessment_id=assessment.pk).exists()


def can_publish_profiles(user: User, assessment: Assessment) -> bool:
    """Publish (the launch): the national coordinator, for every profile; the provincial
    coordinator of the province once the launch of the round is handed to them."""
    if user.is_administrator or user.is_national_coordinator:
        return True
    return (
        assessment.scope == Assessment.Scope.PROVINCIAL
        and can_manage(user, assessment)
        and launch_is_handed_over(assessment)
    )


def can_hand_over_launch(user: User, assessment: Assessment) -> bool:
    """Hand a provincial round's launch to its province, or take it back: the national
    coordinator (and administrators)."""
    return assessment.scope == Assessment.Scope.PROVINCIAL and (
        user.is_administrator or user.is_national_coordinator
    )


def can_edit_findings(user: User, assessment: Assessment) -> bool:
    """Edit the findings and render the PDFs: the coordinators of the scope and facilitators.

    `assessment` must come through `profile_assessments_visible_to`, which already limits a
    facilitator to the assessments they facilitate.
    """
    return can_manage(user, assessment) or user.is_facilitator


def can_render_profiles(user: User, assessment: Assessment) -> bool:
    """Render the PDFs: those who edit the findings, and the national coordinator, who
    launches every profile and reviews a province's before it does."""
    return can_edit_findings(user, assessment) or user.is_national_coordinator


def _require_rights(
    user: User,
    assessment: Assessment,
    *,
    manage: bool,
    edit: bool,
    render: bool = False,
    publish: bool = False,
) -> None:
    """403 unless the user has the rights asked for (the object is already visible)."""
    if manage:
        require(can_manage_profiles(user, assessment))
    if edit:
        require(can_edit_findings(user, assessment))
    if render:
        require(can_render_profiles(user, assessment))
    if publish:
        require(can_publish_profiles(user, assessment))


def get_assessment_for_user(
    user: User, assessment_id: int, *, manage: bool = False, edit: bool = False, **rights: bool
) -> Assessment:
    """An assessment whose profiles the user may see (404 otherwise), with the rights asked
    (`render`, `publish` among `rights`)."""
    assessment = get_object_or_404(profile_assessments_visible_to(user), pk=assessment_id)
    _require_rights(user, assessment, manage=manage, edit=edit, **rights)
    return assessment


def get_profile_for_user(
    user: User, profile_id: int, *, manage: bool = False, edit: bool = False, **rights: bool
) -> Profile:
    """A profile the user may see, with its assessment (404 otherwise), with the rights asked."""
    profile = get_object_or_404(
        profiles_visible_to(user).select_related("assessment__framework", "assessment__province"),
        pk=profile_id,
    )
    _require_rights(user, profile.assessment, manage=manage, edit=edit, **rights)
    return profile


def get_render_for_user(
    user: User, render_id: int, *, manage: bool = False, edit: bool = False, **rights: bool
) -> ProfileRender:
    """A render the user may see, with its profile, snapshot number and assessment (404
    otherwise), with the rights asked (on its profile)."""
    render = get_object_or_404(
        renders_visible_to(user)
        .select_related(
            "profile__assessment__framework",
            "profile__assessment__province",
            "profile__snapshot",
        )
        .defer("profile__snapshot__data"),
        pk=render_id,
    )
    _require_rights(user, render.profile.assessment, manage=manage, edit=edit, **rights)
    return render


def get_finding_for_user(
    user: User, profile_id: int, finding_id: int, *, edit: bool = False
) -> Finding:
    """A finding of a profile the user may see (404 otherwise, also when the finding belongs
    to another profile), with the right to edit it if asked; `finding.profile` is loaded."""
    profile = get_profile_for_user(user, profile_id, edit=edit)
    finding = get_object_or_404(Finding.objects.filter(profile=profile), pk=finding_id)
    finding.profile = profile
    return finding


def get_section_for_user(
    user: User, profile_id: int, section_id: int, *, edit: bool = False
) -> ProfileSection:
    """A section of a profile the user may see (404 otherwise, also when it belongs to
    another profile), with the right to edit it if asked; `section.profile` is loaded."""
    profile = get_profile_for_user(user, profile_id, edit=edit)
    section = get_object_or_404(ProfileSection.objects.filter(profile=profile), pk=section_id)
    section.profile = profile
    return section


def get_figure_for_user(
    user: User, profile_id: int, figure_id: int, *, edit: bool = False
) -> ContextFigure:
    """A context figure of a profile the user may see (404 otherwise), as for sections."""
    profile = get_profile_for_user(user, profile_id, edit=edit)
    figure = get_object_or_404(ContextFigure.objects.filter(profile=profile), pk=figure_id)
    figure.profile = profile
    return figure


# --- the PDFs ------------------------------------------------------------------------------
# A render's PDF is read by the staff of its scope (`renders_visible_to`) at every stage,
# and by anyone once its version is public: published, or superseded by a correction, and
# out of embargo. The public URLs (reports/public/) serve only public versions: staff read
# the others on the staff URLs, so no public link ever shows what is not yet published.


def profile_is_public(profile: Profile, *, now: datetime.datetime | None = None) -> bool:
    embargo = profile.embargo_until
    return profile.status in PUBLIC_STATUSES and (
        embargo is None or embargo <= (now or timezone.now())
    )


def public_renders() -> QuerySet[ProfileRender]:
    """Finished renders of public versions, with what their file name is made of."""
    out_of_embargo = Q(profile__embargo_until__isnull=True) | Q(
        profile__embargo_until__lte=timezone.now()
    )
    return (
        ProfileRender.objects.filter(
            out_of_embargo,
            profile__status__in=PUBLIC_STATUSES,
            status=ProfileRender.Status.DONE,
        )
        .exclude(file="")
        .select_related("profile__assessment__province")
    )


def can_download_render(user: User, render: ProfileRender) -> bool:
    """The render's PDF (once there is one): the staff of its scope, or anyone once public."""
    return profile_is_public(render.profile) or (
        renders_visible_to(user).filter(pk=render.pk).exists()
    )


def get_render_file_for_user(user: User, render_id: int) -> ProfileRender:
    """A render whose PDF `user` may download (404 for everyone else), with its profile,
    assessment and province; 404 too, saying so, while it is not rendered."""
    render = get_object_or_404(
        ProfileRender.objects.select_related("profile__assessment__province"), pk=render_id
    )
    if not can_download_render(user, render):
        raise Http404
    if render.status != ProfileRender.Status.DONE or not render.file:
        raise Http404(_("The PDF is not rendered yet."))
    return render


def get_public_render_file(profile_id: int, language: str) -> ProfileRender:
    """The PDF of a public version in `language`, for the public URLs; 404 otherwise."""
    return get_object_or_404(public_renders(), profile_id=profile_id, language=language)


# --- the archive of a round ----------------------------------------------------------------
# The whole round in one file (every institution's answers, evidence and unpublished drafts):
# requested and downloaded by the coordinators of the assessment's scope and administrators.
# Facilitators, who see the assessment's profiles, get 403; everyone else 404.


def archives_visible_to(user: User) -> QuerySet[RoundArchive]:
    return RoundArchive.objects.filter(
        assessment__in=profile_assessments_visible_to(user).values("pk")
    )


def can_archive(user: User, assessment: Assessment) -> bool:
    """Request and download the archive of a round."""
    return can_manage(user, assessment)


def get_archive_assessment_for_user(user: User, assessment_id: int) -> Assessment:
    """An assessment whose profiles the user sees (404 otherwise) and may archive (403)."""
    assessment = get_object_or_404(
        profile_assessments_visible_to(user).select_related("province"), pk=assessment_id
    )
    require(can_archive(user, assessment))
    return assessment


def get_archive_for_user(user: User, archive_id: int) -> RoundArchive:
    """An archive of an assessment the user sees (404 otherwise), if the user may archive
    it (403 otherwise); with its assessment and who asked for it."""
    archive = get_object_or_404(
        archives_visible_to(user).select_related(
            "assessment__province", "assessment__framework", "requested_by"
        ),
        pk=archive_id,
    )
    require(can_archive(user, archive.assessment))
    return archive


def get_archive_file_for_user(user: User, archive_id: int) -> RoundArchive:
    """As `get_archive_for_user`, and 404, saying so, while the archive is not built."""
    archive = get_archive_for_user(user, archive_id)
    if archive.status != RoundArchive.Status.DONE or not archive.file:
        raise Http404(_("The archive is not ready yet."))
    return archive
