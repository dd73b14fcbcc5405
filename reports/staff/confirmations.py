"""What approving and publishing a profile version will do, for the confirmation page
(config/confirm.py): what becomes public and when, who will be told, what is still missing.

Read-only: it states the consequences the services (`profile_approve`, `profile_publish`)
will have; the services stay the ones that decide and refuse.
"""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import notifications
from assessments.models import Assessment, Assignment
from config.confirm import Confirmation
from ministries.models import User

from .. import exports, findings
from ..models import Profile, ProfileRender

JAKARTA = ZoneInfo("Asia/Jakarta")
JAKARTA_FORMAT = "j F Y H:i"


def _language_names() -> dict[str, str]:
    return {"en": _("English"), "id": _("Bahasa Indonesia")}


def _renders(profile: Profile) -> tuple[list[str], list[str]]:
    """The languages whose PDF is rendered, and those still missing (by name)."""
    names = _language_names()
    done = set(
        profile.renders.filter(status=ProfileRender.Status.DONE).values_list("language", flat=True)
    )
    codes = [code for code, _label in ProfileRender.Language.choices]
    return [names[c] for c in codes if c in done], [names[c] for c in codes if c not in done]


def _public_files(profile: Profile) -> list[str]:
    ready, _missing = _renders(profile)
    files = [_("Its PDF in %(language)s will be public.") % {"language": name} for name in ready]
    files.append(
        _("Its data (snapshot no. %(snapshot)s) will be public as %(formats)s.")
        % {
            "snapshot": profile.snapshot.number,
            "formats": ", ".join(fmt.upper() for fmt in exports.FORMATS),
        }
    )
    return files


def _who_is_told(profile: Profile, actor: User) -> list[str]:
    """Publishing the first version moves the assessment to "Published", which emails the
    focal points of its institutions, its facilitators and its coordinators
    (notifications.transition_made); a later version is published without emails."""
    assessment = profile.assessment
    if assessment.status != Assessment.Status.APPROVED:
        return [_("Nobody is emailed: the public pages show the new version in place of the old.")]
    institutions = set(
        Assignment.objects.filter(assessment=assessment).values_list("institution_id", flat=True)
    )
    focal = User.objects.filter(role=User.Role.FOCAL_POINT, institution_id__in=institutions)
    people = {
        "focal": focal.exclude(pk=actor.pk).count(),
        "facilitators": assessment.facilitators.exclude(pk=actor.pk).count(),
        "coordinators": len([u for u in notifications.coordinators(assessment) if u != actor]),
    }
    return [
        ngettext(
            "The focal points of the %(count)s institution of this assessment (%(people)s), "
            "by email",
            "The focal points of the %(count)s institutions of this assessment (%(people)s), "
            "by email",
            len(institutions),
        )
        % {"count": len(institutions), "people": people["focal"]},
        _("The IOM facilitators of this assessment (%(count)s), by email")
        % {"count": people["facilitators"]},
        _("The other coordinators of the assessment (%(count)s), by email")
        % {"count": people["coordinators"]},
    ]


def approve_confirmation(profile: Profile) -> Confirmation:
    _ready, languages = _renders(profile)
    missing = [
        _("The PDF in %(language)s is not rendered yet: render it and review it first.")
        % {"language": name}
        for name in languages
    ]
    if profile.status != Profile.Status.DRAFT:
        missing.insert(0, _("Only a draft version can be approved."))
    missing.extend(findings.approval_problems(profile))
    manage = reverse("profile_manage", args=[profile.assessment_id])
    return Confirmation(
        title=_("Approve version %(version)s of the profile?") % {"version": profile.version},
        action_url=reverse("profile_approve_view", args=[profile.pk]),
        cancel_url=manage,
        confirm_label=_("Approve version %(version)s") % {"version": profile.version},
        consequences=[
            _(
                "Version %(version)s can no longer be edited: its findings and both PDFs "
                "stay as they are now."
            )
            % {"version": profile.version},
            _("It is not public yet: publishing it, now or on a date, is the next step."),
        ],
        notified=[_("Nobody is emailed.")],
        missing=missing,
        blocked=bool(missing),
    )


def publish_confirmation(
    profile: Profile, actor: User, embargo: datetime.datetime | None, raw_embargo: str
) -> Confirmation:
    if embargo:
        when = date_format(embargo.astimezone(JAKARTA), JAKARTA_FORMAT)
        public = _(
            "Version %(version)s becomes public on %(when)s (Jakarta time), to anyone, "
            "without login."
        ) % {"version": profile.version, "when": when}
    else:
        public = _("Version %(version)s becomes public now, to anyone, without login.") % {
            "version": profile.version
        }
    consequences = [public, *_public_files(profile)]
    earlier = (
        Profile.objects.filter(assessment=profile.assessment, status=Profile.Status.PUBLISHED)
        .exclude(pk=profile.pk)
        .first()
    )
    if earlier is not None:
        consequences.append(
            _("Version %(version)s, public until then, stays listed as superseded.")
            % {"version": earlier.version}
        )
    _ready, languages = _renders(profile)
    missing = [
        _("The PDF in %(language)s is missing: it cannot be published without it.")
        % {"language": name}
        for name in languages
    ]
    if profile.status != Profile.Status.APPROVED:
        missing.insert(0, _("Approve the profile before publishing it."))
    stale = findings.stale_findings_problem(profile)
    if stale:
        missing.append(stale)
    hidden: list[tuple[str, Any]] = [("embargo_until", raw_embargo)] if raw_embargo else []
    return Confirmation(
        title=_("Publish version %(version)s of the profile?") % {"version": profile.version},
        action_url=reverse("profile_publish_view", args=[profile.pk]),
        cancel_url=reverse("profile_manage", args=[profile.assessment_id]),
        confirm_label=(_("Schedule the publication") if embargo else _("Publish now")),
        consequences=consequences,
        notified=[
            _("On the publication date: %(who)s") % {"who": line} if embargo else line
            for line in _who_is_told(profile, actor)
        ],
        missing=missing,
        blocked=bool(missing),
        hidden=hidden,
    )
