"""The profiles' Celery tasks: render one PDF, publish what the embargo releases, reap and
requeue.

Tasks call the services, never the other way round: `services` sends the render task by
its name (`services.RENDER_TASK`), and `ReportsConfig.ready` imports this module so that
the name is registered in every process.
"""

from celery import shared_task
from django.conf import settings

from . import services
from .actionplan import reminders as actionplan_reminders  # noqa: F401  (its tasks)
from .actionplan import review_tasks  # noqa: F401  (the review minutes' task)
from .archive import services as archive_services
from .retries import run_with_retries


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
    run_with_retries(
        self,
        lambda: services.profile_render(render_id=render_id),
        fail=lambda error: services.render_fail(render_id=render_id, error=error),
        retry_later=lambda error: services.render_retry_later(render_id=render_id, error=error),
        too_long="The rendering took too long and was stopped.",
    )


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
    run_with_retries(
        self,
        lambda: archive_services.archive_build(archive_id=archive_id),
        fail=lambda error: archive_services.archive_fail(archive_id=archive_id, error=error),
        retry_later=lambda error: archive_services.archive_retry_later(
            archive_id=archive_id, error=error
        ),
        too_long="Building the archive took too long and was stopped.",
    )
