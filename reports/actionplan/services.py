"""The action plan's writes: one service per action, for pages and API alike, each in one
transaction. Every change is kept by simple_history with who and why (reasons.py codes),
moves the plan's `changed_at` and tells the public pages' cache (freshness.public_changed).
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.collection.citations import fields_from_instrument
from assessments.collection.services import evidence_create
from assessments.errors import InvalidRequest, ServiceError
from assessments.models import Assessment, Assignment, Evidence
from audit.services import Action, audit_record
from indicators.models import GCMObjective, Indicator
from ministries.models import Institution, User

from .. import freshness
from ..models import Finding
from ..selectors import public_profiles
from . import reasons
from .models import ActionItem, ActionPlan, ProgressUpdate

# What a coordinator edits on an item (the form and the API PATCH alike).
ITEM_FIELDS = (
    "title_en",
    "title_id",
    "description_en",
    "description_id",
    "kind",
    "lead",
    "dimension",
    "sdg_subcategory",
    "start_date",
    "target_date",
    "status",
    "status_reason",
    "status_note",
    "public",
    "indicators",
)
ITEM_M2M = ("contributors", "gcm_objectives")
NEEDS_REASON = (ActionItem.Status.DELAYED, ActionItem.Status.DROPPED)


class StaleItem(ServiceError):
    """The item changed since the version the person edited; nothing was written. Carries
    the item as it stands (`current`), which the API answers with the 409."""

    def __init__(self, current: ActionItem):
        super().__init__(
            _(
                "Someone saved this action after you opened it (now version %(version)s). "
                "Nothing was saved; compare with the current version."
            )
            % {"version": current.version}
        )
        self.current = current


def _touch(plan: ActionPlan) -> None:
    """The plan changed (an item, an update): its time moves; the public cache follows only
    a published plan (public pages show no other)."""
    plan.save(update_fields=["changed_at"])
    if plan.published:
        freshness.public_changed()


def assessment_has_published_profile(assessment: Assessment) -> bool:
    return public_profiles().filter(assessment_id=assessment.pk).exists()


@transaction.atomic
def plan_get_or_create(*, assessment: Assessment, actor: User) -> ActionPlan:
    """The assessment's action plan, started now if it has none; only once its profile
    is published (409 otherwise)."""
    plan = ActionPlan.objects.filter(assessment=assessment).first()
    if plan is not None:
        return plan
    if not assessment_has_published_profile(assessment):
        raise ServiceError(_("An action plan starts once the assessment's profile is published."))
    plan = ActionPlan(assessment=assessment)
    plan._change_reason = reasons.PLAN_CREATED  # type: ignore[attr-defined]
    plan._history_user = actor  # type: ignore[attr-defined]
    plan.save()
    return plan


def _check_item(values: dict[str, Any]) -> None:
    """Every problem of the values, by field, in one error (the first one named)."""
    problems: list[tuple[str, str]] = []
    for field in ("title_en", "title_id"):
        if not str(values.get(field) or "").strip():
            problems.append((field, _("Give the title in both languages.")))
    if values.get("kind") not in ActionItem.Kind.values:
        problems.append(("kind", _("Choose the kind of action.")))
    if values.get("status") not in ActionItem.Status.values:
        problems.append(("status", _("Choose a status.")))
    if values.get("lead") is None:
        problems.append(("lead", _("Choose the lead institution.")))
    if values.get("status") in NEEDS_REASON:
        if values.get("status_reason") not in ActionItem.Reason.values:
            problems.append(("status_reason", _("Say why the action is delayed or dropped.")))
        elif values["status_reason"] == ActionItem.Reason.OTHER and not values.get("status_note"):
            problems.append(("status_note", _("Describe the other reason.")))
    start, target = values.get("start_date"), values.get("target_date")
    if start and target and target < start:
        problems.append(("target_date", _("The target date is before the start date.")))
    dimension = values.get("dimension")
    if dimension is not None and not 1 <= int(dimension) <= 6:
        problems.append(("dimension", _("The dimension is a number from 1 to 6.")))
    if problems:
        field, message = problems[0]
        raise InvalidRequest(message, field=field)


def _apply(item: ActionItem, values: dict[str, Any]) -> None:
    for field in ITEM_FIELDS:
        if field in values:
            setattr(item, field, values[field])
    if item.status not in NEEDS_REASON:
        item.status_reason = ""


def _set_m2m(item: ActionItem, values: dict[str, Any]) -> None:
    if "contributors" in values:
        item.contributors.set([i for i in values["contributors"] if i.pk != item.lead_id])
    if "gcm_objectives" in values:
        item.gcm_objectives.set(values["gcm_objectives"])


@transaction.atomic
def item_create(
    *,
    assessment: Assessment,
    actor: User,
    values: dict[str, Any],
    finding: Finding | None = None,
    reason: str = reasons.CREATED,
) -> ActionItem:
    """A new item of the assessment's plan (the plan is started if needed)."""
    plan = plan_get_or_create(assessment=assessment, actor=actor)
    values = {"status": ActionItem.Status.PLANNED, **values}
    _check_item(values)
    item = ActionItem(plan=plan, created_by=actor, updated_by=actor, finding=finding)
    _apply(item, values)
    item._change_reason = reason  # type: ignore[attr-defined]
    item._history_user = actor  # type: ignore[attr-defined]
    item.save()
    _set_m2m(item, values)
    _touch(plan)
    _item_audited(item, actor, reason, assessment.pk)
    return item


def _item_audited(item: ActionItem, actor: User, reason: str, assessment_id: int) -> None:
    audit_record(
        action=Action.ACTION_ITEM_SAVED,
        actor=actor,
        obj=item,
        assessment=assessment_id,
        institution=item.lead_id,
        details={"change": reason},
    )


def _finding_title(text: str) -> str:
    """The finding's first sentence, short enough for a title."""
    first = text.strip().split(". ")[0].rstrip(".")
    return first if len(first) <= 200 else first[:197].rstrip() + "…"


def finding_carry(finding: Finding, assessment: Assessment) -> dict[str, Any]:
    """What an item created from `finding` starts with: its texts, dimension and indicators,
    the GCM objectives the indicators inform (the framework's crosswalk), and as lead the
    institution that led the first indicator in the survey matrix."""
    codes = [str(c) for c in finding.indicators or []]
    indicators = Indicator.objects.filter(framework_id=assessment.framework_id, code__in=codes)
    objectives = GCMObjective.objects.filter(indicators__in=indicators).distinct()
    leads = Assignment.objects.filter(
        assessment=assessment, indicator__in=indicators, role=Assignment.Role.LEAD
    ).select_related("institution")
    lead_list = [a.institution for a in leads]
    contributors = {i.pk: i for i in lead_list[1:]}
    return {
        "title_en": _finding_title(finding.text_en),
        "title_id": _finding_title(finding.text_id),
        "description_en": finding.text_en,
        "description_id": finding.text_id,
        "kind": ActionItem.Kind.POLICY_LEGAL,
        "lead": lead_list[0] if lead_list else None,
        "contributors": list(contributors.values()),
        "dimension": finding.dimension,
        "indicators": codes,
        "gcm_objectives": list(objectives),
    }


@transaction.atomic
def item_create_from_finding(
    *, finding: Finding, actor: User, lead: Institution | None = None
) -> ActionItem:
    """One click from an "area with potential for further development" of the published
    profile: an item carrying its indicators, dimension and GCM objectives. Once only: a
    finding some item already comes from is refused (409), the finding's row locked so
    that two clicks at once make one item."""
    if finding.kind != Finding.Kind.FURTHER_DEVELOPMENT:
        raise ServiceError(
            _("Only an area with potential for further development becomes an action.")
        )
    list(Finding.objects.select_for_update().filter(pk=finding.pk).order_by().values("pk"))
    if ActionItem.objects.filter(finding_id=finding.pk).exists():
        raise ServiceError(_("This finding is already in the action plan."))
    assessment = finding.profile.assessment
    values = finding_carry(finding, assessment)
    if lead is not None:
        values["lead"] = lead
    if values["lead"] is None:
        raise InvalidRequest(_("Choose the lead institution."), field="lead")
    return item_create(
        assessment=assessment,
        actor=actor,
        values=values,
        finding=finding,
        reason=reasons.CREATED_FROM_FINDING,
    )


@transaction.atomic
def item_update(
    *, item: ActionItem, actor: User, version: int, values: dict[str, Any], via_api: bool = False
) -> ActionItem:
    """Change an item (assign, edit, close): refused with the current item when `version`
    is not the stored one (StaleItem, 409); nothing half-applied."""
    locked = ActionItem.objects.select_for_update().get(pk=item.pk)
    if locked.version != version:
        raise StaleItem(locked)
    status_before, target_before = locked.status, locked.target_date
    current = {f: getattr(locked, f) for f in ITEM_FIELDS}
    merged = {**current, **values}
    _check_item(merged)
    _apply(locked, merged)
    locked.version += 1
    if locked.target_date != target_before:
        locked.reminder_claimed_at = None  # a new date is reminded again (reminders.py)
    locked.updated_by = actor
    if via_api:
        reason = reasons.EDITED_API
    else:
        reason = reasons.STATUS_CHANGED if locked.status != status_before else reasons.EDITED
    locked._change_reason = reason  # type: ignore[attr-defined]
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save()
    _set_m2m(locked, values)
    _touch(locked.plan)
    _item_audited(locked, actor, reason, locked.plan.assessment_id)
    return locked


def _new_evidence(item: ActionItem, actor: User, link: dict[str, Any] | None) -> list[Evidence]:
    """A link or a citation of the register given with the update, kept in the institution's
    evidence library of the assessment like an answer's."""
    if not link:
        return []
    title = str(link.get("title") or "").strip()
    url = str(link.get("url") or "").strip()
    instrument = link.get("instrument")
    if instrument is None and not (title and url):
        raise InvalidRequest(_("A link needs a title and an address."), field="evidence_url")
    fields: dict[str, Any] = {"kind": Evidence.Kind.LINK, "title": title[:500], "url": url}
    if instrument is not None:
        fields = {
            "kind": Evidence.Kind.CITATION,
            "instrument": instrument,
            **fields_from_instrument(instrument),
            "article": str(link.get("article") or "")[:100],
        }
    evidence = Evidence.objects.create(
        assessment_id=item.plan.assessment_id,
        institution_id=actor.institution_id or 0,
        created_by=actor,
        **fields,
    )
    return [evidence]


@transaction.atomic
def update_post(
    *,
    item: ActionItem,
    actor: User,
    kind: str,
    text: str,
    language: str,
    percent: int | None = None,
    evidence: Iterable[Evidence] = (),
    link: dict[str, Any] | None = None,
    new_evidence: dict[str, Any] | None = None,
) -> ProgressUpdate:
    """A progress update (a focal point of the item's institutions) or a comment
    (facilitators, coordinators); `kind` comes from permissions.update_kind_for.
    `new_evidence` (the page's evidence form: a citation, a file, a link) goes through the
    answers' `evidence_create` into the institution's library; its ValidationError, by field,
    leaves nothing written."""
    text = (text or "").strip()
    if not text:
        raise InvalidRequest(_("Write the update."), field="text")
    if language not in ProgressUpdate.Language.values:
        raise InvalidRequest(_("Say which language the update is written in."), field="language")
    if percent is not None and not 0 <= percent <= 100:
        raise InvalidRequest(_("The percentage is between 0 and 100."), field="percent")
    given = percent is not None or link or new_evidence or list(evidence)
    if kind == ProgressUpdate.Kind.COMMENT and given:
        raise InvalidRequest(_("A comment carries no percentage or evidence."), field="percent")
    attached = [*evidence, *_new_evidence(item, actor, link)]
    if new_evidence and actor.institution is not None:  # progress: a focal point's
        attached.append(
            evidence_create(
                assessment=item.plan.assessment,
                institution=actor.institution,
                actor=actor,
                check_frozen=False,
                **new_evidence,
            )
        )
    update = ProgressUpdate(
        item=item,
        kind=kind,
        text=text,
        language=language,
        percent=percent,
        author=actor,
        institution_id=actor.institution_id if kind == ProgressUpdate.Kind.PROGRESS else None,
    )
    is_progress = kind == ProgressUpdate.Kind.PROGRESS
    update._change_reason = reasons.PROGRESS_POSTED if is_progress else reasons.COMMENT_POSTED  # type: ignore[attr-defined]
    update._history_user = actor  # type: ignore[attr-defined]
    update.save()
    update.evidence.set(attached)
    _touch(item.plan)
    audit_record(
        action=Action.ACTION_UPDATE_POSTED,
        actor=actor,
        obj=item,
        assessment=item.plan.assessment_id,
        institution=update.institution_id or item.lead_id,
        details={"kind": kind, "update": update.pk},
    )
    return update


@transaction.atomic
def plan_publish(*, plan: ActionPlan, actor: User) -> ActionPlan:
    """Show the plan's public items on the published profile's public page and in its
    data files (409 when already published)."""
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.published:
        raise ServiceError(_("The action plan is already published."))
    locked.published = True
    locked.published_at = timezone.now()
    locked.published_by = actor
    locked._change_reason = reasons.PLAN_PUBLISHED  # type: ignore[attr-defined]
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save()
    audit_record(action=Action.ACTION_PLAN_PUBLISHED, actor=actor, obj=locked)
    freshness.public_changed()
    return locked
