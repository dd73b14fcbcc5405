"""Email, through Celery. A mail server that cannot be reached (SMTPException, OSError) is
tried again with growing pauses (MAIL_BACKOFF seconds, doubled each time, at most
MAIL_MAX_RETRIES times); a mail given up is recorded as an audit event (EMAIL_FAILED), which
the audit page lists. The tasks acknowledge late, so a worker that dies mid-send sends again:
a mail goes out at least once, and at most once more after a crash."""

from smtplib import SMTPException
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from audit.services import Action, audit_record

MAIL_ERRORS = (SMTPException, OSError)
MAIL_MAX_RETRIES = 5
MAIL_BACKOFF = 30  # seconds before the first retry; doubled each time
MAIL_BACKOFF_MAX = 60 * 60


def deliver(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()


def retry_delay(retries: int) -> int:
    return min(MAIL_BACKOFF_MAX, MAIL_BACKOFF * 2**retries)


def deliver_or_retry(task: Task, *, audit: dict[str, Any] | None = None, **mail: Any) -> bool:
    """Hand the mail to the mail server: True once it took it; on a connection error, retry
    the task later (raises celery's Retry), or, retries exhausted, record the failure and
    return False. Run eagerly (local runs without a broker, tests), the retries follow at
    once, as celery itself runs an eager task's retries."""
    extra = 0
    while True:
        try:
            deliver(**mail)
            return True
        except MAIL_ERRORS as exc:
            retries = task.request.retries + extra
            if retries >= (task.max_retries or 0):
                audit_record(
                    action=Action.EMAIL_FAILED,
                    reason=f"{type(exc).__name__}: {exc}"[:500],
                    details={"subject": mail["subject"], "to": mail["to"], "attempts": retries + 1},
                    **(audit or {}),
                )
                return False
            if not task.request.is_eager:
                raise task.retry(exc=exc, countdown=retry_delay(retries)) from exc
            extra += 1


@shared_task(bind=True, name="ministries.send_email", acks_late=True, max_retries=MAIL_MAX_RETRIES)
def send_email(
    self: Task, *, subject: str, body: str, to: list[str], html_body: str | None = None
) -> bool:
    return deliver_or_retry(self, subject=subject, body=body, to=to, html_body=html_body)
