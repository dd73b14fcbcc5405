"""Deadline reminders of the action plan, by email through Celery (as for data collection,
assessments/notifications.py): REMINDER_DAYS before an open item's target date, each focal
point of its lead institution is reminded, in their language; once per target date.

Queuing claims the reminder (a run within REMINDER_REQUEUE skips it); it is recorded as sent
(`reminded_for`) once the mail server took a mail, so a claim whose mails were lost is queued
again by a later run. A new target date is reminded again.
"""

import datetime
from functools import partial

from celery import Task, shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.notifications import emailed, focal_points
from ministries.tasks import MAIL_MAX_RETRIES, deliver_or_retry

from .models import ActionItem

REMINDER_DAYS = 14
REMINDER_REQUEUE = datetime.timedelta(hours=6)
OPEN = (ActionItem.Status.PLANNED, ActionItem.Status.IN_PROGRESS, ActionItem.Status.DELAYED)


@shared_task(
    bind=True, name="reports.send_action_reminder", acks_late=True, max_retries=MAIL_MAX_RETRIES
)
def send_action_reminder(
    self: Task,
    *,
    subject: str,
    body: str,
    to: list[str],
    item_id: int,
    target: str,
    assessment_id: int,
    institution_id: int,
) -> bool:
    audit = {"assessment": assessment_id, "institution": institution_id}
    sent = deliver_or_retry(self, subject=subject, body=body, to=to, audit=audit)
    if sent:
        ActionItem.objects.filter(pk=item_id).update(
            reminded_for=datetime.date.fromisoformat(target)
        )
    return sent


def _claim(item_id: int, target: datetime.date) -> bool:
    now = timezone.now()
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=item_id)
        if item.reminded_for == target:
            return False
        if item.reminder_claimed_at and item.reminder_claimed_at > now - REMINDER_REQUEUE:
            return False
        ActionItem.objects.filter(pk=item_id).update(reminder_claimed_at=now)
        return True


def _remind(item: ActionItem, target: datetime.date) -> int:
    count = 0
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("action_item", args=[item.pk])
    for user in emailed(focal_points(item.lead_id)):
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = _("MGI Portal: an action is due in %(days)s days") % {"days": REMINDER_DAYS}
            body = _(
                "The action “%(title)s”, led by your institution, is due on %(date)s. "
                "Post its progress or ask the coordinator to change its date.\n\n%(link)s"
            ) % {"title": item.title(language), "date": target.isoformat(), "link": link}
        send = partial(
            send_action_reminder.delay,
            subject=subject,
            body=body,
            to=[user.email],
            item_id=item.pk,
            target=target.isoformat(),
            assessment_id=item.plan.assessment_id,
            institution_id=item.lead_id,
        )
        transaction.on_commit(send)
        count += 1
    return count


@shared_task(name="reports.action_deadline_reminders", acks_late=True)
def action_deadline_reminders_task() -> int:
    return action_deadline_reminders(today=timezone.localdate())


def action_deadline_reminders(*, today: datetime.date) -> int:
    """Queue the reminders of the open items due in REMINDER_DAYS days; the mails queued."""
    target = today + datetime.timedelta(days=REMINDER_DAYS)
    queued = 0
    items = ActionItem.objects.filter(status__in=OPEN, target_date=target).select_related(
        "lead", "plan"
    )
    for item in items:
        if _claim(item.pk, target):
            queued += _remind(item, target)
    return queued
