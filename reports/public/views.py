"""The public pages of profiles: no login, published and superseded versions only.

`selectors.public_profiles()` is the only door, shared with the public API
(reports/public/api.py): a draft or approved profile (an embargoed one included) does not
exist here, so every public URL answers 404 for it, whoever asks; staff read unpublished
profiles on their own pages. Everything shown comes from the profile's frozen snapshot
(`content.profile_context`, `exports.profile_data`).

The list is ordered by year, then national before provincial, then province name: a
catalogue, never a league table. Pages show coverage and gaps, never a score or rank.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.models import Assessment
from config.files import PDF, serve_file
from indicators.bilingual import LANGUAGES, active_language

from .. import content, exports, launch, permissions, selectors
from ..models import Profile, ProfileRender
from . import caching

# --- what the pages show -----------------------------------------------------------------------


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
        title=content.public_title(profile),
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
    assessments = group_by_assessment(list(selectors.public_profiles_listed()))
    return render(request, "reports/public_profile_list.html", {"assessments": assessments})


@require_safe
@caching.public_cache(caching.page_validators, by_language=True, pass_validators=True)
def public_profile(
    request: HttpRequest, profile_id: int, validators: caching.Validators | None = None
) -> HttpResponse:
    """The profile as an accessible page in the active language: the PDF's content.

    Anonymous visitors get the copy kept in the cache (reports/public/caching.py), or a
    304 when theirs is still current; a signed-in person's page (no validators) is
    rendered afresh and not cached.
    """
    if validators is None:
        return render(request, "reports/public_profile.html", page_context(profile_id))
    return HttpResponse(
        caching.cached_page(validators, lambda: anonymous_page(request, profile_id))
    )


def anonymous_page(request: HttpRequest, profile_id: int) -> bytes:
    """The page as every anonymous visitor sees it: for nobody in particular, so neither
    the session (user, messages) nor the CSRF token is read, and the language links lead
    back to the page's path without the query string the first visitor happened to send."""
    context = {
        **page_context(profile_id),
        "user": AnonymousUser(),
        "messages": (),
        "language_next": request.path,
    }
    return render_to_string("reports/public_profile.html", context, request=request).encode()


def page_context(profile_id: int) -> dict[str, Any]:
    """Everything the profile page shows: seven queries (see the test pinning them)."""
    profile = selectors.public_profile_get(profile_id)
    context = content.profile_context(profile, active_language())
    if context["has_national"] and not selectors.national_is_public(context["meta"]):
        # The comparison quotes the national answers: not before they are published.
        context["has_national"] = False
    versions = selectors.public_versions(profile)
    current = next((v for v in versions if v.status == Profile.Status.PUBLISHED), None)
    renders = selectors.done_renders(profile)
    context.update(
        {
            "links": {"pdfs": pdf_links(profile, renders), "data": data_links(profile)},
            "versions": versions,
            "current": current if current and current.pk != profile.pk else None,
            "launch": launch.launch_sentence(profile, active_language()),
        }
    )
    return context


@require_safe
@caching.public_cache(caching.pdf_validators, by_language=False)
def public_profile_pdf(request: HttpRequest, profile_id: int, lang: str) -> HttpResponseBase:
    """The rendered PDF of one language, shown in the browser; 404 until it is rendered,
    and for a version that is not public (reports/permissions.py)."""
    render_row = permissions.get_public_render_file(profile_id, lang)
    response = serve_file(
        render_row.file,
        filename=exports.filename(render_row.profile, f"-{lang}.pdf"),
        content_type=PDF,
        inline=True,
    )
    response["Content-Language"] = lang
    return response


@require_safe
@caching.public_cache(caching.data_validators, by_language=True)
def public_profile_data(request: HttpRequest, profile_id: int, fmt: str) -> HttpResponse:
    """The consolidated data of the snapshot as CSV, Excel or JSON."""
    return exports.data_response(selectors.public_profile_get(profile_id), fmt)
