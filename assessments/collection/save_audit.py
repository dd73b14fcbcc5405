"""The audit event of a save of answers (`services.responses_update_bulk`: one answer in the
browser or the API, or a whole answers-workbook import): one event per save, with each
answer's indicator and what changed, before and after, and the evidence it now cites."""

from typing import Any

from assessments.collection.claims import ResponseChange
from assessments.models import Response
from audit.services import Action, audit_record, changed_fields
from ministries.models import User

# The fields of an answer a save changes, as the audit compares them.
AUDITED_FIELDS = ("answer", "coverage", "justification", "nothing_to_add")


def saved_values(response: Response) -> dict[str, Any]:
    return {name: getattr(response, name) for name in AUDITED_FIELDS}


def _indicator_code(response: Response) -> Any:
    """The indicator's code when loaded with the answer (a save), else its id (no query)."""
    loaded = Response.indicator.is_cached(response)
    return response.indicator.code if loaded else response.indicator_id


def audit_saves(
    changes: list[ResponseChange], before: dict[int, dict[str, Any]], *, actor: User, reason: str
) -> None:
    """One audit event for the save; `before` holds each answer's `saved_values` before it."""
    responses = [c.response for c in changes]
    audit_record(
        action=Action.ANSWERS_SAVED,
        actor=actor,
        obj=responses[0] if len(responses) == 1 else None,
        assessment=responses[0].assessment_id,
        institution=responses[0].institution_id,
        reason=reason,
        details={
            "answers": [
                {
                    "response": c.response.pk,
                    "indicator": _indicator_code(c.response),
                    "changes": changed_fields(before[c.response.pk], saved_values(c.response)),
                    **({"evidence": [e.pk for e in c.evidence]} if c.evidence is not None else {}),
                }
                for c in changes
            ]
        },
    )
