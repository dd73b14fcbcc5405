"""The frozen, numbered dataset a profile is built from."""

from typing import Any

from django.db import transaction
from django.db.models import Max, Prefetch

from indicators.models import Indicator
from ministries.models import User

from ..models import Assessment, AssessmentStatusChange, ConsolidatedAnswer, Response, Snapshot


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
    }


def snapshot_data(assessment: Assessment) -> dict[str, Any]:
    """Everything a profile needs, as plain JSON: it must not change when live data does."""
    consolidated = {
        c.indicator_id: c
        for c in ConsolidatedAnswer.objects.filter(assessment=assessment).prefetch_related(
            "evidence",
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
                "evidence": [_evidence(e) for e in c.evidence.all()] if c else [],
                "sources": [
                    {"institution": r.institution.acronym, "answer": r.answer}
                    for r in (c.sources.all() if c else [])
                ],
                "gcm": [o.number for o in indicator.gcm_objectives.all()],
                "sdg": [s.code for s in indicator.sdg_subcategories.all()],
            }
        )
    changes = list(
        AssessmentStatusChange.objects.filter(assessment=assessment).order_by("created_at")
    )

    def first(to: str) -> str | None:
        return next((c.created_at.isoformat() for c in changes if c.to_status == to), None)

    def last(frm: str) -> str | None:
        return next(
            (c.created_at.isoformat() for c in reversed(changes) if c.from_status == frm), None
        )

    sessions = [
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
    institutions = sorted(
        set(
            Response.objects.filter(assessment=assessment).values_list(
                "institution__acronym", flat=True
            )
        )
    )
    return {
        "assessment": {
            "id": assessment.pk,
            "title_en": assessment.title_en,
            "title_id": assessment.title_id,
            "scope": assessment.scope,
            "province": assessment.province.code if assessment.province else None,
            "province_en": assessment.province.name_en if assessment.province else None,
            "province_id": assessment.province.name_id if assessment.province else None,
            "year": assessment.year,
            "round": assessment.round,
            "framework": assessment.framework.code,
            "previous": assessment.previous_id,
            "is_demo": assessment.is_demo,
        },
        "institutions": institutions,
        "data_collection": {"opened": first("data_collection"), "closed": last("data_collection")},
        "validation": sessions,
        "indicators": rows,
    }


@transaction.atomic
def snapshot_create(*, assessment: Assessment, actor: User) -> Snapshot:
    number = (
        Snapshot.objects.filter(assessment=assessment).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    return Snapshot.objects.create(
        assessment=assessment, number=number, data=snapshot_data(assessment), approved_by=actor
    )
