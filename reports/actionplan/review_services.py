"""Writes of the steering committee reviews: record a review (its snapshot frozen), set its
decisions and minutes (409 on a stale version), ask for its PDF minutes and render them (the
Celery task's service). One service per action, for pages and API alike.

The imports go one way, tasks → services → minutes, as for profile renders: this module
sends the render task by its name (`MINUTES_TASK`) and never imports a tasks module.
"""

import datetime
import hashlib
import logging
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from celery import current_app
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessments.errors import InvalidRequest, ServiceError
from audit.services import Action, audit_record
from config import text as text_rules
from ministries.models import Institution, User

from . import review_minutes
from .models import ActionItem, ActionPlan, ProgressUpdate
from .review_models import ReviewDecision, ReviewMinutesFile, SteeringReview

logger = logging.getLogger(__name__)

MINUTES_TASK = "reports.review_minutes_render"
LANGUAGES = ("en", "id")
CHAIR_LENGTH = 300
MAX_ATTEMPTS = 3
# Audited as `Action.STEERING_REVIEW_SAVED`, `details["change"]` saying which change.
REVIEW_CREATED = "steering_review_created"
REVIEW_DECIDED = "steering_review_decided"


class StaleReview(ServiceError):
    """The review changed since the version the person edited; nothing was written. Carries
    the review as it stands (`current`), which the API answers with the 409."""

    def __init__(self, current: SteeringReview):
        super().__init__(
            _(
                "Someone saved this review after you opened it (now version %(version)s). "
                "Nothing was saved; reload the page to see the current decisions."
            )
            % {"version": current.version}
        )
        self.current = current


def _send_minutes(file_id: int) -> None:
    """Send the render task by name through Celery's registry (eager where tasks are)."""
    current_app.signature(MINUTES_TASK, kwargs={"file_id": file_id}).delay()


def _latest_percents(plan: ActionPlan) -> dict[int, int]:
    """Each item's latest progress percentage (items without one are left out)."""
    rows = (
        ProgressUpdate.objects.filter(
            item__plan=plan, kind=ProgressUpdate.Kind.PROGRESS, percent__isnull=False
        )
        .order_by("item_id", "-created_at", "-pk")
        .values_list("item_id", "percent")
    )
    latest: dict[int, int] = {}
    for item_id, percent in rows:
        if percent is not None:
            latest.setdefault(item_id, percent)
    return latest


def snapshot_of(plan: ActionPlan) -> dict[str, Any]:
    """The plan's items as they stand: codes and both languages' names, never labels (the
    pages show the codes in the reader's language). Three queries."""
    items = (
        ActionItem.objects.filter(plan=plan)
        .select_related("lead")
        .prefetch_related("gcm_objectives")
        .order_by("target_date", "pk")
    )
    percents = _latest_percents(plan)
    return {
        "taken_at": timezone.now().isoformat(),
        "items": [
            {
                "id": item.pk,
                "title_en": item.title_en,
                "title_id": item.title_id,
                "kind": item.kind,
                "status": item.status,
                "status_reason": item.status_reason,
                "lead": item.lead.acronym,
                "lead_name_en": item.lead.name_en,
                "lead_name_id": item.lead.name_id,
                "target_date": item.target_date.isoformat() if item.target_date else None,
                "percent": percents.get(item.pk),
                "gcm": sorted(o.number for o in item.gcm_objectives.all()),
                "indicators": [str(code) for code in item.indicators or []],
            }
            for item in items
        ],
    }


def _check_text(field: str, value: str, limit: int, label: str) -> None:
    problem = text_rules.text_problem(value, limit, label)
    if problem:
        raise InvalidRequest(problem, field=field)


def _check_review(
    held_on: Any, chair: str, participants: list[Institution], minutes_en: str, minutes_id: str
) -> None:
    if not isinstance(held_on, datetime.date):
        raise InvalidRequest(_("Give the date of the meeting."), field="held_on")
    if held_on > timezone.localdate():
        raise InvalidRequest(_("The meeting cannot be in the future."), field="held_on")
    if not chair.strip():
        raise InvalidRequest(_("Say who chaired the meeting."), field="chair")
    _check_text("chair", chair, CHAIR_LENGTH, _("Chaired by"))
    if not participants:
        raise InvalidRequest(_("Choose the institutions present."), field="participants")
    _check_text("minutes_en", minutes_en, text_rules.MINUTES, _("Minutes (English)"))
    _check_text("minutes_id", minutes_id, text_rules.MINUTES, _("Minutes (Indonesian)"))


@transaction.atomic
def review_create(
    *,
    plan: ActionPlan,
    held_on: datetime.date,
    chair: str,
    participants: Iterable[Institution],
    minutes_en: str = "",
    minutes_id: str = "",
    actor: User,
) -> SteeringReview:
    """Record a meeting of the steering committee: the plan's items are frozen in its
    snapshot as they stand now, each with a decision row left blank until it is set."""
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    chair = (chair or "").strip()
    institutions = list(participants)
    _check_review(held_on, chair, institutions, minutes_en or "", minutes_id or "")
    snapshot = snapshot_of(plan)
    if not snapshot["items"]:
        raise ServiceError(_("The action plan has no action to review yet."))
    review = SteeringReview(
        plan=plan,
        held_on=held_on,
        chair=chair,
        minutes_en=minutes_en or "",
        minutes_id=minutes_id or "",
        snapshot=snapshot,
        created_by=actor,
        updated_by=actor,
    )
    review._history_user = actor  # type: ignore[attr-defined]
    review.save()
    review.participants.set(institutions)
    bulk_create_with_history(
        [
            ReviewDecision(review=review, item_id=row["id"], item_key=row["id"])
            for row in snapshot["items"]
        ],
        ReviewDecision,
        default_user=actor,
    )
    _audited(review, actor, REVIEW_CREATED)
    return review


def _audited(review: SteeringReview, actor: User, change: str) -> None:
    audit_record(
        action=Action.STEERING_REVIEW_SAVED,
        actor=actor,
        obj=review,
        assessment=review.plan.assessment_id,
        details={"change": change, "review": review.pk, "version": review.version},
    )


def _check_decisions(
    review: SteeringReview, decisions: Mapping[int, tuple[str, str]]
) -> dict[int, ReviewDecision]:
    """The decision rows to change, every value checked first (nothing half-applied)."""
    rows = {d.item_key: d for d in review.decisions.all()}
    unknown = sorted(set(decisions) - set(rows))
    if unknown:
        raise InvalidRequest(
            _("These actions are not in the review's snapshot: %(ids)s.")
            % {"ids": ", ".join(str(i) for i in unknown)},
            field="decisions",
        )
    for key, (decision, note) in decisions.items():
        if decision and decision not in ReviewDecision.Decision.values:
            raise InvalidRequest(
                _("Unknown decision for action %(id)s: choose on track, needs attention or "
                  "re-planned.") % {"id": key},
                field="decisions",
            )  # fmt: skip
        _check_text("decisions", note or "", text_rules.NOTE, _("Note"))
    return rows


@transaction.atomic
def review_decide(
    *,
    review: SteeringReview,
    decisions: Mapping[int, tuple[str, str]],
    version: int,
    actor: User,
    minutes_en: str | None = None,
    minutes_id: str | None = None,
) -> SteeringReview:
    """Set the decisions (`{item id: (decision code or "", note)}`) and, if given, the
    minutes. Refused with the review as it stands when `version` is stale (StaleReview)."""
    locked = SteeringReview.objects.select_for_update().get(pk=review.pk)
    if locked.version != version:
        raise StaleReview(locked)
    rows = _check_decisions(locked, decisions)
    for field, value in (("minutes_en", minutes_en), ("minutes_id", minutes_id)):
        if value is not None:
            label = _("Minutes (English)") if field == "minutes_en" else _("Minutes (Indonesian)")
            _check_text(field, value, text_rules.MINUTES, label)
            setattr(locked, field, value)
    for key, (decision, note) in decisions.items():
        row = rows[key]
        if (row.decision, row.note) != (decision or "", note or ""):
            row.decision, row.note = decision or "", note or ""
            row._history_user = actor  # type: ignore[attr-defined]
            row.save(update_fields=["decision", "note"])
    locked.version += 1
    locked.updated_by = actor
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save()
    _audited(locked, actor, REVIEW_DECIDED)
    return locked


@transaction.atomic
def review_minutes_request(
    *, review: SteeringReview, language: str, actor: User
) -> ReviewMinutesFile:
    """Queue the PDF minutes in one language; asking again while one is queued or being
    rendered gives that one (no second task), unless it has waited longer than the task may
    run (its task or worker lost: `ReviewMinutesFile.pending`)."""
    if language not in LANGUAGES:
        raise InvalidRequest(_("The language must be en or id."), field="language")
    review = SteeringReview.objects.select_for_update().get(pk=review.pk)
    row, created = ReviewMinutesFile.objects.select_for_update().get_or_create(
        review=review,
        language=language,
        defaults={"requested_by": actor, "review_version": review.version},
    )
    if not created:
        if row.pending:
            return row
        row.status = ReviewMinutesFile.Status.QUEUED
        row.error = ""
        row.attempts = 0
        row.review_version = review.version
        row.requested_by = actor
        row.requested_at = timezone.now()
        row.started_at = None
        row.save()
    transaction.on_commit(partial(_send_minutes, row.pk))
    return row


def _set(file_id: int, **fields: Any) -> None:
    # Outside any transaction, so the page that polls sees each step as it happens.
    ReviewMinutesFile.objects.filter(pk=file_id).update(**fields)


def review_minutes_render(*, file_id: int) -> ReviewMinutesFile:
    """Render the PDF. Idempotent: a finished file is left as it is; a run that died is run
    again up to MAX_ATTEMPTS deliveries; of two runs only the later one stores its file."""
    row = ReviewMinutesFile.objects.select_related("review__plan__assessment").get(pk=file_id)
    if row.status == ReviewMinutesFile.Status.DONE and row.file:
        return row
    if row.status == ReviewMinutesFile.Status.RENDERING and row.attempts >= MAX_ATTEMPTS:
        review_minutes_fail(
            file_id=row.pk,
            error=_("The rendering stopped without finishing %(count)s times; render it again.")
            % {"count": row.attempts},
        )
        row.refresh_from_db()
        return row
    started = timezone.now()
    _set(
        row.pk,
        status=ReviewMinutesFile.Status.RENDERING,
        started_at=started,
        attempts=row.attempts + 1,
        error="",
    )
    pdf = review_minutes.minutes_pdf(row.review, row.language)
    with transaction.atomic():
        locked = ReviewMinutesFile.objects.select_for_update().get(pk=row.pk)
        if locked.status != ReviewMinutesFile.Status.RENDERING or locked.started_at != started:
            logger.info("discarded review minutes %s: another run took it over", row.pk)
            return locked
        if locked.file:
            locked.file.delete(save=False)
        locked.file.save(review_minutes.minutes_filename(row.review, row.language, "pdf"),
                         ContentFile(pdf), save=False)  # fmt: skip
        locked.review_version = row.review.version
        locked.checksum = hashlib.sha256(pdf).hexdigest()
        locked.status = ReviewMinutesFile.Status.DONE
        locked.finished_at = timezone.now()
        locked.save()
    return locked


def review_minutes_retry_later(*, file_id: int, error: str) -> None:
    """A transient error: the task will run again soon; until then the file is queued."""
    _set(file_id, status=ReviewMinutesFile.Status.QUEUED, error=error[:2000])


def review_minutes_fail(*, file_id: int, error: str) -> None:
    _set(
        file_id,
        status=ReviewMinutesFile.Status.FAILED,
        error=error[:2000],
        finished_at=timezone.now(),
    )
