"""The consolidated answer on each indicator: one answer drawn from several institutions'."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils.translation import gettext as _

from assessments.collection.selectors import role_subquery
from assessments.consolidation.takeover import (
    TakeOverCheck,
    TakeOverPlan,
    take_over_check,
    take_over_plan,
)
from assessments.errors import ConsolidationClosed, ServiceError, StaleConsolidation
from assessments.history_reasons import TAKEN_OVER, reason_code
from assessments.models import Assessment, ConsolidatedAnswer, Evidence, Response
from audit.services import Action, audit_record, changed_fields
from config import text as text_rules
from config.text import check_text
from indicators.models import Indicator
from ministries.models import User

EDITABLE_STATUSES = (Assessment.Status.CROSS_CHECK, Assessment.Status.VALIDATION)
FROZEN_STATUSES = (Assessment.Status.APPROVED, Assessment.Status.PUBLISHED)
# The code of a ValidationError naming evidence or sources that are not this indicator's.
UNKNOWN_CHOICE = "unknown"
# Sent (inside the saving transaction) when a saved consolidated answer's value changes, by a
# validation decision or a facilitator's edit, with `assessment`, `code`, `was` and `now`:
# the profiles' findings resting on it turn stale (reports/apps.py connects a receiver).
answer_changed = Signal()


def closed_reason(assessment: Assessment) -> str:
    """Why consolidated answers cannot be written now ("" when they can); the page shows it
    and the services refuse with it."""
    if assessment.status in EDITABLE_STATUSES:
        return ""
    if assessment.status in FROZEN_STATUSES:
        return _(
            "The validated answers are frozen; reopen the validation, with a reason, to change them."
        )
    return _("Consolidated answers are written during the cross-check and validation.")


def _check_open(assessment: Assessment, indicator: Indicator) -> None:
    reason = closed_reason(assessment)
    if reason:
        current = ConsolidatedAnswer.objects.filter(
            assessment=assessment, indicator=indicator
        ).first()
        raise ConsolidationClosed(reason, current)


def consolidated_answer_choices(indicator: Indicator) -> list[tuple[str, Any]]:
    """The answers a consolidated answer on `indicator` may take: those the indicator allows,
    and "no information" where nobody could say whether the measure exists."""
    no_info = ConsolidatedAnswer.Answer.NO_INFORMATION
    return [*indicator.answer_choices(), (no_info.value, no_info.label)]


# Answers that carry no coverage qualifier: the form may send one, it is dropped.
WITHOUT_COVERAGE = (
    ConsolidatedAnswer.Answer.NOT_APPLICABLE,
    ConsolidatedAnswer.Answer.NO_INFORMATION,
)


def clean_consolidated(indicator: Indicator, answer: str, coverage: str) -> None:
    errors = {}
    allowed = {value for value, _label in consolidated_answer_choices(indicator)}
    if answer not in allowed:
        errors["answer"] = _("Choose one of the answers this indicator allows.")
    if answer in WITHOUT_COVERAGE:
        pass
    elif coverage and not indicator.has_coverage:
        errors["coverage"] = _("This indicator has no coverage qualifier.")
    elif coverage and coverage not in Indicator.Coverage.values:
        errors["coverage"] = _("Choose all migrants or regular migrants only.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def consolidated_save(
    *,
    assessment: Assessment,
    indicator: Indicator,
    actor: User,
    answer: str,
    coverage: str = "",
    narrative_en: str = "",
    narrative_id: str = "",
    evidence: Iterable[Evidence] = (),
    sources: Iterable[Response] = (),
    version: int | None = None,
    reason: str = "",
    check_status: bool = True,
    narrative_languages: tuple[str, str] | None = None,
) -> ConsolidatedAnswer:
    """Create or change the consolidated answer; `version` guards against a lost update.

    `narrative_languages`: the languages the English and Indonesian narratives were written
    in, when the caller knows (a take-over copies one text into both). Otherwise a narrative
    a person changed is in its own language, and one left as it was keeps the language it had.
    """
    if check_status:
        _check_open(assessment, indicator)
    if indicator.framework_id != assessment.framework_id:
        raise ServiceError(_("This indicator is not part of the assessment's framework."))
    clean_consolidated(indicator, answer, coverage or "")
    for name, value in (("narrative_en", narrative_en), ("narrative_id", narrative_id)):
        check_text(
            name,
            value,
            text_rules.NARRATIVE,
            getattr(ConsolidatedAnswer._meta.get_field(name), "verbose_name", None),
        )
    evidence = list(evidence)
    sources = list(sources)
    if any(e.assessment_id != assessment.pk for e in evidence):
        raise ValidationError({"evidence": _("Evidence must come from this assessment.")})
    if any(r.assessment_id != assessment.pk or r.indicator_id != indicator.pk for r in sources):
        raise ValidationError({"sources": _("Sources must be answers to this indicator.")})
    current = (
        ConsolidatedAnswer.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, indicator=indicator)
        .first()
    )
    if current is None:
        if version not in (None, 0):
            raise StaleConsolidation(None)
        current = ConsolidatedAnswer(assessment=assessment, indicator=indicator, version=1)
    else:
        if version is not None and version != current.version:
            raise StaleConsolidation(current)
        current.version += 1
    before = _consolidated_facts(current) if current.pk else {}
    was = current.answer if current.pk else None
    _set_narratives(current, narrative_en, narrative_id, narrative_languages)
    current.answer = answer
    current.coverage = "" if answer in WITHOUT_COVERAGE else (coverage or "")
    current.updated_by = actor
    current._history_user = actor  # type: ignore[attr-defined]
    current._change_reason = reason  # type: ignore[attr-defined]
    current.save()
    current.evidence.set(evidence)
    current.sources.set(sources)
    audit_record(
        action=Action.CONSOLIDATED_SAVED,
        actor=actor,
        obj=current,
        reason=reason,
        details={
            "indicator": indicator.code,
            "version": current.version,
            **changed_fields(before, _consolidated_facts(current, evidence, sources)),
        },
    )
    if was is not None and was != answer:
        answer_changed.send(
            sender=ConsolidatedAnswer,
            assessment=assessment,
            code=indicator.code,
            was=was,
            now=answer,
        )
    return current


def _consolidated_facts(
    answer: ConsolidatedAnswer,
    evidence: list[Evidence] | None = None,
    sources: list[Response] | None = None,
) -> dict[str, Any]:
    """What the audit compares before and after a save; without `evidence` and `sources`,
    the stored ones (the state before the save)."""
    if evidence is None:
        evidence = list(answer.evidence.all())
    if sources is None:
        sources = list(answer.sources.all())
    return {
        "answer": answer.answer,
        "coverage": answer.coverage,
        "narrative_en": answer.narrative_en,
        "narrative_id": answer.narrative_id,
        "evidence": sorted(e.pk for e in evidence),
        "sources": sorted(r.pk for r in sources),
    }


def _set_narratives(
    current: ConsolidatedAnswer,
    narrative_en: str,
    narrative_id: str,
    languages: tuple[str, str] | None,
) -> None:
    for field, text, language in (
        ("en", narrative_en.strip(), languages[0] if languages else None),
        ("id", narrative_id.strip(), languages[1] if languages else None),
    ):
        if language is None:
            unchanged = current.pk and text == getattr(current, f"narrative_{field}")
            language = getattr(current, f"narrative_{field}_language") if unchanged else field
        setattr(current, f"narrative_{field}", text)
        setattr(current, f"narrative_{field}_language", language or field)


def _chosen(
    assessment: Assessment,
    indicator: Indicator,
    evidence_ids: Iterable[int],
    source_ids: Iterable[int],
) -> tuple[list[Evidence], list[Response]]:
    """Evidence and sources by id, or a ValidationError naming the ids outside the indicator's.

    Evidence may be what the answers on the indicator cite or what the consolidated answer
    already rests on (an answer may have dropped an item since); sources are the answers to
    the indicator. Each field's error has the code `UNKNOWN_CHOICE` and the ids in `params`.
    """
    wanted_evidence, wanted_sources = set(evidence_ids), set(source_ids)
    evidence = {
        item.pk: item
        for item in Evidence.objects.filter(pk__in=wanted_evidence)
        .filter(
            Q(responses__assessment=assessment, responses__indicator=indicator)
            | Q(
                consolidated_answers__assessment=assessment,
                consolidated_answers__indicator=indicator,
            )
        )
        .distinct()
    }
    sources = {
        r.pk: r
        for r in Response.objects.filter(
            assessment=assessment, indicator=indicator, pk__in=wanted_sources
        )
    }
    errors: dict[str, ValidationError] = {}
    for field, wanted, found, message in (
        (
            "evidence",
            wanted_evidence,
            evidence,
            _("Not attached to the answers on this indicator: %(ids)s."),
        ),
        ("sources", wanted_sources, sources, _("Not answers to this indicator: %(ids)s.")),
    ):
        unknown = sorted(wanted - set(found))
        if unknown:
            ids = ", ".join(map(str, unknown))
            errors[field] = ValidationError(message, code=UNKNOWN_CHOICE, params={"ids": ids})
    if errors:
        raise ValidationError(errors)
    return [evidence[pk] for pk in sorted(evidence)], [sources[pk] for pk in sorted(sources)]


@transaction.atomic
def consolidated_write(
    *,
    assessment: Assessment,
    indicator: Indicator,
    actor: User,
    answer: str,
    coverage: str = "",
    narrative_en: str = "",
    narrative_id: str = "",
    evidence_ids: Iterable[int] = (),
    source_ids: Iterable[int] = (),
    version: int | None = None,
    reason: str = "",
) -> ConsolidatedAnswer:
    """The facilitator's consolidated answer as the page and the API send it: evidence and
    sources by id, checked against the indicator (`_chosen`) before anything is written,
    then `consolidated_save` (stage, values, version)."""
    evidence, sources = _chosen(assessment, indicator, evidence_ids, source_ids)
    return consolidated_save(
        assessment=assessment,
        indicator=indicator,
        actor=actor,
        answer=answer,
        coverage=coverage,
        narrative_en=narrative_en,
        narrative_id=narrative_id,
        evidence=evidence,
        sources=sources,
        version=version,
        reason=reason,
    )


@dataclass
class _Row:
    indicator: Indicator
    responses: list[Response]
    consolidated: ConsolidatedAnswer | None


def _take_over_rows(assessment: Assessment, indicator: Indicator | None = None) -> list[_Row]:
    """Indicators (or just `indicator`) with their answers, role annotated and evidence
    prefetched, and their consolidated answer: four queries whatever their number."""
    only_one = Q(indicator=indicator) if indicator is not None else Q()
    responses = (
        Response.objects.filter(only_one, assessment=assessment)
        .select_related("institution", "updated_by")  # who wrote it: its language
        .annotate(role=role_subquery())
        .prefetch_related("evidence")
        .order_by("institution__acronym")
    )
    by_indicator: dict[int, list[Response]] = defaultdict(list)
    for response in responses:
        by_indicator[response.indicator_id].append(response)
    consolidated = {
        c.indicator_id: c
        for c in ConsolidatedAnswer.objects.filter(only_one, assessment=assessment)
    }
    indicators = (
        [indicator]
        if indicator is not None
        else Indicator.objects.filter(framework_id=assessment.framework_id).order_by("order")
    )
    return [
        _Row(item, by_indicator.get(item.pk, []), consolidated.get(item.pk)) for item in indicators
    ]


def _take_over(
    assessment: Assessment,
    indicator: Indicator,
    actor: User,
    check: TakeOverCheck,
    current: ConsolidatedAnswer | None,
) -> ConsolidatedAnswer:
    """The lead answer `check` allows becomes the consolidated answer: its answer, coverage,
    justification and evidence; drawn from it and the accepted answers agreeing with it."""
    lead = check.lead
    assert lead is not None and check.possible
    written_in = justification_language(lead)
    return consolidated_save(
        assessment=assessment,
        indicator=indicator,
        actor=actor,
        answer=lead.answer,
        coverage=lead.coverage,
        narrative_en=lead.justification,
        narrative_id=lead.justification,
        narrative_languages=(written_in, written_in),
        evidence=list(lead.evidence.all()),
        sources=[lead, *check.agreeing],
        version=current.version if current else None,
        reason=reason_code(TAKEN_OVER, institution=lead.institution.acronym),
    )


def justification_language(response: Response) -> str:
    """The language a ministry's justification was written in: its writer's chosen language
    (the focal point who last saved it), or the portal's default when they chose none."""
    writer = response.updated_by
    return (writer.language if writer else "") or settings.LANGUAGE_CODE


@transaction.atomic
def consolidated_take_over_lead(
    *, assessment: Assessment, indicator: Indicator, actor: User
) -> ConsolidatedAnswer:
    """Adopt the lead institution's answer where it is accepted and uncontested
    (`takeover.take_over_check`); otherwise refuse, saying what stands in the way."""
    _check_open(assessment, indicator)
    [row] = _take_over_rows(assessment, indicator)
    check = take_over_check(row.responses)
    if not check.possible:
        raise ServiceError(check.message)
    return _take_over(assessment, indicator, actor, check, row.consolidated)


@dataclass
class BulkTakeOver:
    """What `consolidated_take_over_bulk` did: the indicators taken over, and those left."""

    taken: list[str]
    skipped: int
    plan: TakeOverPlan


@transaction.atomic
def consolidated_take_over_bulk(*, assessment: Assessment, actor: User) -> BulkTakeOver:
    """Take over every accepted, uncontested lead answer on an indicator that has no
    consolidated answer yet, all or nothing; conflicts stay for side-by-side work.

    The assessment row is locked, so two facilitators pressing the button at once take each
    indicator over once; each answer's history names the institution it was taken from.
    """
    locked = Assessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    reason = closed_reason(locked)
    if reason:
        raise ConsolidationClosed(reason, None)
    plan = take_over_plan(_take_over_rows(locked))
    for indicator, check in plan.ready:
        _take_over(locked, indicator, actor, check, None)
    return BulkTakeOver(
        taken=[indicator.code for indicator, _check in plan.ready],
        skipped=plan.skipped,
        plan=plan,
    )


def comparison_has_conflict(answers: Iterable[str]) -> bool:
    return len({a for a in answers if a}) > 1
