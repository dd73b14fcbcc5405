"""The assessment workflow: a table of allowed moves, their guards, and one service per move.

setup → data collection → cross-check → validation → approved → published, with reopening
paths back that need a reason. Every move is recorded (who, when, from, to, note).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ministries.models import User

from ..models import Assessment, AssessmentStatusChange, ConsolidatedAnswer, Response
from .errors import ServiceError

S = Assessment.Status


@dataclass(frozen=True)
class Transition:
    label: Any
    needs_note: bool = False
    reopen: bool = False


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
}


def _guard_open_data_collection(assessment: Assessment) -> list[str]:
    from ..selectors import matrix_gaps

    gaps = list(matrix_gaps(assessment).values_list("code", flat=True))
    if gaps:
        return [
            _("%(count)s indicators have no lead institution: %(codes)s.")
            % {"count": len(gaps), "codes": ", ".join(gaps[:20]) + ("…" if len(gaps) > 20 else "")}
        ]
    return []


def _codes(qs: Any, field: str = "indicator__code", limit: int = 20) -> str:
    codes = sorted({c for c in qs.values_list(field, flat=True)})
    return ", ".join(codes[:limit]) + ("…" if len(codes) > limit else "")


def _guard_start_validation(assessment: Assessment) -> list[str]:
    problems = []
    responses = Response.objects.filter(assessment=assessment)
    waiting = responses.filter(
        state=Response.State.SUBMITTED,
        review_state__in=[Response.ReviewState.PENDING, Response.ReviewState.RESUBMITTED],
    )
    if waiting.exists():
        problems.append(
            _("%(count)s answers await review: %(codes)s.")
            % {"count": waiting.count(), "codes": _codes(waiting)}
        )
    open_items = responses.filter(
        review_state__in=[Response.ReviewState.QUERIED, Response.ReviewState.RETURNED]
    )
    if open_items.exists():
        problems.append(
            _("%(count)s answers are queried or returned and not yet resubmitted: %(codes)s.")
            % {"count": open_items.count(), "codes": _codes(open_items)}
        )
    missing = assessment.framework.indicators.exclude(
        pk__in=ConsolidatedAnswer.objects.filter(assessment=assessment).values("indicator_id")
    )
    if missing.exists():
        problems.append(
            _("%(count)s indicators have no consolidated answer: %(codes)s.")
            % {"count": missing.count(), "codes": _codes(missing, "code")}
        )
    return problems


def _guard_approve(assessment: Assessment) -> list[str]:
    problems = _guard_start_validation(assessment)
    if not assessment.validation_sessions.exists():
        problems.append(_("Record the validation session (the focus group discussion) first."))
    return problems


def _guard_publish(assessment: Assessment) -> list[str]:
    if not assessment.snapshots.exists():
        return [_("There is no approved snapshot to publish.")]
    return []


GUARDS: dict[tuple[str, str], Callable[[Assessment], list[str]]] = {
    (S.SETUP, S.DATA_COLLECTION): _guard_open_data_collection,
    (S.CROSS_CHECK, S.VALIDATION): _guard_start_validation,
    (S.VALIDATION, S.APPROVED): _guard_approve,
    (S.APPROVED, S.PUBLISHED): _guard_publish,
}


def _effect_approve(assessment: Assessment, actor: User) -> None:
    from .snapshots import snapshot_create

    snapshot_create(assessment=assessment, actor=actor)


EFFECTS: dict[tuple[str, str], Callable[[Assessment, User], None]] = {
    (S.VALIDATION, S.APPROVED): _effect_approve,
}


def allowed_transitions(assessment: Assessment) -> list[tuple[str, Transition]]:
    return [(to, t) for (frm, to), t in TRANSITIONS.items() if frm == assessment.status]


def transition_problems(assessment: Assessment, to: str) -> list[str]:
    key = (assessment.status, to)
    if key not in TRANSITIONS:
        return [
            _("An assessment cannot move from “%(from)s” to “%(to)s”.")
            % {
                "from": Assessment.Status(assessment.status).label,
                "to": Assessment.Status(to).label if to in Assessment.Status.values else to,
            }
        ]
    guard = GUARDS.get(key)
    return guard(assessment) if guard else []


@transaction.atomic
def assessment_transition(
    *, assessment: Assessment, actor: User, to: str, note: str = ""
) -> Assessment:
    """Move the assessment, or raise ServiceError saying why not. Nothing changes on refusal."""
    # Lock the row: two coordinators pressing the same button make one move, not two.
    locked = Assessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    problems = transition_problems(locked, to)
    if problems:
        raise ServiceError(" ".join(problems))
    key = (locked.status, to)
    if TRANSITIONS[key].needs_note and not note.strip():
        raise ServiceError(_("Give a reason for reopening."))
    change = AssessmentStatusChange.objects.create(
        assessment=locked, from_status=locked.status, to_status=to, note=note.strip(), actor=actor
    )
    locked.status = to
    locked.save(update_fields=["status"])
    effect = EFFECTS.get(key)
    if effect:
        effect(locked, actor)
    assessment.status = to
    from .. import notifications

    notifications.transition_made(change)
    return locked
