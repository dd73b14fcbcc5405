"""The assessment workflow: the table of allowed moves and their guards. Pure: no queries.

setup → data collection → cross-check → validation → approved → published, with reopening
paths back that need a reason. The guards read `WorkflowFacts`, which
`setup.selectors.workflow_facts` gathers from the database; the move itself (lock, log,
effects, notification) is `setup.services.assessment_transition`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.history_reasons import CORRECTION_REOPENED
from assessments.models import Assessment

S = Assessment.Status


@dataclass(frozen=True)
class Transition:
    label: Any
    needs_note: bool = False
    reopen: bool = False
    # The history reason (assessments/history_reasons.py) the person's note is kept under.
    note_code: str = ""


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (S.SETUP, S.DATA_COLLECTION): Transition(gettext_lazy("Open data collection")),
    (S.DATA_COLLECTION, S.CROSS_CHECK): Transition(
        gettext_lazy("Close data collection and start the cross-check")
    ),
    (S.CROSS_CHECK, S.VALIDATION): Transition(gettext_lazy("Start validation")),
    (S.VALIDATION, S.APPROVED): Transition(gettext_lazy("Approve the validated answers")),
    (S.APPROVED, S.PUBLISHED): Transition(gettext_lazy("Publish")),
    (S.CROSS_CHECK, S.DATA_COLLECTION): Transition(
        gettext_lazy("Reopen data collection"), needs_note=True, reopen=True
    ),
    (S.VALIDATION, S.DATA_COLLECTION): Transition(
        gettext_lazy("Reopen data collection"), needs_note=True, reopen=True
    ),
    (S.APPROVED, S.VALIDATION): Transition(
        gettext_lazy("Reopen validation"), needs_note=True, reopen=True
    ),
    # The erratum: the one door through which a published assessment changes. The published
    # profile stays public until a corrected version, built from the next snapshot, replaces it.
    (S.PUBLISHED, S.VALIDATION): Transition(
        gettext_lazy("Reopen for correction"),
        needs_note=True,
        reopen=True,
        note_code=CORRECTION_REOPENED,
    ),
}


@dataclass(frozen=True)
class WorkflowFacts:
    """What the guards look at: the indicator code of each item counted, and flags."""

    lead_gaps: list[str] = field(default_factory=list)  # indicators with no lead institution
    awaiting_review: list[str] = field(default_factory=list)  # submitted, pending/resubmitted
    open_items: list[str] = field(default_factory=list)  # queried or returned
    unconsolidated: list[str] = field(default_factory=list)  # no consolidated answer
    has_validation_session: bool = False
    has_snapshot: bool = False
    # The erratum: reopened after publication and not yet published again.
    in_correction: bool = False
    uncorrected: list[str] = field(default_factory=list)  # changed, not validated again
    profile_in_preparation: bool = False
    # Approved again in a correction, and no profile version of the newest snapshot is
    # published: the correction is published with that version (reports: profile_publish).
    correction_unpublished: bool = False


def _codes(codes: list[str], limit: int = 20) -> str:
    unique = sorted(set(codes))
    return ", ".join(unique[:limit]) + ("…" if len(unique) > limit else "")


def _guard_open_data_collection(facts: WorkflowFacts) -> list[str]:
    if facts.lead_gaps:
        return [
            _("%(count)s indicators have no lead institution: %(codes)s.")
            % {"count": len(facts.lead_gaps), "codes": _codes(facts.lead_gaps)}
        ]
    return []


def _guard_start_validation(facts: WorkflowFacts) -> list[str]:
    problems = []
    if facts.awaiting_review:
        problems.append(
            _("%(count)s answers await review: %(codes)s.")
            % {"count": len(facts.awaiting_review), "codes": _codes(facts.awaiting_review)}
        )
    if facts.open_items:
        problems.append(
            _("%(count)s answers are queried or returned and not yet resubmitted: %(codes)s.")
            % {"count": len(facts.open_items), "codes": _codes(facts.open_items)}
        )
    if facts.unconsolidated:
        problems.append(
            _("%(count)s indicators have no consolidated answer: %(codes)s.")
            % {"count": len(facts.unconsolidated), "codes": _codes(facts.unconsolidated)}
        )
    return problems


def _guard_approve(facts: WorkflowFacts) -> list[str]:
    problems = _guard_start_validation(facts)
    if facts.in_correction:
        # In a correction, `has_validation_session` counts only the correction's sessions.
        if not facts.has_validation_session:
            problems.append(
                _(
                    "Record the validation session of the correction first: the changed answers are validated again."
                )
            )
        if facts.uncorrected:
            problems.append(
                _(
                    "%(count)s consolidated answers changed in the correction without a "
                    "decision of its validation session: %(codes)s."
                )
                % {"count": len(facts.uncorrected), "codes": _codes(facts.uncorrected)}
            )
    elif not facts.has_validation_session:
        problems.append(_("Record the validation session (the focus group discussion) first."))
    return problems


def _guard_reopen_collection(facts: WorkflowFacts) -> list[str]:
    if facts.in_correction:
        return [
            _(
                "A correction changes the validated answers only: data collection is not "
                "reopened for it."
            )
        ]
    return []


def _guard_reopen_correction(facts: WorkflowFacts) -> list[str]:
    if facts.profile_in_preparation:
        return [
            _(
                "A profile version is in preparation; publish it first, then reopen the "
                "assessment for correction."
            )
        ]
    return []


def _guard_publish(facts: WorkflowFacts) -> list[str]:
    if not facts.has_snapshot:
        return [_("There is no approved snapshot to publish.")]
    if facts.correction_unpublished:
        return [
            _(
                "A correction is published with its corrected profile version: approve and "
                "publish that version on the profile page; the assessment is published again "
                "with it."
            )
        ]
    return []


GUARDS: dict[tuple[str, str], Callable[[WorkflowFacts], list[str]]] = {
    (S.SETUP, S.DATA_COLLECTION): _guard_open_data_collection,
    (S.CROSS_CHECK, S.VALIDATION): _guard_start_validation,
    (S.VALIDATION, S.APPROVED): _guard_approve,
    (S.APPROVED, S.PUBLISHED): _guard_publish,
    (S.VALIDATION, S.DATA_COLLECTION): _guard_reopen_collection,
    (S.PUBLISHED, S.VALIDATION): _guard_reopen_correction,
}


def allowed_transitions(status: str) -> list[tuple[str, Transition]]:
    return [(to, t) for (frm, to), t in TRANSITIONS.items() if frm == status]


def is_move(status: str, to: str) -> bool:
    return (status, to) in TRANSITIONS


def transition_problems(status: str, to: str, facts: WorkflowFacts) -> list[str]:
    """Why the move from `status` to `to` is refused (empty when it is allowed)."""
    key = (status, to)
    if key not in TRANSITIONS:
        return [
            _("An assessment cannot move from “%(from)s” to “%(to)s”.")
            % {
                "from": Assessment.Status(status).label,
                "to": Assessment.Status(to).label if to in Assessment.Status.values else to,
            }
        ]
    guard = GUARDS.get(key)
    return guard(facts) if guard else []
