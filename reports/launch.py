"""The launch belongs to MOFA: the national coordinator publishes every profile, national and
provincial, and may hand one provincial round's launch to its provincial coordinator.

A launch records its date and its event in both languages ("Public discussion, Jakarta");
the public page and API show it in the reader's language (`launch_sentence`). Who may
publish is answered in reports/permissions.py (`can_publish_profiles`).
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.errors import InvalidRequest, ServiceError
from assessments.models import Assessment
from audit.services import Action, audit_record
from ministries.models import User

from .models import LaunchHandover, Profile

JAKARTA = ZoneInfo("Asia/Jakarta")
EVENT_MAX = 300


@dataclass(frozen=True)
class Launch:
    """What a publication records of its launch."""

    date: datetime.date
    event_en: str
    event_id: str


def launch_checked(
    *,
    launch_date: datetime.date | None,
    event_en: str,
    event_id: str,
    published_on: datetime.datetime | None = None,
) -> Launch:
    """The launch as given, or InvalidRequest naming what is wrong. Without a date, the day
    of publication (Jakarta); an event is given in both languages or not at all."""
    day = (published_on or timezone.now()).astimezone(JAKARTA).date()
    event_en, event_id = event_en.strip(), event_id.strip()
    if bool(event_en) != bool(event_id):
        raise InvalidRequest(
            _("Name the launch event in English and in Bahasa Indonesia, or in neither.")
        )
    if len(event_en) > EVENT_MAX or len(event_id) > EVENT_MAX:
        raise InvalidRequest(
            _("The launch event must be at most %(count)s characters.") % {"count": EVENT_MAX}
        )
    if launch_date is not None and launch_date > day:
        raise InvalidRequest(
            _("The launch date cannot be after the publication (%(day)s).")
            % {"day": date_format(day, "j F Y")}
        )
    return Launch(date=launch_date or day, event_en=event_en, event_id=event_id)


def launch_set(
    profile: Profile,
    *,
    launch_date: datetime.date | None,
    event_en: str,
    event_id: str,
    published_on: datetime.datetime,
) -> dict[str, str]:
    """Record the launch on `profile` (saved by the publication), checked by `launch_checked`;
    what the audit keeps of it."""
    checked = launch_checked(
        launch_date=launch_date, event_en=event_en, event_id=event_id, published_on=published_on
    )
    profile.launch_date = checked.date
    profile.launch_event_en = checked.event_en
    profile.launch_event_id = checked.event_id
    return {
        "launch_date": checked.date.isoformat(),
        "launch_event_en": checked.event_en,
        "launch_event_id": checked.event_id,
    }


def launch_sentence(profile: Profile, language: str) -> str:
    """ "Launched on 12 June 2024 at the Public discussion, Jakarta", in the active language
    (`language` picks the event's text); empty before the launch."""
    if profile.launch_date is None:
        return ""
    day = date_format(profile.launch_date, "j F Y")
    event = getattr(profile, f"launch_event_{language}", "") or profile.launch_event_en
    if event:
        return _("Launched on %(date)s at the %(event)s") % {"date": day, "event": event}
    return _("Launched on %(date)s") % {"date": day}


def _check_provincial(assessment: Assessment) -> None:
    if assessment.scope != Assessment.Scope.PROVINCIAL:
        raise ServiceError(_("Only a provincial round's launch can be handed to its province."))


@transaction.atomic
def launch_hand_over(*, assessment: Assessment, actor: User) -> LaunchHandover:
    """The provincial coordinator may publish this round's profile versions."""
    _check_provincial(assessment)
    handover, created = LaunchHandover.objects.get_or_create(
        assessment=assessment, defaults={"handed_by": actor}
    )
    if not created:
        raise ServiceError(_("The launch of this round is already handed to the province."))
    audit_record(
        action=Action.LAUNCH_HANDED_OVER,
        actor=actor,
        obj=assessment,
    )
    return handover


@transaction.atomic
def launch_take_back(*, assessment: Assessment, actor: User) -> None:
    """The launch is the national coordinator's again (a version already scheduled by the
    province keeps its date: the national coordinator may change it)."""
    _check_provincial(assessment)
    deleted, _rows = LaunchHandover.objects.filter(assessment=assessment).delete()
    if not deleted:
        raise ServiceError(_("The launch of this round is not handed to the province."))
    audit_record(
        action=Action.LAUNCH_TAKEN_BACK,
        actor=actor,
        obj=assessment,
    )
