from celery import shared_task
from django.utils import timezone

from . import notifications


@shared_task(name="assessments.deadline_reminders", acks_late=True)
def deadline_reminders() -> int:
    return notifications.deadline_reminders(today=timezone.localdate())
