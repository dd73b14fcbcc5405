"""The profiles' Celery tasks: render one PDF, publish what the embargo releases, reap and
requeue.

Tasks call the services, never the other way round: `services` sends the render task by
its name (`services.RENDER_TASK`), and `ReportsConfig.ready` imports this module so that
the name is registered in every process.
"""

from contextlib import suppress

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import services
from .actionplan import reminders as actionplan_reminders  # noqa: F401  (its tasks)
from .actionplan import review_tasks  # noqa: F401  (the review minutes' task)
from .archive import services as archive_services

TRANSIENT = (OperationalError, InterfaceError, ConnectionError)


@shared_task(
    name=services.RENDER_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    soft_time_limit=settings.PROFILE_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.PROFILE_RENDER_TIME_LIMIT,
)
def profile_render(self, *, render_id: int) -> None:
    try:
        services.profile_render(render_id=render_id)
    except SoftTimeLimitExceeded:
        services.render_fail(
            render_id=render_id, error="The rendering took too long and was stopped."
        )
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            services.render_fail(render_id=render_id, error=f"{type(exc).__name__}: {exc}")
            return
        # Queued again, not left "rendering": a render seen rendering when its task starts
        # is one whose worker died (see services.profile_render).
        with suppress(*TRANSIENT):
            services.render_retry_later(render_id=render_id, error=f"{type(exc).__name__}: {exc}")
        raise self.retry(exc=exc, countdown=2**self.request.retries) from exc
    except Exception as exc:
        services.render_fail(render_id=render_id, error=f"{type(exc).__name__}: {exc}")
        raise


@shared_task(name="reports.publish_due", acks_late=True)
def publish_due() -> int:
    return services.publish_due()


@shared_task(name="reports.reap_stuck_renders", acks_late=True)
def reap_stuck_renders() -> int:
    """Renders whose task a lost queue dropped are queued again; those stuck rendering (their
    worker died) fail with the reason. Returns how many failed."""
    services.renders_requeue(older_than_seconds=settings.PROFILE_RENDER_REQUEUE_SECONDS)
    return services.renders_reap(older_than_seconds=settings.PROFILE_RENDER_TIME_LIMIT + 60)


@shared_task(
    name=archive_services.BUILD_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    soft_time_limit=archive_services.SOFT_TIME_LIMIT,
    time_limit=archive_services.TIME_LIMIT,
)
def round_archive_build(self, *, archive_id: int) -> None:
    """The archive of a round (reports/archive/): the same retry rules as a render's."""
    try:
        archive_services.archive_build(archive_id=archive_id)
    except SoftTimeLimitExceeded:
        archive_services.archive_fail(
            archive_id=archive_id, error="Building the archive took too long and was stopped."
        )
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            archive_services.archive_fail(
                archive_id=archive_id, error=f"{type(exc).__name__}: {exc}"
            )
            return
        with suppress(*TRANSIENT):
            archive_services.archive_retry_later(
                archive_id=archive_id, error=f"{type(exc).__name__}: {exc}"
            )
        raise self.retry(exc=exc, countdown=2**self.request.retries) from exc
    except Exception as exc:
        archive_services.archive_fail(archive_id=archive_id, error=f"{type(exc).__name__}: {exc}")
        raise
