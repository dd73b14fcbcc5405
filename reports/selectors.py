"""Reads of profiles for the staff side. Every query here states what it loads with it."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from assessments.models import Assessment
from indicators.bilingual import localized
from indicators.models import Dimension
from ministries.models import User

from . import permissions
from .models import Finding, Profile, ProfileRender

IN_PREPARATION = (Profile.Status.DRAFT, Profile.Status.APPROVED)


def profile_versions(assessment: Assessment) -> QuerySet[Profile]:
    """Every version of the assessment's profile, newest first, with its people, snapshot
    number and renders: two queries. The snapshot's data (every answer) is not loaded."""
    return (
        Profile.objects.filter(assessment=assessment)
        .select_related("snapshot", "created_by", "approved_by", "published_by")
        .defer("snapshot__data")
        .prefetch_related(Prefetch("renders", queryset=ProfileRender.objects.order_by("language")))
        .order_by("-version")
    )


def current_profile(assessment: Assessment) -> Profile | None:
    """The version in preparation (draft or approved), if any: there is at most one."""
    return (
        Profile.objects.filter(assessment=assessment, status__in=IN_PREPARATION)
        .order_by("-version")
        .first()
    )


def profile_for(user: User, profile_id: int) -> Profile:
    """A profile the user may see, with its assessment, or 404."""
    return get_object_or_404(
        permissions.profiles_visible_to(user).select_related(
            "assessment__framework", "assessment__province"
        ),
        pk=profile_id,
    )


def render_for(user: User, render_id: int) -> ProfileRender:
    """A render the user may see, with its profile and assessment, or 404."""
    return get_object_or_404(
        permissions.renders_visible_to(user).select_related(
            "profile__assessment__framework", "profile__assessment__province"
        ),
        pk=render_id,
    )


def finding_for(user: User, profile: Profile, finding_id: int) -> Finding:
    finding = get_object_or_404(
        permissions.findings_visible_to(user).filter(profile=profile), pk=finding_id
    )
    finding.profile = profile
    return finding


@dataclass
class RenderSlot:
    """One language of a profile: its render, or None before the first request."""

    language: str
    label: str
    render: ProfileRender | None

    @property
    def polling(self) -> bool:
        return self.render is not None and self.render.status in (
            ProfileRender.Status.QUEUED,
            ProfileRender.Status.RENDERING,
        )


def render_slots(profile: Profile) -> list[RenderSlot]:
    """English and Indonesian, in that order; uses the prefetched renders when there are."""
    renders = {r.language: r for r in profile.renders.all()}
    return [
        RenderSlot(language=code, label=str(label), render=renders.get(code))
        for code, label in ProfileRender.Language.choices
    ]


def _group_labels() -> dict[str, str]:
    return {
        Finding.Kind.WELL_DEVELOPED: _("Well-developed areas"),
        Finding.Kind.FURTHER_DEVELOPMENT: _("Areas with potential for further development"),
    }


@dataclass
class FindingGroup:
    kind: str
    label: str
    findings: list[Finding] = field(default_factory=list)


@dataclass
class FindingSection:
    number: int
    name: str
    groups: list[FindingGroup]


def finding_sections(profile: Profile) -> list[FindingSection]:
    """The findings by dimension, then well developed before potential: two queries."""
    dimensions = Dimension.objects.filter(framework_id=profile.assessment.framework_id).order_by(
        "number"
    )
    findings = list(profile.findings.select_related("edited_by"))
    sections = []
    for dim in dimensions:
        groups = [FindingGroup(kind=kind, label=label) for kind, label in _group_labels().items()]
        for group in groups:
            group.findings = [
                f for f in findings if f.dimension == dim.number and f.kind == group.kind
            ]
        sections.append(
            FindingSection(number=dim.number, name=localized(dim, "name"), groups=groups)
        )
    return sections
