"""The public side of profiles: no login, published and superseded versions only.

`public_profiles()` is the only door: a draft or approved profile (an embargoed one
included) does not exist here, so every public URL answers 404 for it, whoever asks;
staff read unpublished profiles on their own pages. Everything shown comes from the
profile's frozen snapshot (`content.profile_context`, `exports.profile_data`).

The list is ordered by year, then national before provincial, then province name: a
catalogue, never a league table. Pages show coverage and gaps, never a score or rank.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.models import Assessment
from indicators.bilingual import LANGUAGES, active_language

from . import content, exports
from .models import Profile, ProfileRender

PUBLIC_STATUSES = (Profile.Status.PUBLISHED, Profile.Status.SUPERSEDED)


# --- reads -------------------------------------------------------------------------------------


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

    The snapshot's data (the whole dataset) is deferred: a list needs only its number.
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


# --- what the pages show -----------------------------------------------------------------------


def public_title(assessment: Assessment, language: str | None = None) -> str:
    """The profile's title in `language` (default: the active one), as on its cover.

    Same sentences as `content.profile_context`, so their translations are shared; built
    from the assessment so that a list does not load every snapshot.
    """
    language = language or active_language()
    with translation.override(language):
        if assessment.scope == Assessment.Scope.PROVINCIAL and assessment.province:
            place = getattr(assessment.province, f"name_{language}") or assessment.province.name_en
            return _("Migration Governance Indicators Profile %(year)s: %(place)s Province") % {
                "year": assessment.year,
                "place": place,
            }
        return _("Migration Governance Indicators Profile %(year)s: Republic of Indonesia") % {
            "year": assessment.year
        }


def language_name(code: str) -> str:
    return {"en": _("English"), "id": _("Bahasa Indonesia")}[code]


def data_format_name(fmt: str) -> str:
    return {"csv": _("CSV"), "xlsx": _("Excel (XLSX)"), "json": _("JSON")}[fmt]


@dataclass
class Link:
    url: str
    label: str
    code: str


def pdf_links(profile: Profile, renders: list[ProfileRender]) -> list[Link]:
    """A link per language whose PDF is rendered, in the order English, Indonesian."""
    done = {r.language for r in renders if r.status == ProfileRender.Status.DONE and r.file}
    return [
        Link(reverse("public_profile_pdf", args=[profile.pk, lang]), language_name(lang), lang)
        for lang in LANGUAGES
        if lang in done
    ]


def data_links(profile: Profile) -> list[Link]:
    return [
        Link(reverse("public_profile_data", args=[profile.pk, fmt]), data_format_name(fmt), fmt)
        for fmt in exports.FORMATS
    ]


@dataclass
class PublicEntry:
    """One published version with its links, as the list and the page show it."""

    profile: Profile
    title: str
    pdfs: list[Link]
    data: list[Link]

    @property
    def is_current(self) -> bool:
        return self.profile.status == Profile.Status.PUBLISHED


def entry(profile: Profile, renders: list[ProfileRender]) -> PublicEntry:
    return PublicEntry(
        profile=profile,
        title=public_title(profile.assessment),
        pdfs=pdf_links(profile, renders),
        data=data_links(profile),
    )


@dataclass
class PublicAssessment:
    """An assessment's public versions: the current one first, the superseded ones under it."""

    assessment: Assessment
    current: PublicEntry
    earlier: list[PublicEntry] = field(default_factory=list)


def group_by_assessment(profiles: list[Profile]) -> list[PublicAssessment]:
    """`profiles` in list order (newest version first within an assessment)."""
    groups: dict[int, list[Profile]] = {}
    for profile in profiles:
        groups.setdefault(profile.assessment_id, []).append(profile)
    result = []
    for versions in groups.values():
        # The published version leads; should none be published (not reachable through the
        # services), the newest superseded one does.
        current = next((p for p in versions if p.status == Profile.Status.PUBLISHED), versions[0])
        entries = [entry(p, p.done_renders) for p in versions]  # type: ignore[attr-defined]
        result.append(
            PublicAssessment(
                assessment=current.assessment,
                current=next(e for e in entries if e.profile is current),
                earlier=[e for e in entries if e.profile is not current],
            )
        )
    return result


# --- pages -------------------------------------------------------------------------------------


@require_safe
def public_profiles_list(request: HttpRequest) -> HttpResponse:
    """Every published profile; corrected versions stay listed under the current one."""
    assessments = group_by_assessment(list(public_profiles_listed()))
    return render(request, "reports/public_profile_list.html", {"assessments": assessments})


@require_safe
def public_profile(request: HttpRequest, profile_id: int) -> HttpResponse:
    """The profile as an accessible page in the active language: the PDF's content."""
    profile = public_profile_get(profile_id)
    language = active_language()
    context = content.profile_context(profile, language)
    if context["has_national"] and not national_is_public(context["meta"]):
        # The comparison quotes the national answers: not before they are published.
        context["has_national"] = False
    versions = list(
        public_profiles()
        .filter(assessment_id=profile.assessment_id)
        .only("id", "assessment_id", "version", "status", "published_at", "correction_note")
        .order_by("-version")
    )
    current = next((v for v in versions if v.status == Profile.Status.PUBLISHED), None)
    renders = list(
        ProfileRender.objects.filter(profile=profile, status=ProfileRender.Status.DONE).exclude(
            file=""
        )
    )
    context.update(
        {
            "links": {"pdfs": pdf_links(profile, renders), "data": data_links(profile)},
            "versions": versions,
            "current": current if current and current.pk != profile.pk else None,
        }
    )
    return render(request, "reports/public_profile.html", context)


@require_safe
def public_profile_pdf(request: HttpRequest, profile_id: int, lang: str) -> FileResponse:
    """The rendered PDF of one language, shown in the browser; 404 until it is rendered."""
    profile = public_profile_get(profile_id, with_data=False)
    render_row = (
        ProfileRender.objects.filter(
            profile=profile, language=lang, status=ProfileRender.Status.DONE
        )
        .exclude(file="")
        .first()
    )
    if render_row is None:
        raise Http404(_("This PDF is not available."))
    try:
        handle = render_row.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This PDF is not available.")) from None
    response = FileResponse(
        handle,
        content_type="application/pdf",
        filename=exports.filename(profile, f"-{lang}.pdf"),
    )
    response["Content-Language"] = lang
    return response


@require_safe
def public_profile_data(request: HttpRequest, profile_id: int, fmt: str) -> HttpResponse:
    """The consolidated data of the snapshot as CSV, Excel or JSON."""
    return exports.data_response(public_profile_get(profile_id), fmt)
