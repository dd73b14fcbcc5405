"""Email, through Celery. A mail server that cannot be reached (SMTPException, OSError) is
tried again with growing pauses (MAIL_BACKOFF seconds, doubled each time, at most
MAIL_MAX_RETRIES times); a mail given up is recorded as an audit event (EMAIL_FAILED), which
the audit page lists. The tasks acknowledge late, so a worker that dies mid-send sends again:
a mail goes out at least once, and at most once more after a crash. Mails are kept in the
database until sent (ministries.mail): a broker that lost its queue loses no mail."""

import datetime
from smtplib import SMTPException
from typing import Any

from celery import Task, shared_task
from celery.exceptions import Retry
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from audit.services import Action, audit_record

from .mail import mails_requeue
from .models import OutgoingMail

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


def mail_send(task: Task, *, mail_id: int) -> bool:
    """Deliver one kept mail (ministries.mail): True once the mail server took it. A mail
    already sent or given up, or being delivered by another worker right now, is left alone.
    Its row is locked while the mail server is asked, so two deliveries never both send."""
    retry: Retry | None = None
    sent = False
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, sent_at=None, failed_at=None)
            .first()
        )
        if mail is None:
            return False
        mail.attempts += 1
        try:
            sent = deliver_or_retry(
                task,
                subject=mail.subject,
                body=mail.body,
                to=mail.to,
                html_body=mail.html_body or None,
                audit=mail.audit or None,
            )
        except Retry as exc:
            retry = exc  # raised once the row records when the retry is due
            delay = retry_delay(task.request.retries)
            mail.due_at = timezone.now() + datetime.timedelta(seconds=delay)
        else:
            setattr(mail, "sent_at" if sent else "failed_at", timezone.now())
            if sent:  # what it said is the recipient's; a reset link must not stay here
                mail.body = mail.html_body = ""
        mail.save(update_fields=["attempts", "due_at", "sent_at", "failed_at", "body", "html_body"])
    if retry is not None:
        raise retry
    return sent


@shared_task(bind=True, name="ministries.send_email", acks_late=True, max_retries=MAIL_MAX_RETRIES)
def send_email(
    self: Task,
    *,
    mail_id: int | None = None,
    subject: str = "",
    body: str = "",
    to: list[str] | None = None,
    html_body: str | None = None,
) -> bool:
    """A kept mail by its id (ministries.mail.mails_queue), or one given whole (tasks queued
    before the mails were kept)."""
    if mail_id is not None:
        return mail_send(self, mail_id=mail_id)
    return deliver_or_retry(self, subject=subject, body=body, to=to or [], html_body=html_body)


@shared_task(name="ministries.requeue_mail", acks_late=True)
def requeue_mail() -> int:
    return mails_requeue()
