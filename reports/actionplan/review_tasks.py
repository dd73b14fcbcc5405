"""The Celery task of the steering committee reviews: render the PDF minutes in one language.
Registered in every process through reports/tasks.py (imported by `ReportsConfig.ready`);
the services send it by its name (review_services.MINUTES_TASK)."""

from contextlib import suppress

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import review_services

TRANSIENT = (OperationalError, InterfaceError, ConnectionError)


@shared_task(
    name=review_services.MINUTES_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    soft_time_limit=settings.PROFILE_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.PROFILE_RENDER_TIME_LIMIT,
)
def review_minutes_render(self, *, file_id: int) -> None:
    """The same retry rules as a profile render's (reports/tasks.py)."""
    try:
        review_services.review_minutes_render(file_id=file_id)
    except SoftTimeLimitExceeded:
        review_services.review_minutes_fail(
            file_id=file_id, error="The rendering took too long and was stopped."
        )
    except TRANSIENT as exc:
        error = f"{type(exc).__name__}: {exc}"
        if self.request.retries >= self.max_retries:
            review_services.review_minutes_fail(file_id=file_id, error=error)
            return
        with suppress(*TRANSIENT):
            review_services.review_minutes_retry_later(file_id=file_id, error=error)
        raise self.retry(exc=exc, countdown=2**self.request.retries) from exc
    except Exception as exc:
        review_services.review_minutes_fail(file_id=file_id, error=f"{type(exc).__name__}: {exc}")
        raise
