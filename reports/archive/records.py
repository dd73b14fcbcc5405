"""What the database holds about one round, read into plain rows for the archive.

Each function reads one kind of record of the assessment in a fixed number of queries
(history and comments in bulk, never one query per answer), so the archive of a round of
23 ministries costs the same handful of queries as that of a small one.

People are written as "Full Name (username)"; times as ISO 8601 with their offset. System
text (history reasons, states) is kept as its code, and put into words in both languages.
"""

from collections import defaultdict
from typing import Any

from django.db.models import Model
from django.utils import translation

from assessments.history_reasons import reason_code_of, reason_params_of, reason_text
from assessments.models import (
    Assessment,
    Assignment,
    ConsolidatedAnswer,
    Evidence,
    Response,
    ResponseComment,
    Snapshot,
    ValidationSession,
)
from indicators.bilingual import LANGUAGES

RESPONSE_FIELDS = (
    "answer",
    "coverage",
    "justification",
    "nothing_to_add",
    "confirmed",
    "state",
    "review_state",
    "reviewed_at",
    "version",
)
HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def person(user: Any) -> str:
    if user is None:
        return ""
    full = user.get_full_name().strip()
    return f"{full} ({user.username})" if full else user.username


def both(stored: str | None) -> dict[str, str]:
    """A stored history reason in each language."""
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = reason_text(stored)
    return texts


def has_instruments() -> bool:
    """Whether evidence cites the legal-instrument register (`Evidence.instrument`)."""
    return any(f.name == "instrument" for f in Evidence._meta.get_fields())


def plain(obj: Model) -> dict[str, Any]:
    """A model's own columns (foreign keys as ids), for records read generically."""
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def assessment_record(assessment: Assessment) -> dict[str, Any]:
    """The assessment's facts, participants, facilitators and every workflow move."""
    return {
        "id": assessment.pk,
        "title": {"en": assessment.title_en, "id": assessment.title_id},
        "scope": assessment.scope,
        "province": assessment.province.code if assessment.province else None,
        "year": assessment.year,
        "round": assessment.round,
        "framework": assessment.framework.code,
        "status": assessment.status,
        "is_demo": assessment.is_demo,
        "previous": assessment.previous_id,
        "data_collection_deadline": assessment.data_collection_deadline,
        "validation_deadline": assessment.validation_deadline,
        "created_at": assessment.created_at,
        "created_by": person(assessment.created_by),
        "participants": [
            {"acronym": i.acronym, "name": {"en": i.name_en, "id": i.name_id}}
            for i in assessment.participants.order_by("acronym")
        ],
        "facilitators": [person(u) for u in assessment.facilitators.order_by("username")],
        "workflow": [
            {
                "when": c.created_at,
                "from": c.from_status,
                "to": c.to_status,
                "by": person(c.actor),
                "note": c.note,
            }
            for c in assessment.status_changes.select_related("actor")
        ],
    }


def matrix_rows(assessment: Assessment) -> list[dict[str, Any]]:
    return [
        {
            "indicator": a.indicator.code,
            "question_en": a.indicator.question_en,
            "question_id": a.indicator.question_id,
            "institution": a.institution.acronym,
            "institution_en": a.institution.name_en,
            "institution_id": a.institution.name_id,
            "role": a.role,
        }
        for a in Assignment.objects.filter(assessment=assessment).select_related(
            "indicator", "institution"
        )
    ]


def _history(assessment: Assessment) -> dict[int, list[dict[str, Any]]]:
    """Every history record of the assessment's answers, oldest first, per answer: the
    values of that moment, the evidence attached then, what changed and why."""
    model = Response.history.model
    through = model._meta.get_field("historicalresponse_evidence").related_model
    attached: dict[int, list[int]] = defaultdict(list)
    for history_id, evidence_id in (
        through.objects.filter(history__assessment_id=assessment.pk)
        .order_by("evidence_id")
        .values_list("history_id", "evidence_id")
    ):
        attached[history_id].append(evidence_id)
    records: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for record in (
        model.objects.filter(assessment_id=assessment.pk)
        .select_related("history_user", "updated_by", "reviewed_by")
        .order_by("id", "history_date", "history_id")
    ):
        values = {name: getattr(record, name) for name in RESPONSE_FIELDS}
        values["updated_by"] = person(record.updated_by)
        values["reviewed_by"] = person(record.reviewed_by)
        evidence = attached.get(record.history_id, [])
        earlier = records[record.id][-1] if records[record.id] else None
        changed = []
        if earlier is not None:
            changed = [k for k, v in values.items() if earlier["values"][k] != v]
            if earlier["evidence"] != evidence:
                changed.append("evidence")
        reason = record.history_change_reason
        records[record.id].append(
            {
                "history_id": record.history_id,
                "when": record.history_date,
                "who": person(record.history_user),
                "type": HISTORY_TYPES.get(record.history_type, record.history_type),
                "reason_code": reason_code_of(reason),
                "reason_params": reason_params_of(reason),
                "reason": both(reason) if reason else None,
                "values": values,
                "evidence": evidence,
                "changed": changed,
            }
        )
    return records


def _comments(assessment: Assessment) -> dict[int, list[dict[str, Any]]]:
    threads: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for c in ResponseComment.objects.filter(response__assessment=assessment).select_related(
        "author"
    ):
        threads[c.response_id].append(
            {
                "id": c.pk,
                "when": c.created_at,
                "author": person(c.author),
                "kind": c.kind,
                "body": c.body,
            }
        )
    return threads


def response_records(assessment: Assessment) -> list[dict[str, Any]]:
    """Every answer of the round, as it stands, with its whole history and its thread."""
    history = _history(assessment)
    threads = _comments(assessment)
    rows = []
    for r in (
        Response.objects.filter(assessment=assessment)
        .select_related("indicator", "institution", "updated_by", "reviewed_by")
        .prefetch_related("evidence")
    ):
        rows.append(
            {
                "id": r.pk,
                "indicator": r.indicator.code,
                "institution": r.institution.acronym,
                **{name: getattr(r, name) for name in RESPONSE_FIELDS},
                "reviewed_by": person(r.reviewed_by),
                "updated_by": person(r.updated_by),
                "updated_at": r.updated_at,
                "carried_from": r.carried_from_id,
                "evidence": sorted(e.pk for e in r.evidence.all()),
                "history": history.get(r.pk, []),
                "comments": threads.get(r.pk, []),
            }
        )
    return rows


def evidence_items(assessment: Assessment) -> list[Evidence]:
    """The round's evidence, with the codes of the indicators each supports (in framework
    order) as `indicator_codes`, and its legal instrument where the register exists."""
    items = Evidence.objects.filter(assessment=assessment).select_related(
        "institution", "created_by"
    )
    if has_instruments():
        items = items.select_related("instrument")
    supported: dict[int, list[str]] = defaultdict(list)
    for evidence_id, code in (
        Response.evidence.through.objects.filter(response__assessment=assessment)
        .order_by("response__indicator__order", "response__institution__acronym")
        .values_list("evidence_id", "response__indicator__code")
    ):
        if code not in supported[evidence_id]:
            supported[evidence_id].append(code)
    result = list(items.order_by("institution__acronym", "pk"))
    for item in result:
        item.indicator_codes = supported.get(item.pk, [])  # type: ignore[attr-defined]
    return result


def citations(item: Evidence) -> dict[str, str]:
    """The evidence's legal citation in each language, from the register's entry it cites
    (with its article); empty when it cites none."""
    from indicators.instruments import cite

    instrument = getattr(item, "instrument", None)
    if instrument is None:
        return {}
    return {lang: cite(instrument, language=lang, article=item.article) for lang in LANGUAGES}


def instrument_rows(items: list[Evidence]) -> list[dict[str, Any]]:
    """The register's entries the round's evidence cites, each once, with their citation in
    each language (empty without the register)."""
    from indicators.instruments import cite

    seen: dict[int, dict[str, Any]] = {}
    for item in items:
        instrument = getattr(item, "instrument", None)
        if instrument is not None and instrument.pk not in seen:
            row = plain(instrument)
            row["citation"] = {lang: cite(instrument, language=lang) for lang in LANGUAGES}
            seen[instrument.pk] = row
    return [seen[pk] for pk in sorted(seen)]


def consolidated_rows(assessment: Assessment) -> list[dict[str, Any]]:
    return [
        {
            "indicator": c.indicator.code,
            "answer": c.answer,
            "coverage": c.coverage,
            "narrative_en": c.narrative_en,
            "narrative_id": c.narrative_id,
            "evidence": sorted(e.pk for e in c.evidence.all()),
            "sources": sorted(s.pk for s in c.sources.all()),
            "version": c.version,
            "updated_by": person(c.updated_by),
            "updated_at": c.updated_at,
        }
        for c in ConsolidatedAnswer.objects.filter(assessment=assessment)
        .select_related("indicator", "updated_by")
        .prefetch_related("evidence", "sources")
    ]


def validation_sessions(assessment: Assessment) -> list[ValidationSession]:
    return list(
        ValidationSession.objects.filter(assessment=assessment)
        .select_related("recorded_by", "assessment")
        .prefetch_related("institutions", "decisions__indicator", "decisions__decided_by")
    )


def session_record(session: ValidationSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "held_on": session.held_on,
        "ends_on": session.ends_on,
        "format": session.format,
        "place": session.place,
        "participant_count": session.participant_count,
        "institutions": sorted(i.acronym for i in session.institutions.all()),
        "notes": session.notes,
        "recorded_by": person(session.recorded_by),
        "decisions": [
            {
                "indicator": d.indicator.code,
                "decision": d.decision,
                "previous_answer": d.previous_answer,
                "answer": d.answer,
                "coverage": d.coverage,
                "reason": d.reason,
                "decided_by": person(d.decided_by),
                "at": d.created_at,
            }
            for d in session.decisions.all()
        ],
    }


def snapshots(assessment: Assessment) -> list[Snapshot]:
    return list(
        Snapshot.objects.filter(assessment=assessment)
        .select_related("approved_by")
        .order_by("number")
    )
