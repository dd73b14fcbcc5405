"""The confirmation pages of the workflow moves that cannot be taken back quietly:
opening data collection (every assigned institution's focal points are told), closing data
collection (institutions that have not submitted lose their chance),
approving the validated answers (they are frozen in a numbered snapshot) and reopening a
published assessment for correction (the erratum). Each says what will happen, who will be
told and what is still missing (config/confirm.py)."""

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import notifications
from assessments.models import Assessment, ConsolidatedAnswer
from assessments.setup import move_facts
from assessments.setup.selectors import workflow_facts
from assessments.workflow import TRANSITIONS, transition_problems
from config.confirm import Confirmation
from indicators.bilingual import localized
from ministries.models import User

S = Assessment.Status
LIST_LIMIT = 30


def _codes(codes: list[str]) -> str:
    return ", ".join(codes[:LIST_LIMIT]) + ("…" if len(codes) > LIST_LIMIT else "")


def _notified(assessment: Assessment, actor: User) -> list[str]:
    """Who the move's email reaches, by role, as `notifications.transition_made` sends it."""
    audience = {
        kind: [u for u in notifications.emailed(people) if u.pk != actor.pk]
        for kind, people in notifications.transition_audience(assessment).items()
    }
    lines = []
    focal = audience["focal_points"]
    if focal:
        institutions = len({u.institution_id for u in focal})
        lines.append(
            ngettext(
                "The focal points of the assigned institutions (%(count)s people in "
                "%(institutions)s institution), by email",
                "The focal points of the assigned institutions (%(count)s people in "
                "%(institutions)s institutions), by email",
                institutions,
            )
            % {"count": len(focal), "institutions": institutions}
        )
    if audience["facilitators"]:
        lines.append(
            _("The IOM facilitators of this assessment (%(count)s), by email")
            % {"count": len(audience["facilitators"])}
        )
    if audience["coordinators"]:
        lines.append(
            _("The coordinators (%(count)s), by email") % {"count": len(audience["coordinators"])}
        )
    return lines or [_("Nobody: no one else receives emails about this assessment.")]


def _close_collection(assessment: Assessment) -> tuple[list[str], list[str]]:
    """Consequences and what is missing when data collection closes."""
    facts = move_facts.close_collection_facts(assessment)
    consequences = [
        _(
            "Data collection closes: focal points can no longer change or submit answers, "
            "and the IOM facilitators start the cross-check of the submitted answers."
        ),
        _("Reopening data collection later needs a reason, recorded in the history."),
    ]
    missing = []
    if facts.not_submitted:
        names = "; ".join(
            f"{i.acronym} ({localized(i, 'name')})" for i in facts.not_submitted[:LIST_LIMIT]
        )
        missing.append(
            ngettext(
                "%(count)s of %(total)s institutions has not submitted: %(names)s.",
                "%(count)s of %(total)s institutions have not submitted: %(names)s.",
                len(facts.not_submitted),
            )
            % {
                "count": len(facts.not_submitted),
                "total": len(facts.institutions),
                "names": names,
            }
        )
    if facts.unanswered:
        missing.append(
            ngettext(
                "%(count)s of %(total)s assigned indicators stays without any answer: %(codes)s.",
                "%(count)s of %(total)s assigned indicators stay without any answer: %(codes)s.",
                len(facts.unanswered),
            )
            % {
                "count": len(facts.unanswered),
                "total": facts.assigned_indicators,
                "codes": _codes(facts.unanswered),
            }
        )
    return consequences, missing


def _approve(assessment: Assessment) -> tuple[list[str], list[str]]:
    """Consequences and what is missing when the validated answers are approved."""
    facts = move_facts.approval_facts(assessment)
    A = ConsolidatedAnswer.Answer
    counts = "; ".join(
        f"{A(value).label}: {facts.counts[value]}" for value in A.values if facts.counts[value]
    )
    consequences = [
        _(
            "The consolidated answers of the %(count)s indicators are frozen as validated "
            "snapshot no. %(number)s (%(counts)s); the profile is drafted from it."
        )
        % {
            "count": facts.indicator_count,
            "number": facts.snapshot_number,
            "counts": counts or "—",
        },
        _("Changing an answer afterwards needs reopening the validation, with a reason."),
    ]
    # Indicators without a consolidated answer block the move: the guard names them.
    missing = []
    if facts.no_information:
        missing.append(
            ngettext(
                "%(count)s indicator is frozen as “No information”; the profile says so: "
                "%(codes)s.",
                "%(count)s indicators are frozen as “No information”; the profile says so: "
                "%(codes)s.",
                len(facts.no_information),
            )
            % {"count": len(facts.no_information), "codes": _codes(facts.no_information)}
        )
    return consequences, missing


def _open_collection(assessment: Assessment) -> tuple[list[str], list[str]]:
    """Consequences and what is missing when data collection opens."""
    institutions = assessment.assignments.values("institution").distinct().count()
    consequences = [
        ngettext(
            "Data collection opens: the focal points of the %(count)s assigned institution "
            "can answer their indicators and submit them.",
            "Data collection opens: the focal points of the %(count)s assigned institutions "
            "can answer their indicators and submit them.",
            institutions,
        )
        % {"count": institutions},
        _("The survey matrix can still change until data collection closes."),
    ]
    missing = []
    if not assessment.data_collection_deadline:
        missing.append(_("No data collection deadline is set: focal points see none."))
    return consequences, missing


def _reopen_correction(assessment: Assessment) -> tuple[list[str], list[str]]:
    """Consequences when a published assessment is reopened for correction (the erratum)."""
    # Through the reverse relation: assessments never imports reports.
    published = (
        assessment.profiles.filter(status="published").values_list("version", flat=True).first()
    )
    facts = move_facts.approval_facts(assessment)
    consequences = [
        _(
            "The published profile (version %(version)s) stays public, with its PDFs and "
            "data, until a corrected version is published and replaces it."
        )
        % {"version": published or "—"},
        _(
            "The assessment returns to validation: the consolidated answers can be changed, "
            "and each changed answer is validated again in a new validation session."
        ),
        _(
            "Approving the validated answers again freezes them as snapshot no. %(number)s; "
            "the corrected profile version is made from it and says what it corrects."
        )
        % {"number": facts.snapshot_number},
        _(
            "The institutions' answers, evidence, reviews and comments stay as they were "
            "published; data collection is not reopened."
        ),
    ]
    return consequences, []


# The moves that ask for confirmation, with what each page states.
CONFIRMED_MOVES: dict[tuple[str, str], Callable[[Assessment], tuple[list[str], list[str]]]] = {
    (S.SETUP, S.DATA_COLLECTION): _open_collection,
    (S.DATA_COLLECTION, S.CROSS_CHECK): _close_collection,
    (S.VALIDATION, S.APPROVED): _approve,
    (S.PUBLISHED, S.VALIDATION): _reopen_correction,
}


def needs_confirmation(assessment: Assessment, to: str) -> bool:
    return (assessment.status, to) in CONFIRMED_MOVES


def move_confirmation(assessment: Assessment, to: str, note: str, actor: User) -> Confirmation:
    """The confirmation page of the move from the assessment's stage to `to`; a move the
    guards refuse is shown blocked, with their reasons under what is missing."""
    consequences, missing = CONFIRMED_MOVES[(assessment.status, to)](assessment)
    problems = transition_problems(assessment.status, to, workflow_facts(assessment, to))
    if TRANSITIONS[(assessment.status, to)].needs_note and not note.strip():
        problems.append(_("Give a reason for reopening."))
    detail = reverse("assessment_detail", args=[assessment.pk])
    return Confirmation(
        title=str(TRANSITIONS[(assessment.status, to)].label),
        action_url=reverse("assessment_transition", args=[assessment.pk]),
        cancel_url=detail,
        confirm_label=str(TRANSITIONS[(assessment.status, to)].label),
        consequences=consequences,
        notified=_notified(assessment, actor),
        missing=[*problems, *missing],
        hidden=[("to", to), ("note", note)],
        blocked=bool(problems),
    )
