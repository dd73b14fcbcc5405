"""Writes of the round archive: request one, build it (the Celery task's service), fail it,
and record its download.

The imports go one way, tasks → services → build, as for profile renders: this module sends
the build task by its name (`BUILD_TASK`) and never imports `reports.tasks`.
"""

import datetime
import logging
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from celery import current_app
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.errors import ServiceError
from assessments.models import Assessment
from audit.services import Action, audit_record
from config.backup import file_sha256
from ministries.models import User

from ..models import RoundArchive
from . import build

logger = logging.getLogger(__name__)

BUILD_TASK = "reports.round_archive_build"
# The task is stopped after these many seconds (a national round with every evidence file
# and its PDFs re-rendered takes minutes, not half an hour).
SOFT_TIME_LIMIT = 30 * 60
TIME_LIMIT = SOFT_TIME_LIMIT + 120
# Deliveries of one build that may die mid-way (worker killed) before it is failed.
MAX_ATTEMPTS = 3
READY = (Assessment.Status.APPROVED, Assessment.Status.PUBLISHED)
PENDING = (RoundArchive.Status.QUEUED, RoundArchive.Status.RUNNING)


def _send_build(archive_id: int) -> None:
    """Send the build task by name through Celery's registry (eager where tasks are)."""
    current_app.signature(BUILD_TASK, kwargs={"archive_id": archive_id}).delay()


def archive_filename(archive: RoundArchive) -> str:
    return f"{build.bag_name(archive.assessment)}-{archive.pk}.zip"


@transaction.atomic
def archive_request(*, assessment: Assessment, actor: User) -> RoundArchive:
    """Queue the archive of an approved or published round; asking again while one is
    queued or being built gives that one. A pending one older than the task's time limit
    (its worker died, its task lost) is failed first, so it never blocks a new request."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status not in READY:
        raise ServiceError(
            _("The archive of a round is made once its validated answers are approved.")
        )
    cutoff = timezone.now() - datetime.timedelta(seconds=TIME_LIMIT + 60)
    stale = assessment.archives.filter(status__in=PENDING, requested_at__lt=cutoff)
    stale.update(
        status=RoundArchive.Status.FAILED,
        error=_("The archive stopped without finishing; ask for it again."),
        finished_at=timezone.now(),
    )
    pending = assessment.archives.filter(status__in=PENDING).first()
    if pending is not None:
        return pending
    archive = RoundArchive.objects.create(assessment=assessment, requested_by=actor)
    audit_record(action=Action.ARCHIVE_REQUESTED, actor=actor, obj=archive)
    transaction.on_commit(partial(_send_build, archive.pk))
    return archive


def _set(archive_id: int, **fields: Any) -> None:
    # Outside any transaction, so the page that polls sees each step as it happens.
    RoundArchive.objects.filter(pk=archive_id).update(**fields)


def archive_build(*, archive_id: int) -> RoundArchive:
    """Build the archive. Idempotent: a finished archive is left as it is; a build that
    died is run again, up to MAX_ATTEMPTS deliveries."""
    archive = RoundArchive.objects.select_related(
        "assessment__framework", "assessment__province", "requested_by"
    ).get(pk=archive_id)
    if archive.status in (RoundArchive.Status.DONE, RoundArchive.Status.FAILED):
        return archive
    if archive.status == RoundArchive.Status.RUNNING and archive.attempts >= MAX_ATTEMPTS:
        archive_fail(
            archive_id=archive.pk,
            error=_("The archive stopped without finishing %(count)s times; ask for it again.")
            % {"count": archive.attempts},
        )
        archive.refresh_from_db()
        return archive
    started = timezone.now()
    _set(
        archive.pk,
        status=RoundArchive.Status.RUNNING,
        started_at=started,
        attempts=archive.attempts + 1,
        error="",
    )
    with tempfile.TemporaryDirectory(prefix="mgi-archive-") as work:
        zip_path, count = build.build_archive(
            archive.assessment,
            work_dir=Path(work),
            archive_id=archive.pk,
            requested_by=archive.requested_by,
        )
        return _store(archive, zip_path, started=started, file_count=count)


def _store(
    archive: RoundArchive, zip_path: Path, *, started: datetime.datetime, file_count: int
) -> RoundArchive:
    """Keep the zip as the archive's file (copied into the storage in chunks), unless
    another run of the same archive started meanwhile."""
    checksum = file_sha256(zip_path)
    with transaction.atomic():
        row = RoundArchive.objects.select_for_update().get(pk=archive.pk)
        if row.status != RoundArchive.Status.RUNNING or row.started_at != started:
            logger.info("discarded archive %s: another run took it over", archive.pk)
            return row
        with zip_path.open("rb") as handle:
            row.file.save(archive_filename(archive), File(handle), save=False)
        row.checksum = checksum
        row.size = zip_path.stat().st_size
        row.file_count = file_count
        row.status = RoundArchive.Status.DONE
        row.finished_at = timezone.now()
        row.save()
    logger.info(
        "archive %s: %s files, %s bytes in %.1fs", row.pk, file_count, row.size, row.seconds
    )
    return row


def archive_retry_later(*, archive_id: int, error: str) -> None:
    """A transient error: the task will run again soon; until then the archive is queued."""
    _set(archive_id, status=RoundArchive.Status.QUEUED, error=error[:2000])


def archive_fail(*, archive_id: int, error: str) -> None:
    _set(
        archive_id,
        status=RoundArchive.Status.FAILED,
        error=error[:2000],
        finished_at=timezone.now(),
    )


def archive_downloaded(*, archive: RoundArchive, actor: User) -> None:
    """The download is an event of the audit trail (who took a copy of the whole round)."""
    audit_record(
        action=Action.ARCHIVE_DOWNLOADED,
        actor=actor,
        obj=archive,
        details={"checksum": archive.checksum, "size": archive.size},
    )
