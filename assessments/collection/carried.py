"""Writes of data collection for carried-forward drafts: a focal point confirms them.

A draft carried forward from an earlier round (setup/carry_forward.py) is unconfirmed: it
counts as blank for submission, review and progress until a focal point of its institution
saves it (collection.services.response_update confirms what it saves) or confirms it here,
one answer at a time or all of them at once.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.errors import ServiceError, StaleResponse
from assessments.history_reasons import CONFIRMED, reason_code
from assessments.models import Assessment, Response
from audit.services import Action, audit_record
from ministries.models import Institution, User


def _confirm(responses: list[Response], actor: User) -> None:
    """Mark locked, unconfirmed drafts confirmed, with one history row each."""
    now_at = timezone.now()
    for response in responses:
        response.confirmed = True
        response.version += 1
        response.updated_by = actor
        response.updated_at = now_at
    Response.objects.bulk_update(
        responses, ["confirmed", "version", "updated_by", "updated_at"], batch_size=500
    )
    Response.history.bulk_history_create(
        responses,
        update=True,
        default_user=actor,
        default_change_reason=reason_code(CONFIRMED),
        default_date=now_at,
    )
    audit_record(
        action=Action.ANSWERS_CONFIRMED,
        actor=actor,
        obj=responses[0] if len(responses) == 1 else None,
        assessment=responses[0].assessment_id,
        institution=responses[0].institution_id,
        details={"responses": [r.pk for r in responses]},
    )


@transaction.atomic
def response_confirm(*, response: Response, actor: User, version: int | None = None) -> Response:
    """Confirm one carried-forward draft as the institution's answer. With `version`, the
    draft must not have changed since it was read (else StaleResponse)."""
    locked = (
        Response.objects.select_for_update(of=("self",))
        .select_related("assessment", "indicator", "updated_by")
        .get(pk=response.pk)
    )
    if not locked.assessment.is_collecting:
        raise ServiceError(_("The assessment is not collecting answers."))
    if not locked.is_editable:
        raise ServiceError(_("This answer has been submitted and can no longer be changed."))
    if version is not None and version != locked.version:
        raise StaleResponse(locked)
    if locked.confirmed:
        raise ServiceError(_("This answer is already confirmed."))
    _confirm([locked], actor)
    return locked


@transaction.atomic
def responses_confirm_all(*, assessment: Assessment, institution: Institution, actor: User) -> int:
    """Confirm every carried-forward draft of the institution; how many were confirmed."""
    locked = Assessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    if not locked.is_collecting:
        raise ServiceError(_("The assessment is not collecting answers."))
    drafts = list(
        Response.objects.select_for_update(of=("self",))
        .filter(
            assessment=locked,
            institution=institution,
            confirmed=False,
            state__in=[Response.State.DRAFT, Response.State.RETURNED],
        )
        .order_by("pk")
    )
    if drafts:
        _confirm(drafts, actor)
    return len(drafts)
