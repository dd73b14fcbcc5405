"""The confirmation asked before a survey-matrix change removes responses holding content
(setup/removal.py): which responses, and a reason that the history and the audit keep."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from assessments.setup.removal import RemovalRefused
from config.confirm import CONFIRM_FIELD, Confirmation, confirmation_page, is_confirmed

NOT_RESENT = {"csrfmiddlewaretoken", CONFIRM_FIELD, "confirm_reason"}


def removal_reason(request: HttpRequest) -> str:
    """The reason given on the confirmation page ("" before it was shown)."""
    if not is_confirmed(request):
        return ""
    return request.POST.get("confirm_reason", "").strip()


def removal_confirmation(
    request: HttpRequest, refused: RemovalRefused, *, cancel_url: str
) -> HttpResponse:
    """Ask again, resending what was posted, with the responses that would lose content."""
    missing = []
    if is_confirmed(request):
        missing.append(_("Give the reason for removing these responses."))
    return confirmation_page(
        request,
        Confirmation(
            title=_("Remove responses that hold content?"),
            action_url=request.path,
            cancel_url=cancel_url,
            confirm_label=_("Remove them, with this reason"),
            consequences=[
                _(
                    "These responses hold an answer, a justification, evidence, comments or a "
                    "review, and will be removed from the survey matrix: %(names)s."
                )
                % {"names": ", ".join(refused.names)},
                _(
                    "Their content stays in the history with your reason, and can be restored "
                    "when the cell is assigned again."
                ),
            ],
            missing=missing,
            hidden=[
                (name, value)
                for name, values in request.POST.lists()
                if name not in NOT_RESENT
                for value in values
            ],
            reason_label=_("Reason for removing them"),
        ),
    )
