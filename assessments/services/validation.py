"""Validation sessions (the focus group discussion) and their decisions per indicator."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import Indicator
from ministries.models import Institution, User

from ..models import Assessment, ConsolidatedAnswer, ValidationDecision, ValidationSession
from .consolidation import clean_consolidated, consolidated_save
from .errors import ServiceError


def _check_validation(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.VALIDATION:
        raise ServiceError(
            _("Validation sessions are recorded while the assessment is in validation.")
        )


@transaction.atomic
def validation_session_save(
    *,
    assessment: Assessment,
    actor: User,
    held_on: datetime.date,
    format: str,
    participant_count: int,
    place: str = "",
    ends_on: datetime.date | None = None,
    institutions: Iterable[Institution] = (),
    notes: str = "",
    session: ValidationSession | None = None,
) -> ValidationSession:
    _check_validation(assessment)
    if format not in ValidationSession.Format.values:
        raise ServiceError(_("The format must be in person, online or hybrid."))
    if participant_count < 1:
        raise ServiceError(_("Give the number of participants."))
    if ends_on and ends_on < held_on:
        raise ServiceError(_("The last day cannot be before the first."))
    session = session or ValidationSession(assessment=assessment, recorded_by=actor)
    session.held_on = held_on
    session.ends_on = ends_on
    session.format = format
    session.place = place.strip()
    session.participant_count = participant_count
    session.notes = notes.strip()
    session.save()
    session.institutions.set(list(institutions))
    return session


@transaction.atomic
def validation_decide(
    *,
    session: ValidationSession,
    indicator: Indicator,
    actor: User,
    decision: str,
    answer: str = "",
    coverage: str = "",
    reason: str = "",
) -> ValidationDecision:
    """Record what the session decided on one indicator; a change updates the consolidated answer."""
    assessment = session.assessment
    _check_validation(assessment)
    consolidated = (
        ConsolidatedAnswer.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, indicator=indicator)
        .first()
    )
    if consolidated is None:
        raise ServiceError(
            _("Indicator %(code)s has no consolidated answer yet.") % {"code": indicator.code}
        )
    if decision not in ValidationDecision.Decision.values:
        raise ServiceError(_("The decision must be confirmed or changed."))
    reason = reason.strip()
    if decision == ValidationDecision.Decision.CHANGED:
        if not reason:
            raise ServiceError(_("Give the reason for the change."))
        clean_consolidated(indicator, answer, coverage)
    existing = ValidationDecision.objects.filter(session=session, indicator=indicator).first()
    previous_answer = existing.previous_answer if existing else consolidated.answer
    record, _created = ValidationDecision.objects.update_or_create(
        session=session,
        indicator=indicator,
        defaults={
            "decision": decision,
            "previous_answer": previous_answer,
            "answer": answer if decision == ValidationDecision.Decision.CHANGED else "",
            "coverage": coverage if decision == ValidationDecision.Decision.CHANGED else "",
            "reason": reason,
            "decided_by": actor,
        },
    )
    if decision == ValidationDecision.Decision.CHANGED:
        consolidated_save(
            assessment=assessment,
            indicator=indicator,
            actor=actor,
            answer=answer,
            coverage=coverage,
            narrative_en=consolidated.narrative_en,
            narrative_id=consolidated.narrative_id,
            evidence=list(consolidated.evidence.all()),
            sources=list(consolidated.sources.all()),
            version=consolidated.version,
            reason=_("Validation %(date)s: %(reason)s")
            % {"date": session.held_on.isoformat(), "reason": reason},
        )
    return record


@transaction.atomic
def validation_confirm_rest(*, session: ValidationSession, actor: User) -> int:
    """Confirm every consolidated indicator the session has not decided on yet (all or none)."""
    decided = ValidationDecision.objects.filter(session=session).values("indicator_id")
    consolidated = ConsolidatedAnswer.objects.filter(assessment=session.assessment).values(
        "indicator_id"
    )
    remaining = (
        Indicator.objects.filter(framework_id=session.assessment.framework_id, pk__in=consolidated)
        .exclude(pk__in=decided)
        .order_by("order")
    )
    count = 0
    for indicator in remaining:
        validation_decide(
            session=session,
            indicator=indicator,
            actor=actor,
            decision=ValidationDecision.Decision.CONFIRMED,
        )
        count += 1
    return count
