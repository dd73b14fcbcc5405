"""Nothing lost without consent: a survey-matrix change that would remove a response
holding content (an answer, a justification, evidence, comments, a review, "nothing to
add") is refused, naming each such response, unless the coordinator gives a reason. The
removed response then leaves a history row with that reason (REMOVED_FROM_MATRIX) and an
audit event keeping its evidence links and comments, from which `response_restore` brings
it back once the cell is assigned again.
"""

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from assessments.errors import ServiceError
from assessments.history_reasons import REMOVED_FROM_MATRIX, RESTORED, reason_code
from assessments.models import Assessment, Assignment, Evidence, Response, ResponseComment
from audit.models import AuditEvent
from audit.services import Action, audit_record
from indicators.models import Indicator
from ministries.models import Institution, User

RESTORED_FIELDS = [
    "answer",
    "coverage",
    "justification",
    "nothing_to_add",
    "confirmed",
    "state",
    "review_state",
    "reviewed_by_id",
    "reviewed_at",
]


class RemovalRefused(ServiceError):
    """The change would remove responses holding content; `names` says which."""

    def __init__(self, responses: list[Response]):
        self.names = [f"{r.indicator.code} ({r.institution.acronym})" for r in responses]
        super().__init__(
            _(
                "These responses hold content that the change would remove: %(names)s. "
                "Give a reason to remove them anyway; their content stays in the history."
            )
            % {"names": ", ".join(self.names)}
        )


def has_content() -> Q:
    """Responses holding anything a person wrote or decided."""
    evidence = Response.evidence.through.objects.filter(response_id=OuterRef("pk"))
    comments = ResponseComment.objects.filter(response_id=OuterRef("pk"))
    return (
        ~Q(answer="")
        | ~Q(justification="")
        | Q(nothing_to_add=True)
        | ~Q(review_state=Response.ReviewState.PENDING)
        | Q(Exists(evidence))
        | Q(Exists(comments))
    )


def responses_with_content(assessment: Assessment, keys: list[tuple[int, int]]) -> list[Response]:
    """The responses of the (indicator_id, institution_id) cells `keys` that hold content."""
    if not keys:
        return []
    cells = Q()
    for indicator_id, institution_id in keys:
        cells |= Q(indicator_id=indicator_id, institution_id=institution_id)
    return list(
        Response.objects.filter(cells, assessment=assessment)
        .filter(has_content())
        .select_related("indicator", "institution")
        .order_by("indicator__order", "institution__acronym")
    )


def cell_changes(before: dict[Any, str], wanted: dict[Any, str]) -> list[dict[str, Any]]:
    """The cells whose role changes, by indicator code and institution acronym (audit)."""
    keys = [k for k, role in wanted.items() if before.get(k, "") != role]
    if not keys:
        return []
    codes = dict(Indicator.objects.filter(pk__in={k[0] for k in keys}).values_list("pk", "code"))
    acronyms = dict(
        Institution.objects.filter(pk__in={k[1] for k in keys}).values_list("pk", "acronym")
    )
    return [
        {
            "indicator": codes.get(k[0], k[0]),
            "institution": acronyms.get(k[1], k[1]),
            "before": before.get(k, ""),
            "after": wanted[k],
        }
        for k in sorted(keys)
    ]


def _kept(response: Response) -> dict[str, Any]:
    """What the history row does not keep by itself: evidence links and the comments."""
    return {
        "indicator_id": response.indicator_id,
        "institution_id": response.institution_id,
        "answer": response.answer,
        "justification": response.justification,
        "evidence": list(response.evidence.values_list("pk", flat=True)),
        "comments": [
            {
                "author_id": c.author_id,
                "kind": c.kind,
                "body": c.body,
                "created_at": c.created_at.isoformat(),
            }
            for c in response.comments.order_by("created_at", "pk")
        ],
    }


def responses_remove(*, responses: list[Response], actor: User, reason: str) -> None:
    """Delete responses holding content, each leaving a history row with `reason` and an
    audit event with what the history row does not keep."""
    for response in responses:
        audit_record(
            action=Action.RESPONSE_REMOVED,
            actor=actor,
            obj=response,
            reason=reason,
            details=_kept(response),
        )
        response._change_reason = reason_code(REMOVED_FROM_MATRIX, reason=reason)  # type: ignore[attr-defined]
        response.delete()


@transaction.atomic
def response_restore(*, event: AuditEvent, actor: User) -> Response:
    """Bring back the response whose removal `event` recorded: its fields from its last
    history row, its evidence links (those that still exist) and its comments. The cell
    must be assigned again, and the response it now has must still be empty."""
    details = event.details
    if event.action != Action.RESPONSE_REMOVED or event.assessment_id is None:
        raise ServiceError(_("No removed response of this cell is kept to restore."))
    key = {
        "assessment_id": event.assessment_id,
        "indicator_id": details["indicator_id"],
        "institution_id": details["institution_id"],
    }
    if not Assignment.objects.filter(**key).exists():
        raise ServiceError(_("Assign this cell in the survey matrix again before restoring."))
    response = Response.objects.select_for_update().get(**key)
    if Response.objects.filter(pk=response.pk).filter(has_content()).exists():
        raise ServiceError(_("The response of this cell holds content already; nothing restored."))
    last = Response.history.filter(id=int(event.object_id)).order_by("-history_date").first()
    if last is None:
        raise ServiceError(_("No removed response of this cell is kept to restore."))
    for name in RESTORED_FIELDS:
        setattr(response, name, getattr(last, name))
    response.updated_by = actor
    response.version += 1
    response._change_reason = reason_code(RESTORED)  # type: ignore[attr-defined]
    response.save()
    existing = Evidence.objects.filter(pk__in=details.get("evidence", [])).values_list(
        "pk", flat=True
    )
    response.evidence.set(list(existing))
    for comment in details.get("comments", []):
        made = ResponseComment.objects.create(
            response=response,
            author_id=comment["author_id"],
            kind=comment["kind"],
            body=comment["body"],
        )
        ResponseComment.objects.filter(pk=made.pk).update(created_at=comment["created_at"])
    audit_record(
        action=Action.RESPONSE_RESTORED, actor=actor, obj=response, details={"from_event": event.pk}
    )
    return response
