"""The profiles' Celery tasks: render one PDF, publish what the embargo releases, reap.

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
    return services.renders_reap(older_than_seconds=settings.PROFILE_RENDER_TIME_LIMIT + 60)
