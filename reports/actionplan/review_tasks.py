"""The Celery task of the steering committee reviews: render the PDF minutes in one language.
Registered in every process through reports/tasks.py (imported by `ReportsConfig.ready`);
the services send it by its name (review_services.MINUTES_TASK)."""

from celery import shared_task
from django.conf import settings

from ..retries import run_with_retries
from . import review_services


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
    """The same retry rules as a profile render's (reports/retries.py)."""
    run_with_retries(
        self,
        lambda: review_services.review_minutes_render(file_id=file_id),
        fail=lambda error: review_services.review_minutes_fail(file_id=file_id, error=error),
        retry_later=lambda error: review_services.review_minutes_retry_later(
            file_id=file_id, error=error
        ),
        too_long="The rendering took too long and was stopped.",
    )
