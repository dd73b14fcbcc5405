"""Writes of validation: sessions (the focus group discussion), their decisions per
indicator, and the snapshot, the frozen numbered dataset approval makes.

A change decided in validation also changes the consolidated answer, through the
consolidation room's `consolidated_save`, in the same transaction.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, Prefetch
from django.dispatch import Signal
from django.utils.translation import gettext as _

from assessments.consolidation.services import (
    WITHOUT_COVERAGE,
    clean_consolidated,
    consolidated_save,
)
from assessments.errors import ServiceError
from assessments.frozen import check_correction_session
from assessments.history_reasons import VALIDATION, reason_code
from assessments.models import (
    Assessment,
    AssessmentStatusChange,
    ConsolidatedAnswer,
    Evidence,
    Response,
    Snapshot,
    Submission,
    ValidationDecision,
    ValidationSession,
)
from audit.services import Action, audit_record, changed_fields
from config import text as text_rules
from config.text import check_text
from indicators.instruments import instrument_data
from indicators.models import Indicator
from ministries.models import Institution, User

# Sent (inside approval's transaction) with `snapshot` once the validated answers are frozen as
# a new snapshot: the profile versions in preparation follow it (reports/apps.py connects a
# receiver, reports/follow.py).
snapshot_approved = Signal()


def _check_validation(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.VALIDATION:
        raise ServiceError(
            _("Validation sessions are recorded while the assessment is in validation.")
        )


# --- sessions and decisions -------------------------------------------------------------------


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
    """Record a new session (or change `session`'s facts) while the assessment is in validation."""
    _check_validation(assessment)
    if session is not None:
        check_correction_session(session)
    if format not in ValidationSession.Format.values:
        raise ServiceError(_("The format must be in person, online or hybrid."))
    if participant_count < 1:
        raise ServiceError(_("Give the number of participants."))
    if ends_on and ends_on < held_on:
        raise ServiceError(_("The last day cannot be before the first."))
    check_text(
        "notes",
        notes,
        text_rules.MINUTES,
        getattr(ValidationSession._meta.get_field("notes"), "verbose_name", None),
    )
    check_text(
        "place",
        place,
        getattr(ValidationSession._meta.get_field("place"), "max_length", None) or 200,
    )
    session = session or ValidationSession(assessment=assessment, recorded_by=actor)
    before = _session_facts(session) if session.pk else {}
    session.held_on = held_on
    session.ends_on = ends_on
    session.format = format
    session.place = place.strip()
    session.participant_count = participant_count
    session.notes = notes.strip()
    session.save()
    session.institutions.set(list(institutions))
    audit_record(
        action=Action.VALIDATION_SESSION_SAVED,
        actor=actor,
        obj=session,
        details=changed_fields(before, _session_facts(session)),
    )
    return session


def _session_facts(session: ValidationSession) -> dict[str, Any]:
    """The facts of a session as the audit compares them (before and after a save)."""
    return {
        "held_on": session.held_on.isoformat() if session.held_on else None,
        "ends_on": session.ends_on.isoformat() if session.ends_on else None,
        "format": session.format,
        "place": session.place,
        "participant_count": session.participant_count,
        "notes": session.notes,
        "institutions": sorted(session.institutions.values_list("acronym", flat=True)),
    }


def _locked_consolidated(assessment: Assessment, indicator: Indicator) -> ConsolidatedAnswer:
    consolidated = (
        ConsolidatedAnswer.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, indicator=indicator)
        .first()
    )
    if consolidated is None:
        raise ServiceError(
            _("Indicator %(code)s has no consolidated answer yet.") % {"code": indicator.code}
        )
    return consolidated


def _change_consolidated(
    consolidated: ConsolidatedAnswer,
    *,
    session: ValidationSession,
    indicator: Indicator,
    actor: User,
    answer: str,
    coverage: str,
    reason: str,
) -> None:
    """The session's new answer becomes the consolidated one; the rest stays as it was."""
    consolidated_save(
        assessment=session.assessment,
        indicator=indicator,
        actor=actor,
        answer=answer,
        coverage=coverage,
        narrative_en=consolidated.narrative_en,
        narrative_id=consolidated.narrative_id,
        evidence=list(consolidated.evidence.all()),
        sources=list(consolidated.sources.all()),
        version=consolidated.version,
        reason=reason_code(VALIDATION, date=session.held_on.isoformat(), reason=reason),
    )


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
    check_correction_session(session)
    consolidated = _locked_consolidated(assessment, indicator)
    if decision not in ValidationDecision.Decision.values:
        raise ServiceError(_("The decision must be confirmed or changed."))
    reason = reason.strip()
    check_text(
        "reason",
        reason,
        text_rules.REASON,
        getattr(ValidationDecision._meta.get_field("reason"), "verbose_name", None),
    )
    changed = decision == ValidationDecision.Decision.CHANGED
    if changed:
        if not reason:
            raise ServiceError(_("Give the reason for the change."))
        clean_consolidated(indicator, answer, coverage)
    existing = ValidationDecision.objects.filter(session=session, indicator=indicator).first()
    previous_answer = existing.previous_answer if existing else consolidated.answer
    overwritten = (
        {
            name: getattr(existing, name)
            for name in ("decision", "answer", "coverage", "reason", "decided_by_id")
        }
        if existing
        else None
    )
    record, _created = ValidationDecision.objects.update_or_create(
        session=session,
        indicator=indicator,
        defaults={
            "decision": decision,
            "previous_answer": previous_answer,
            "answer": answer if changed else "",
            "coverage": coverage if changed and answer not in WITHOUT_COVERAGE else "",
            "reason": reason,
            "decided_by": actor,
        },
    )
    if changed:
        _change_consolidated(
            consolidated,
            session=session,
            indicator=indicator,
            actor=actor,
            answer=answer,
            coverage=coverage,
            reason=reason,
        )
    audit_record(
        action=Action.VALIDATION_DECIDED,
        actor=actor,
        obj=record,
        assessment=assessment,
        reason=reason,
        details={
            "indicator": indicator.code,
            "session": session.pk,
            "decision": decision,
            "answer": record.answer,
            "coverage": record.coverage,
            "previous_answer": previous_answer,
            "overwritten": overwritten,
        },
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


# --- the snapshot -----------------------------------------------------------------------------


def _evidence(item: Any) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "instrument_type": item.instrument_type,
        "number": item.number,
        "year": item.year,
        "title": item.title,
        "article": item.article,
        "url": item.url,
        "label": item.label,
        # The register's instrument itself, so that profiles cite it in each edition's
        # language (indicators.instruments.cite); None for a citation typed by hand.
        "instrument": instrument_data(item.instrument) if item.instrument_id else None,
    }


def _indicator_rows(assessment: Assessment) -> list[dict[str, Any]]:
    """Every indicator of the framework with its consolidated answer (blank if none)."""
    consolidated = {
        c.indicator_id: c
        for c in ConsolidatedAnswer.objects.filter(assessment=assessment).prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("instrument__issuer__province"),
            ),
            Prefetch("sources", queryset=Response.objects.select_related("institution")),
        )
    }
    indicators = (
        Indicator.objects.filter(framework_id=assessment.framework_id)
        .select_related("dimension", "subarea")
        .prefetch_related("gcm_objectives", "sdg_subcategories")
        .order_by("order")
    )
    rows = []
    for indicator in indicators:
        c = consolidated.get(indicator.pk)
        rows.append(
            {
                "code": indicator.code,
                "national_code": indicator.national_code,
                "dimension": indicator.dimension.number,
                "subarea": indicator.subarea.code,
                "question_en": indicator.question_en,
                "question_id": indicator.question_id,
                "answer": c.answer if c else "",
                "coverage": c.coverage if c else "",
                "narrative_en": c.narrative_en if c else "",
                "narrative_id": c.narrative_id if c else "",
                # The language each was written in: a copy across needs translation.
                "narrative_en_language": c.narrative_en_language if c else "en",
                "narrative_id_language": c.narrative_id_language if c else "id",
                "evidence": [_evidence(e) for e in c.evidence.all()] if c else [],
                "sources": [
                    {"institution": r.institution.acronym, "answer": r.answer}
                    for r in (c.sources.all() if c else [])
                ],
                "gcm": [o.number for o in indicator.gcm_objectives.all()],
                "sdg": [s.code for s in indicator.sdg_subcategories.all()],
            }
        )
    return rows


def _collection_dates(assessment: Assessment) -> dict[str, str | None]:
    """When data collection first opened and last closed."""
    changes = list(
        AssessmentStatusChange.objects.filter(assessment=assessment).order_by("created_at")
    )
    collecting = Assessment.Status.DATA_COLLECTION
    opened = next((c.created_at.isoformat() for c in changes if c.to_status == collecting), None)
    closed = next(
        (c.created_at.isoformat() for c in reversed(changes) if c.from_status == collecting),
        None,
    )
    return {"opened": opened, "closed": closed}


def _validation_sessions(assessment: Assessment) -> list[dict[str, Any]]:
    return [
        {
            "held_on": s.held_on.isoformat(),
            "ends_on": s.ends_on.isoformat() if s.ends_on else None,
            "format": s.format,
            "place": s.place,
            "participant_count": s.participant_count,
            "institutions": sorted(i.acronym for i in s.institutions.all()),
            "decisions": [
                {
                    "indicator": d.indicator.code,
                    "decision": d.decision,
                    "previous_answer": d.previous_answer,
                    "answer": d.answer,
                    "reason": d.reason,
                }
                for d in s.decisions.select_related("indicator")
            ],
        }
        for s in assessment.validation_sessions.prefetch_related("institutions")
    ]


def _assessment_facts(assessment: Assessment) -> dict[str, Any]:
    province = assessment.province
    return {
        "id": assessment.pk,
        "title_en": assessment.title_en,
        "title_id": assessment.title_id,
        "scope": assessment.scope,
        "province": province.code if province else None,
        "province_en": province.name_en if province else None,
        "province_id": province.name_id if province else None,
        "year": assessment.year,
        "round": assessment.round,
        "framework": assessment.framework.code,
        "previous": assessment.previous_id,
        "is_demo": assessment.is_demo,
    }


def _participation(assessment: Assessment, assigned: list[str]) -> dict[str, list[str]]:
    """Which institutions took part, counted from the data, not from the survey matrix:
    those assigned indicators, those that submitted, and those with at least one answer
    (with content) accepted in the cross-check; acronyms, sorted."""
    submitted = Submission.objects.filter(assessment=assessment).values_list(
        "institution__acronym", flat=True
    )
    accepted = (
        Response.objects.filter(
            assessment=assessment,
            state=Response.State.SUBMITTED,
            review_state=Response.ReviewState.ACCEPTED,
            nothing_to_add=False,
            confirmed=True,
        )
        .exclude(answer="")
        .values_list("institution__acronym", flat=True)
    )
    return {
        "assigned": assigned,
        "submitted": sorted(set(submitted)),
        "accepted": sorted(set(accepted)),
    }


def snapshot_data(assessment: Assessment) -> dict[str, Any]:
    """Everything a profile needs, as plain JSON: it must not change when live data does."""
    rows = _indicator_rows(assessment)
    collection = _collection_dates(assessment)
    sessions = _validation_sessions(assessment)
    institutions = sorted(
        set(
            Response.objects.filter(assessment=assessment).values_list(
                "institution__acronym", flat=True
            )
        )
    )
    return {
        "assessment": _assessment_facts(assessment),
        "institutions": institutions,
        "participation": _participation(assessment, institutions),
        "data_collection": collection,
        "validation": sessions,
        "indicators": rows,
    }


@transaction.atomic
def snapshot_create(*, assessment: Assessment, actor: User) -> Snapshot:
    """Freeze the assessment's data as its next numbered snapshot (approval does this)."""
    number = (
        Snapshot.objects.filter(assessment=assessment).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    snapshot = Snapshot.objects.create(
        assessment=assessment, number=number, data=snapshot_data(assessment), approved_by=actor
    )
    snapshot_approved.send(sender=Snapshot, snapshot=snapshot)
    return snapshot
