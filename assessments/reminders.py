"""The deadline reminder's mail task: the reminder is recorded as sent (DeadlineReminder)
only once the mail server has taken the mail (notifications.deadline_reminders claims it
when queuing), so a crash before that sends it again."""

import datetime

from celery import Task, shared_task
from django.utils import timezone

from ministries.tasks import MAIL_MAX_RETRIES, deliver_or_retry

from .models import DeadlineReminder


@shared_task(
    bind=True,
    name="assessments.send_deadline_reminder",
    acks_late=True,
    max_retries=MAIL_MAX_RETRIES,
)
def send_deadline_reminder(
    self: Task,
    *,
    subject: str,
    body: str,
    to: list[str],
    assessment_id: int,
    institution_id: int,
    deadline: str,
) -> bool:
    sent = deliver_or_retry(
        self,
        subject=subject,
        body=body,
        to=to,
        audit={"assessment": assessment_id, "institution": institution_id},
    )
    if sent:
        DeadlineReminder.objects.filter(
            assessment_id=assessment_id,
            institution_id=institution_id,
            deadline=datetime.date.fromisoformat(deadline),
            sent_at=None,
        ).update(sent_at=timezone.now())
    return sent
