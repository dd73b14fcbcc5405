"""The launch on the profile's staff page: the fields the publish form sends (date and event
in both languages), and the national coordinator's button that hands a provincial round's
launch to its province, or takes it back, each once confirmed (config/confirm.py).
"""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.errors import InvalidRequest, ServiceError
from assessments.models import Assessment
from assessments.permissions import request_user as _user
from assessments.permissions import require
from config.confirm import Confirmation, confirmation_page, is_confirmed
from indicators.bilingual import active_language
from ministries.models import User

from .. import launch, permissions
from ..models import Profile

LAUNCH_FIELDS = ("launch_date", "launch_event_en", "launch_event_id")


def posted_launch(request: HttpRequest, embargo: datetime.datetime | None) -> dict[str, Any]:
    """The launch the publish form sends, checked (InvalidRequest naming what is wrong)."""
    raw = request.POST.get("launch_date", "").strip()
    try:
        day = datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        raise InvalidRequest(_("Give the launch date as shown."), field="launch_date") from None
    checked = launch.launch_checked(
        launch_date=day,
        event_en=request.POST.get("launch_event_en", ""),
        event_id=request.POST.get("launch_event_id", ""),
        published_on=embargo,
    )
    return {
        "launch_date": checked.date if day else None,
        "launch_event_en": checked.event_en,
        "launch_event_id": checked.event_id,
    }


def launch_consequence(posted: dict[str, Any], embargo: datetime.datetime | None) -> str:
    """What the public page will say of the launch, for the confirmation page."""
    checked = launch.launch_checked(
        launch_date=posted["launch_date"],
        event_en=posted["launch_event_en"],
        event_id=posted["launch_event_id"],
        published_on=embargo,
    )
    preview = Profile(
        launch_date=checked.date, launch_event_en=checked.event_en, launch_event_id=checked.event_id
    )
    return _("The public page will say: “%(launch)s”.") % {
        "launch": launch.launch_sentence(preview, active_language())
    }


def hidden_launch(request: HttpRequest) -> list[tuple[str, str]]:
    """The launch fields, resent by the confirmation page's form."""
    return [(name, request.POST[name]) for name in LAUNCH_FIELDS if request.POST.get(name)]


def _people(assessment: Assessment) -> int:
    return User.objects.filter(
        role=User.Role.PROVINCIAL_COORDINATOR,
        province_id=assessment.province_id or 0,
        is_active=True,
    ).count()


def _confirmation(assessment: Assessment, *, hand_over: bool) -> Confirmation:
    manage = reverse("profile_manage", args=[assessment.pk])
    if hand_over:
        return Confirmation(
            title=_("Hand the launch of this round to the province?"),
            action_url=reverse("launch_handover_view", args=[assessment.pk]),
            cancel_url=manage,
            confirm_label=_("Hand the launch to the province"),
            consequences=[
                _(
                    "The provincial coordinators (%(count)s) may publish this round's profile, "
                    "now or on an embargo date, and its corrections."
                )
                % {"count": _people(assessment)},
                _("You may still publish it yourself, and take the launch back at any time."),
            ],
            notified=[_("Nobody is emailed: the provincial coordinators see it on this page.")],
        )
    return Confirmation(
        title=_("Take the launch of this round back?"),
        action_url=reverse("launch_take_back_view", args=[assessment.pk]),
        cancel_url=manage,
        confirm_label=_("Take the launch back"),
        consequences=[
            _("Only the national coordinator may publish this round's profile again."),
            _("A publication the province already scheduled keeps its date; change it here."),
        ],
        notified=[_("Nobody is emailed.")],
    )


def _act(request: HttpRequest, pk: int, *, hand_over: bool) -> HttpResponse:
    user = _user(request)
    assessment = permissions.get_assessment_for_user(user, pk)
    require(permissions.can_hand_over_launch(user, assessment))
    if not is_confirmed(request):
        return confirmation_page(request, _confirmation(assessment, hand_over=hand_over))
    try:
        if hand_over:
            launch.launch_hand_over(assessment=assessment, actor=user)
        else:
            launch.launch_take_back(assessment=assessment, actor=user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The province may now publish this round's profile.")
            if hand_over
            else _("The launch of this round is the national coordinator's again."),
        )
    return redirect("profile_manage", pk=assessment.pk)


@login_required
@require_POST
def launch_handover_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The national coordinator hands a provincial round's launch to its province."""
    return _act(request, pk, hand_over=True)


@login_required
@require_POST
def launch_take_back_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The national coordinator takes a provincial round's launch back."""
    return _act(request, pk, hand_over=False)
