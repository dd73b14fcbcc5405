"""Pages of the snapshots: the numbered, frozen datasets approval makes, read-only.

What a page shows comes from the snapshot's data, never from live answers; labels and
texts are put in the user's language here.
"""

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from assessments import permissions
from assessments.models import ConsolidatedAnswer, ValidationDecision, ValidationSession
from assessments.permissions import request_user as _user
from assessments.validation import selectors
from indicators.bilingual import active_language
from indicators.models import Indicator


@login_required
def snapshot_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The numbered, frozen datasets of the assessment, newest first."""
    assessment = permissions.get_validation_assessment_for_user(_user(request), pk)
    snapshots = list(selectors.snapshots_of(assessment))
    return render(
        request,
        "assessments/snapshot_list.html",
        {"assessment": assessment, "snapshots": snapshots},
    )


@login_required
def snapshot_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One snapshot, read-only, exactly as it was frozen."""
    assessment = permissions.get_validation_assessment_for_user(_user(request), pk)
    snapshot = get_object_or_404(selectors.frozen_snapshots(assessment), number=number)
    latest = selectors.latest_snapshot_number(assessment)
    context = {
        "assessment": assessment,
        "snapshot": snapshot,
        "view": snapshot_view(snapshot.data),
        "superseded_by": latest if latest and latest > number else None,
    }
    return render(request, "assessments/snapshot_detail.html", context)


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


class _Labels:
    """The choices' labels and the frozen texts, in the active language."""

    def __init__(self) -> None:
        self.lang = active_language()
        self.answers = {v: str(label) for v, label in ConsolidatedAnswer.Answer.choices}
        self.coverages = {v: str(label) for v, label in Indicator.Coverage.choices}
        self.formats = {v: str(label) for v, label in ValidationSession.Format.choices}

    def text(self, item: dict[str, Any], name: str) -> str:
        return str(item.get(f"{name}_{self.lang}") or item.get(f"{name}_en") or "")

    def answer(self, value: Any) -> str:
        return self.answers.get(value, "")


def _indicator_view(row: dict[str, Any], labels: _Labels) -> dict[str, Any]:
    return {
        "code": row.get("code", ""),
        "dimension": row.get("dimension"),
        "question": labels.text(row, "question"),
        "answer": labels.answers.get(row.get("answer", ""), row.get("answer", "")),
        "coverage": labels.coverages.get(row.get("coverage", ""), ""),
        "narrative": labels.text(row, "narrative"),
        "sources": [
            {"institution": s.get("institution", ""), "answer": labels.answer(s.get("answer", ""))}
            for s in row.get("sources", [])
        ],
        "evidence": [e.get("label") or e.get("title", "") for e in row.get("evidence", [])],
    }


def _session_view(session: dict[str, Any], labels: _Labels) -> dict[str, Any]:
    decisions = session.get("decisions", [])
    changes = [
        {
            "indicator": d.get("indicator", ""),
            "previous": labels.answer(d.get("previous_answer", "")),
            "answer": labels.answer(d.get("answer", "")),
            "reason": d.get("reason", ""),
        }
        for d in decisions
        if d.get("decision") == ValidationDecision.Decision.CHANGED
    ]
    return {
        "held_on": _date(session.get("held_on")),
        "ends_on": _date(session.get("ends_on")),
        "format": labels.formats.get(session.get("format", ""), session.get("format", "")),
        "place": session.get("place", ""),
        "participant_count": session.get("participant_count"),
        "institutions": session.get("institutions", []),
        "confirmed": len(decisions) - len(changes),
        "changes": changes,
    }


def snapshot_view(data: dict[str, Any]) -> dict[str, Any]:
    """The frozen data, with labels and texts in the active language, for the page."""
    labels = _Labels()
    return {
        "title": labels.text(data.get("assessment", {}), "title"),
        "institutions": data.get("institutions", []),
        "indicators": [_indicator_view(row, labels) for row in data.get("indicators", [])],
        "sessions": [_session_view(s, labels) for s in data.get("validation", [])],
    }
