"""Reads of profiles, staff side and public side. Every query here states what it loads.

Staff pages and API fetch single objects for a user through `permissions.get_*_for_user`;
the reads here take objects already fetched so. The public side's only door is
`public_profiles()`: a draft or approved (embargoed) profile does not exist there.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from assessments.models import Assessment, Snapshot
from indicators.bilingual import localized
from indicators.models import Dimension

from .models import ActionPlan, Finding, Profile, ProfileRender

IN_PREPARATION = (Profile.Status.DRAFT, Profile.Status.APPROVED)
PUBLIC_STATUSES = (Profile.Status.PUBLISHED, Profile.Status.SUPERSEDED)


# --- staff side --------------------------------------------------------------------------------


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


def profile_summary(profile_id: int) -> Profile:
    """A profile with its snapshot's number (the data deferred), as just written."""
    return Profile.objects.select_related("snapshot").defer("snapshot__data").get(pk=profile_id)


def current_profile(assessment: Assessment) -> Profile | None:
    """The version in preparation (draft or approved), if any: there is at most one."""
    return (
        Profile.objects.filter(assessment=assessment, status__in=IN_PREPARATION)
        .order_by("-version")
        .first()
    )


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


def render_slot(profile: Profile, language: str) -> RenderSlot:
    """One language of a profile, its render read afresh (one query)."""
    return RenderSlot(
        language=language,
        label=str(ProfileRender.Language(language).label),
        render=ProfileRender.objects.filter(profile=profile, language=language).first(),
    )


def render_slots(profile: Profile) -> list[RenderSlot]:
    """English and Indonesian, in that order; uses the prefetched renders when there are."""
    renders = {r.language: r for r in profile.renders.all()}
    return [
        RenderSlot(language=code, label=str(label), render=renders.get(code))
        for code, label in ProfileRender.Language.choices
    ]


def finding_as_saved(finding: Finding) -> Finding:
    """The finding as stored, with who last edited it (after a refused edit): one query.
    Its profile is the one already loaded."""
    saved = Finding.objects.select_related("edited_by").get(pk=finding.pk)
    saved.profile = finding.profile
    return saved


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


# --- public side: published and superseded versions only --------------------------------------


def public_profiles() -> QuerySet[Profile]:
    """Every profile version the public may see: published, or superseded by a correction."""
    return Profile.objects.filter(status__in=PUBLIC_STATUSES)


def _done_renders() -> Prefetch:
    return Prefetch(
        "renders",
        queryset=ProfileRender.objects.filter(status=ProfileRender.Status.DONE)
        .exclude(file="")
        .only("id", "profile_id", "language", "pages", "status", "file"),
        to_attr="done_renders",
    )


def public_profiles_listed() -> QuerySet[Profile]:
    """The public versions with what their list entries show, in two queries.

    Each has `done_renders`, its rendered PDFs. The snapshot's data (the whole dataset) is
    deferred: a list needs only its number. Ordered by year, then national before
    provincial, then province name: a catalogue, never a league table.
    """
    return (
        public_profiles()
        .select_related("assessment__province", "snapshot")
        .defer("snapshot__data")
        .prefetch_related(_done_renders())
        .order_by(
            "-assessment__year",
            "assessment__scope",
            "assessment__province__name_en",
            "assessment_id",
            "-version",
        )
    )


def public_profile_get(profile_id: int, *, with_data: bool = True) -> Profile:
    """One public version, or 404: unpublished profiles do not exist for the public."""
    queryset = public_profiles().select_related("assessment__province", "snapshot")
    if not with_data:
        queryset = queryset.defer("snapshot__data")
    return get_object_or_404(queryset, pk=profile_id)


def public_versions(profile: Profile) -> list[Profile]:
    """The public versions of the profile's assessment, newest first, without their data."""
    return list(
        public_profiles()
        .filter(assessment_id=profile.assessment_id)
        .only("id", "assessment_id", "version", "status", "published_at", "correction_note")
        .order_by("-version")
    )


def done_renders(profile: Profile) -> list[ProfileRender]:
    """The profile's rendered PDFs (the files that exist)."""
    return list(
        ProfileRender.objects.filter(profile=profile, status=ProfileRender.Status.DONE).exclude(
            file=""
        )
    )


def national_is_public(meta: dict[str, Any]) -> bool:
    """Whether the national assessment a province is compared with has a public profile."""
    return (
        public_profiles()
        .filter(
            assessment__scope=Assessment.Scope.NATIONAL,
            assessment__year=meta["year"],
            assessment__round=meta["round"],
        )
        .exists()
    )


# --- public side: what a page shows, reduced to what changes when it does ----------------------


@dataclass(frozen=True)
class PublicVersion:
    """A public profile's page and data files change only when one of `facts` does.

    The snapshot never changes and findings are edited only in draft; what still moves is
    the version's status (a correction supersedes it), the versions listed beside it, its
    rendered PDFs, the national profile a province is compared with, the previous round's
    latest snapshot and the framework version. Reference data edited by hand in the admin is
    not tracked: the cache's timeout bounds it.
    """

    profile_id: int
    facts: tuple[Any, ...]
    last_modified: datetime.datetime


def _aggregate(queryset: QuerySet[Any], by: str, aggregate: Any) -> Subquery:
    """One value over the rows of `queryset` (filtered on OuterRef), as a subquery."""
    return Subquery(queryset.order_by().values(by).annotate(value=aggregate).values("value"))


def public_profile_version(profile_id: int) -> PublicVersion:
    """The facts a public profile's page depends on, in one query (one row, correlated
    subqueries on indexed foreign keys); 404 for a profile that is not public."""
    versions = public_profiles().filter(assessment_id=OuterRef("assessment_id"))
    renders = ProfileRender.objects.filter(
        profile_id=OuterRef("pk"), status=ProfileRender.Status.DONE
    ).exclude(file="")
    findings = Finding.objects.filter(profile_id=OuterRef("pk"))
    national = public_profiles().filter(
        assessment__scope=Assessment.Scope.NATIONAL,
        assessment__year=OuterRef("assessment__year"),
        assessment__round=OuterRef("assessment__round"),
    )
    previous = Snapshot.objects.filter(assessment_id=OuterRef("assessment__previous_id"))
    plan = ActionPlan.objects.filter(assessment_id=OuterRef("assessment_id"), published=True)
    row = (
        public_profiles()
        .filter(pk=profile_id)
        .annotate(
            versions_published=_aggregate(versions, "assessment_id", Max("published_at")),
            versions_count=_aggregate(versions, "assessment_id", Count("pk")),
            renders_finished=_aggregate(renders, "profile_id", Max("finished_at")),
            renders_count=_aggregate(renders, "profile_id", Count("pk")),
            findings_updated=_aggregate(findings, "profile_id", Max("updated_at")),
            findings_count=_aggregate(findings, "profile_id", Count("pk")),
            national_published=_aggregate(national, "assessment__scope", Max("published_at")),
            previous_snapshot=_aggregate(previous, "assessment_id", Max("created_at")),
            plan_changed=_aggregate(plan, "assessment_id", Max("changed_at")),
        )
        .order_by()
        .values_list(
            "status",
            "published_at",
            "snapshot_id",
            "assessment__framework__updated_at",
            "versions_published",
            "versions_count",
            "renders_finished",
            "renders_count",
            "findings_updated",
            "findings_count",
            "national_published",
            "previous_snapshot",
            "plan_changed",
        )
        .first()
    )
    if row is None:
        raise Http404(_("No published profile matches this address."))
    moments = [value for value in row if isinstance(value, datetime.datetime)]
    return PublicVersion(profile_id=profile_id, facts=tuple(row), last_modified=max(moments))


def public_pdf_version(profile_id: int, language: str) -> tuple[str, datetime.datetime] | None:
    """The checksum and finishing time of a public profile's PDF in `language`, if it is
    rendered: one query, the file not opened."""
    row = (
        ProfileRender.objects.filter(
            profile_id=profile_id,
            profile__status__in=PUBLIC_STATUSES,
            language=language,
            status=ProfileRender.Status.DONE,
        )
        .exclude(file="")
        .values_list("checksum", "finished_at")
        .first()
    )
    if row is None or row[1] is None:
        return None
    return row[0], row[1]
