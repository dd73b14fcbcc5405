"""What the submit step's confirmation page says (config/confirm.py): how many answers and
"nothing to add" will be sent, what stays blank and will not be sent (by dimension), the
carried-forward drafts nobody has confirmed, and who will be told (the facilitators that
`notifications.matrix_submitted` emails)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import notifications
from assessments.collection.selectors import SubmissionSummary, submission_summary
from assessments.models import Assessment
from config.confirm import Confirmation
from ministries.models import Institution


def submit_confirmation(assessment: Assessment, institution: Institution) -> Confirmation:
    summary = submission_summary(assessment, institution.pk)
    entry = reverse("entry", args=[assessment.pk])
    confirmation = Confirmation(
        title=_("Submit the answers of %(institution)s") % {"institution": institution.acronym},
        action_url=reverse("submit", args=[assessment.pk]),
        cancel_url=entry,
        confirm_label=ngettext(
            "Submit %(count)s answer", "Submit %(count)s answers", summary.to_send
        )
        % {"count": summary.to_send},
        consequences=_consequences(summary),
        notified=_notified(assessment),
        missing=_missing(summary),
    )
    if not assessment.is_collecting:
        confirmation.blocked = True
        confirmation.missing.insert(0, _("The assessment is not collecting answers."))
    elif summary.missing_lead:
        confirmation.blocked = True
        confirmation.missing.insert(
            0,
            _(
                "Answer every indicator your institution leads before submitting. Still "
                "missing: %(codes)s."
            )
            % {"codes": ", ".join(summary.missing_lead)},
        )
    elif not summary.to_send:
        confirmation.blocked = True
        confirmation.missing.insert(
            0,
            _(
                "Your institution has nothing to submit: answer an indicator, or say you have "
                "nothing to add on it, first."
            ),
        )
    return confirmation


def _consequences(summary: SubmissionSummary) -> list[str]:
    if not summary.to_send:
        return []
    lines = [
        ngettext(
            "%(count)s answer will be sent for review.",
            "%(count)s answers will be sent for review.",
            len(summary.answers),
        )
        % {"count": len(summary.answers)}
    ]
    if summary.nothing_to_add:
        lines.append(
            ngettext(
                "%(count)s “nothing to add” will be sent for review: %(codes)s.",
                "%(count)s “nothing to add” will be sent for review: %(codes)s.",
                len(summary.nothing_to_add),
            )
            % {"count": len(summary.nothing_to_add), "codes": ", ".join(summary.nothing_to_add)}
        )
    lines.append(_("What is sent becomes read-only, unless a facilitator returns or queries it."))
    return lines


def _notified(assessment: Assessment) -> list[str]:
    facilitators = notifications.emailed(notifications.facilitators(assessment))
    if not facilitators:
        return [_("Nobody is emailed: no IOM facilitator of this assessment receives email.")]
    return [
        ngettext(
            "The IOM facilitator of this assessment (%(count)s) by email: %(names)s.",
            "The IOM facilitators of this assessment (%(count)s) by email: %(names)s.",
            len(facilitators),
        )
        % {
            "count": len(facilitators),
            "names": ", ".join(u.get_full_name() or u.username for u in facilitators),
        }
    ]


def _missing(summary: SubmissionSummary) -> list[str]:
    lines = []
    if summary.blank_count:
        lines.append(
            ngettext(
                "%(count)s indicator stays blank and will not be sent:",
                "%(count)s indicators stay blank and will not be sent:",
                summary.blank_count,
            )
            % {"count": summary.blank_count}
        )
        for number, codes in sorted(summary.blank.items()):
            lines.append(
                _("Dimension %(number)s: %(codes)s") % {"number": number, "codes": ", ".join(codes)}
            )
    if summary.unconfirmed:
        lines.append(
            ngettext(
                "%(count)s carried-forward answer is not confirmed and will not be sent: "
                "%(codes)s.",
                "%(count)s carried-forward answers are not confirmed and will not be sent: "
                "%(codes)s.",
                len(summary.unconfirmed),
            )
            % {"count": len(summary.unconfirmed), "codes": ", ".join(summary.unconfirmed)}
        )
    return lines
