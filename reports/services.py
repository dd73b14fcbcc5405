"""Writes to profiles: drafting from a snapshot, findings, rendering, approval, publication.

One service per action an endpoint offers. The imports go one way, tasks → services → pdf:
this module never imports `reports.tasks` (whose tasks call the render service here); it
sends the render task by its name instead (`_send_render`).
"""

import datetime
import hashlib
import logging
from functools import partial
from typing import Any

from celery import current_app
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.errors import InvalidRequest, ServiceError
from assessments.models import Assessment
from assessments.permissions import require
from assessments.setup.services import assessment_transition
from audit.services import Action, audit_record, changed_fields
from config import text as text_rules
from config.text import field_label, text_problem
from ministries.models import User

from . import content, findings, freshness, launch, permissions, sections, selectors
from .models import Finding, Profile, ProfileRender
from .pdf import render_document

logger = logging.getLogger(__name__)

LANGUAGES = ("en", "id")
# Deliveries of one render's task that may die mid-way (worker killed) before it is failed.
MAX_RENDER_ATTEMPTS = 3
# The task that renders one PDF (reports/tasks.py), sent by name: see _send_render.
RENDER_TASK = "reports.profile_render"


def _send_render(render_id: int) -> None:
    """Send the render task of `render_id`; call it once the transaction has committed.

    By name, through Celery's registry: the task module is registered in every process
    (`ReportsConfig.ready`), so where tasks run eagerly (tests, development without Redis)
    it runs here and now, and otherwise goes to the broker. Not `send_task`, which always
    goes to the broker, eager or not.
    """
    current_app.signature(RENDER_TASK, kwargs={"render_id": render_id}).delay()


@transaction.atomic
def profile_create(
    *,
    assessment: Assessment,
    actor: User,
    correction_note: str = "",
    publication_year: int | None = None,
) -> Profile:
    """A new profile version from the latest snapshot, with findings drafted from its answers;
    its sections drafted and the previous version's context figures carried over
    (reports/sections.py). The cover's year is the publication year (default: this year, or
    the assessment's if later)."""
    snapshot = assessment.snapshots.order_by("-number").first()
    if snapshot is None or assessment.status not in (
        Assessment.Status.APPROVED,
        Assessment.Status.PUBLISHED,
    ):
        raise ServiceError(
            _("A profile is built from the approved, validated answers; approve them first.")
        )
    if assessment.profiles.filter(
        status__in=[Profile.Status.DRAFT, Profile.Status.APPROVED]
    ).exists():
        raise ServiceError(
            _("A profile version is already in preparation; finish or publish it first.")
        )
    latest = assessment.profiles.aggregate(n=Max("version"))["n"] or 0
    if latest and not correction_note.strip():
        raise ServiceError(_("Say what the new version corrects."))
    problem = text_problem(
        correction_note.strip(), text_rules.NOTE, str(field_label(Profile, "correction_note"))
    )
    if problem:
        raise InvalidRequest(problem, field="correction_note")
    profile = Profile.objects.create(
        assessment=assessment,
        snapshot=snapshot,
        version=latest + 1,
        correction_note=correction_note.strip(),
        created_by=actor,
    )
    previous = assessment.profiles.filter(version=latest).select_related("snapshot").first()
    if previous is not None:
        # A correction keeps what people wrote; findings the new answers contradict turn stale.
        findings.findings_carry_over(previous=previous, profile=profile)
    else:
        Finding.objects.bulk_create(
            [Finding(profile=profile, **item) for item in content.draft_findings(snapshot)]
        )
    sections.sections_create(profile=profile, publication_year=publication_year)
    if previous is not None:  # sections people edited replace their drafted defaults
        findings.sections_carry_over(previous=previous, profile=profile)
    audit_record(
        action=Action.PROFILE_CREATED,
        actor=actor,
        obj=profile,
        reason=profile.correction_note,
        details={"version": profile.version, "snapshot": snapshot.number},
    )
    return profile


def check_draft(profile: Profile) -> None:
    if profile.status != Profile.Status.DRAFT:
        raise ServiceError(
            _("Only a draft profile can be edited; start a new version to correct it.")
        )


@transaction.atomic
def finding_update(*, finding: Finding, actor: User, text_en: str, text_id: str) -> Finding:
    """Save a finding's texts. A text a person changed is written in its own language; a
    revised text answers what made the finding stale (reports/findings.py)."""
    check_draft(finding.profile)
    for name, text in (("text_en", text_en), ("text_id", text_id)):
        problem = text_problem(text.strip(), text_rules.FINDING, str(field_label(Finding, name)))
        if problem:
            raise InvalidRequest(problem, field=name)
    if not text_en.strip() and not text_id.strip():
        # One language may wait for its translation; approval refuses until it is written.
        raise ServiceError(
            _("Write the finding in English or in Bahasa Indonesia; both before approval.")
        )
    before = {"text_en": finding.text_en, "text_id": finding.text_id}
    finding.text_en = text_en.strip()
    finding.text_id = text_id.strip()
    revised = [
        lang for lang in LANGUAGES if getattr(finding, f"text_{lang}") != before[f"text_{lang}"]
    ]
    for lang in revised:
        setattr(finding, f"text_{lang}_language", lang)
    if revised:
        findings.finding_refresh(finding)
    finding.edited_by = actor
    finding.save()
    audit_record(
        action=Action.FINDING_UPDATED,
        actor=actor,
        obj=finding,
        assessment=finding.profile.assessment_id,
        details=changed_fields(before, {"text_en": finding.text_en, "text_id": finding.text_id}),
    )
    invalidate_renders(finding.profile)
    return finding


@transaction.atomic
def finding_delete(*, finding: Finding, actor: User) -> None:
    check_draft(finding.profile)
    profile = finding.profile
    audit_record(
        action=Action.FINDING_DELETED,
        actor=actor,
        obj=finding,
        assessment=profile.assessment_id,
        details={"text_en": finding.text_en, "text_id": finding.text_id},
    )
    finding.delete()
    invalidate_renders(profile)


def invalidate_renders(profile: Profile) -> None:
    """Edited text makes rendered PDFs out of date: render them again.

    "Queued" must mean that a task is on its way, or the page would poll forever and the
    PDF never catch up with the text: each render moved back to queued gets its task. One
    already queued has its task pending and will read the new text. A render in progress
    moved back to queued sees it when it finishes and leaves its out-of-date file unsaved.
    """
    ids = list(
        profile.renders.exclude(status=ProfileRender.Status.QUEUED).values_list("pk", flat=True)
    )
    if not ids:
        return
    ProfileRender.objects.filter(pk__in=ids).update(
        status=ProfileRender.Status.QUEUED, progress=0, error="", attempts=0
    )
    freshness.public_changed()
    for render_id in ids:
        transaction.on_commit(partial(_send_render, render_id))


@transaction.atomic
def render_request(*, profile: Profile, language: str, actor: User) -> ProfileRender:
    """Queue the PDF of one language; asking again reuses the same render row."""
    if language not in LANGUAGES:
        raise ServiceError(_("The language must be en or id."))
    if profile.status == Profile.Status.SUPERSEDED:
        raise ServiceError(_("This version has been superseded."))
    render, created = ProfileRender.objects.select_for_update().get_or_create(
        profile=profile, language=language, defaults={"requested_by": actor}
    )
    if not created:
        if render.status == ProfileRender.Status.RENDERING:
            return render
        render.status = ProfileRender.Status.QUEUED
        render.progress = 0
        render.error = ""
        render.attempts = 0  # attempts count the deliveries of this request's task
        render.requested_by = actor
        render.save()
    transaction.on_commit(partial(_send_render, render.pk))
    return render


@transaction.atomic
def assessment_render_request(
    *, assessment: Assessment, language: str, actor: User
) -> ProfileRender:
    """Queue one language of the assessment's version in preparation (the staff API's POST
    on an assessment's profiles).

    An approved assessment without any profile gets version 1 first, if the actor may create
    versions (403 otherwise); a published profile is corrected by a new version, which a
    coordinator creates on purpose (409). Version 1 and its render commit together; the task
    is sent once both are committed.
    """
    profile = selectors.current_profile(assessment)
    if profile is None:
        if assessment.profiles.exists():
            raise ServiceError(
                _("The profile is published; to correct it, a coordinator creates a new version.")
            )
        require(permissions.can_manage_profiles(actor, assessment))
        profile = profile_create(assessment=assessment, actor=actor)
    return render_request(profile=profile, language=language, actor=actor)


# What of a render the public pages' facts read (selectors.public_profile_version).
PUBLIC_RENDER_FIELDS = {"status", "finished_at", "file", "checksum"}


def _set(render_id: int, **fields: Any) -> None:
    # Outside any transaction, so the page that polls sees each step as it happens.
    ProfileRender.objects.filter(pk=render_id).update(**fields)
    if PUBLIC_RENDER_FIELDS & fields.keys():  # not for each progress step
        freshness.public_changed()


def profile_html(profile: Profile, language: str) -> str:
    with translation.override(language):
        context = content.profile_context(profile, language)
        return render_to_string("reports/pdf/profile.html", context)


def profile_render(*, render_id: int) -> ProfileRender:
    """Render one PDF. Idempotent: running it again for the same render replaces the file."""
    render = ProfileRender.objects.select_related("profile__snapshot", "profile__assessment").get(
        pk=render_id
    )
    if render.status == ProfileRender.Status.DONE and render.file:
        return render
    if render.status == ProfileRender.Status.RENDERING and render.attempts >= MAX_RENDER_ATTEMPTS:
        # Each earlier attempt died without finishing (its worker process was killed, out of
        # memory for instance) and the broker handed the task back (`reject_on_worker_lost`).
        # Stop here rather than kill workers forever; the page offers to retry.
        render_fail(
            render_id=render.pk,
            error=_("The rendering stopped without finishing %(count)s times; render it again.")
            % {"count": render.attempts},
        )
        render.refresh_from_db()
        return render
    started = timezone.now()
    _set(
        render.pk,
        status=ProfileRender.Status.RENDERING,
        progress=5,
        started_at=started,
        attempts=render.attempts + 1,
        error="",
    )
    html = profile_html(render.profile, render.language)
    _set(render.pk, progress=30)
    document = render_document(html)
    _set(render.pk, progress=80)
    name = f"mgi-profile-{render.profile.assessment_id}-v{render.profile.version}-{render.language}.pdf"
    return _store_pdf(
        render.pk, started=started, name=name, pdf=document.write_pdf(), pages=len(document.pages)
    )


def _store_pdf(
    render_id: int, *, started: datetime.datetime, name: str, pdf: bytes, pages: int
) -> ProfileRender:
    """Save the PDF of the run that began at `started` as the render's file, unless the
    render moved on meanwhile; the file of a render rendered again is replaced."""
    checksum = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        render = ProfileRender.objects.select_for_update().get(pk=render_id)
        if render.status == ProfileRender.Status.QUEUED or (
            render.status == ProfileRender.Status.RENDERING and render.started_at != started
        ):
            # The findings changed while this ran (a new task is queued with the new text),
            # or a newer run of the same render is under way: this PDF is not the latest.
            logger.info("discarded %s: out of date before it was finished", name)
            return render
        if render.file:
            render.file.delete(save=False)
        render.file.save(name, ContentFile(pdf), save=False)
        render.checksum = checksum
        render.pages = pages
        render.status = ProfileRender.Status.DONE
        render.progress = 100
        render.finished_at = timezone.now()
        render.save()
    logger.info("rendered %s (%s pages) in %.1fs", name, render.pages, render.seconds or 0)
    return render


def render_retry_later(*, render_id: int, error: str) -> None:
    """A transient error: the task will run again soon; until then the render is queued."""
    _set(render_id, status=ProfileRender.Status.QUEUED, progress=0, error=error[:2000])


def render_fail(*, render_id: int, error: str) -> None:
    _set(
        render_id,
        status=ProfileRender.Status.FAILED,
        error=error[:2000],
        finished_at=timezone.now(),
    )


def renders_requeue(*, older_than_seconds: int) -> int:
    """Send again the task of every render still queued that long after it was requested
    (and after its last run began): its task was lost with the broker's queue. A task that
    was only slow to come makes a duplicate, which is harmless: `profile_render` skips a done
    render, and of two runs only the later one stores its file (`_store_pdf`)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    ids = list(
        ProfileRender.objects.filter(status=ProfileRender.Status.QUEUED, requested_at__lt=cutoff)
        .exclude(started_at__gte=cutoff)
        .values_list("pk", flat=True)
    )
    for render_id in ids:
        _send_render(render_id)
    return len(ids)


def renders_reap(*, older_than_seconds: int) -> int:
    """Mark renders stuck in "rendering" (their worker died and the task is gone) as failed."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    reaped = ProfileRender.objects.filter(
        status=ProfileRender.Status.RENDERING, started_at__lt=cutoff
    ).update(
        status=ProfileRender.Status.FAILED,
        error=_("The rendering stopped without finishing; render it again."),
        finished_at=timezone.now(),
    )
    if reaped:
        freshness.public_changed()
    return reaped


@transaction.atomic
def profile_approve(*, profile: Profile, actor: User) -> Profile:
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    check_draft(profile)
    done = set(
        profile.renders.filter(status=ProfileRender.Status.DONE).values_list("language", flat=True)
    )
    missing = [lang for lang in LANGUAGES if lang not in done]
    if missing:
        raise ServiceError(
            _("Render and review the PDF in every language first; missing: %(languages)s.")
            % {"languages": ", ".join(missing)}
        )
    problems = findings.approval_problems(profile)
    if problems:
        raise ServiceError(" ".join([_("The texts are not ready to approve:"), *problems]))
    profile.status = Profile.Status.APPROVED
    profile.approved_by = actor
    profile.approved_at = timezone.now()
    profile.save()
    audit_record(
        action=Action.PROFILE_APPROVED,
        actor=actor,
        obj=profile,
        details={"version": profile.version},
    )
    return profile


@transaction.atomic
def profile_publish(
    *,
    profile: Profile,
    actor: User,
    embargo_until: Any = None,
    launch_date: datetime.date | None = None,
    launch_event_en: str = "",
    launch_event_id: str = "",
) -> Profile:
    """Publish now, or set the embargo date on which the periodic task will publish it; the
    launch (date, event in both languages) is recorded either way (reports/launch.py)."""
    profile = Profile.objects.select_for_update().select_related("assessment").get(pk=profile.pk)
    if profile.status != Profile.Status.APPROVED:
        raise ServiceError(_("Approve the profile before publishing it."))
    stale = findings.stale_findings_problem(profile)
    if stale:
        raise ServiceError(stale)
    now = timezone.now()
    embargoed = bool(embargo_until and embargo_until > now)
    launched = launch.launch_set(
        profile,
        launch_date=launch_date,
        event_en=launch_event_en,
        event_id=launch_event_id,
        published_on=embargo_until if embargoed else now,
    )
    audit_record(
        action=Action.PROFILE_PUBLISHED,
        actor=actor,
        obj=profile,
        details={"version": profile.version, "embargo_until": embargo_until if embargoed else None}
        | launched,
    )
    if embargoed:
        profile.embargo_until = embargo_until
        profile.published_by = actor
        profile.save()
        return profile
    profile.published_by = actor
    profile.save()
    return _publish(profile, now)


def _publish(profile: Profile, when: Any) -> Profile:
    earlier = Profile.objects.filter(
        assessment=profile.assessment, status=Profile.Status.PUBLISHED
    ).exclude(pk=profile.pk)
    earlier.update(status=Profile.Status.SUPERSEDED)  # profile.save() below: public_changed
    profile.status = Profile.Status.PUBLISHED
    profile.published_at = when
    profile.embargo_until = None
    profile.save()
    assessment = profile.assessment
    if assessment.status == Assessment.Status.APPROVED:
        assert profile.published_by is not None
        assessment_transition(
            assessment=assessment, actor=profile.published_by, to=Assessment.Status.PUBLISHED
        )
    return profile


def publish_due(*, now: Any = None) -> int:
    """Publish the approved profiles whose embargo date has come (the periodic task)."""
    now = now or timezone.now()
    count = 0
    for pk in Profile.objects.filter(
        status=Profile.Status.APPROVED, embargo_until__isnull=False, embargo_until__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            profile = Profile.objects.select_for_update().select_related("assessment").get(pk=pk)
            if profile.status == Profile.Status.APPROVED:
                if findings.stale_findings_problem(profile):  # left approved, not published
                    logger.warning("not published: stale findings in profile %s", pk)
                    continue
                _publish(profile, now)
                count += 1
    return count
