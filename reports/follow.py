"""Profile versions in preparation follow the validated answers.

When approval takes a new snapshot (validation reopened and the answers approved again),
each draft or approved version of the assessment is moved onto it rather than left on the
snapshot it was drafted from: its findings keep what people wrote and turn stale where the
new answers differ from what they rest on (as `findings.findings_mark_stale` does while the
answers change), findings are drafted for changed indicators no finding rests on (as
`findings.findings_carry_over` does for a new version), the sections nobody edited are
drafted again from it, and its PDFs are rendered again. An approved version returns to
draft, its embargo cleared: what was approved rested on the earlier snapshot. A system act: the findings' flags are audited without a person.

Connected by ReportsConfig.ready to `assessments.validation.services.snapshot_approved`.
"""

from typing import Any

from django.db import transaction

from assessments.models import Snapshot
from audit.services import Action, audit_record

from . import findings, sections
from .content import draft_findings
from .models import Finding, Profile, ProfileSection
from .services import invalidate_renders


@transaction.atomic
def profiles_follow_snapshot(*, snapshot: Snapshot) -> list[Profile]:
    """Move the assessment's versions in preparation onto `snapshot`; those moved."""
    preparing = list(
        Profile.objects.select_for_update(of=("self",))
        .filter(assessment_id=snapshot.assessment_id, status__in=findings.UNPUBLISHED)
        .exclude(snapshot=snapshot)
        .select_related("snapshot")
        .order_by("version")
    )
    answers = findings.snapshot_answers(snapshot.data)
    for profile in preparing:
        _follow(profile, snapshot, answers)
    return preparing


def _follow(profile: Profile, snapshot: Snapshot, answers: dict[str, str]) -> None:
    old = findings.snapshot_answers(profile.snapshot.data)
    items = list(profile.findings.all())
    for finding in items:
        finding.basis = findings.basis_of(finding, old)  # read from the old snapshot, kept
        if findings.restate_all(finding, answers):
            audit_record(
                action=Action.FINDING_UPDATED,
                obj=finding,
                assessment=profile.assessment_id,
                details={"stale": finding.stale, "stale_changes": finding.stale_changes},
            )
    Finding.objects.bulk_update(items, ["basis", "stale", "stale_changes"])
    covered = {code for f in items for code in f.basis}
    changed = {code for code in answers if answers[code] != old.get(code)}
    Finding.objects.bulk_create(
        [
            Finding(profile=profile, **item)
            for item in draft_findings(snapshot)
            if set(item["indicators"]) & changed and not set(item["indicators"]) & covered
        ]
    )
    profile.snapshot = snapshot
    if profile.status == Profile.Status.APPROVED:
        profile.status = Profile.Status.DRAFT
        profile.approved_by = None
        profile.approved_at = None
        profile.embargo_until = None
        profile.published_by = None
    profile.save()
    _redraft_sections(profile)
    invalidate_renders(profile)


def _redraft_sections(profile: Profile) -> None:
    """The sections nobody edited are drafted again (their counts and dataset number are
    the snapshot's); those people edited stay as they wrote them."""
    unedited = profile.sections.filter(edited_by__isnull=True)
    keys = set(unedited.values_list("key", "dimension"))
    unedited.delete()
    drafted = sections.draft_sections(profile, list(profile.findings.all()))
    ProfileSection.objects.bulk_create([s for s in drafted if (s.key, s.dimension) in keys])


def _on_snapshot_approved(sender: Any, *, snapshot: Snapshot, **kwargs: Any) -> None:
    profiles_follow_snapshot(snapshot=snapshot)


def connect() -> None:
    """Called by ReportsConfig.ready."""
    from assessments.validation.services import snapshot_approved

    snapshot_approved.connect(_on_snapshot_approved, dispatch_uid="reports-follow-snapshot")
