"""Email kept in the database until the mail server took it (OutgoingMail), sent by the
task `ministries.send_email` and sent again by the beat task `ministries.requeue_mail` when
the broker lost its task (Redis restarted without its data).

    mails_queue([Mail(subject, body, to)])   in the caller's transaction; the tasks are sent
                                             once it commits (nothing is sent if it rolls back)
    ministries.tasks.mail_send               one delivery (the task's body)
    mails_requeue(older_than=)               what is still unsent and overdue, queued again
"""

import datetime
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from celery import current_app
from django.db import transaction
from django.utils import timezone

from .models import OutgoingMail

SEND_TASK = "ministries.send_email"
# An unsent mail whose attempt was due this long ago has lost its task: queue it again.
REQUEUE_AFTER = datetime.timedelta(minutes=10)


@dataclass
class Mail:
    subject: str
    body: str
    to: list[str]
    html_body: str = ""
    audit: dict[str, Any] = field(default_factory=dict)


def _send(mail_id: int) -> None:
    # By name (ministries.tasks imports this module); eager where tasks run eagerly.
    current_app.signature(SEND_TASK, kwargs={"mail_id": mail_id}).delay()


def mails_queue(mails: list[Mail]) -> list[OutgoingMail]:
    """Keep the mails (one query) and send their tasks once the transaction commits."""
    rows = OutgoingMail.objects.bulk_create(
        OutgoingMail(subject=m.subject, body=m.body, to=m.to, html_body=m.html_body, audit=m.audit)
        for m in mails
    )
    for row in rows:
        transaction.on_commit(partial(_send, row.pk))
    return rows


def mails_requeue(*, older_than: datetime.timedelta = REQUEUE_AFTER) -> int:
    """Send again the task of every unsent mail whose attempt was due before `older_than`
    ago (its task was lost); each is due now."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(sent_at=None, failed_at=None, due_at__lt=now - older_than)
            .values_list("pk", flat=True)
        )
        OutgoingMail.objects.filter(pk__in=ids).update(due_at=now)
        for mail_id in ids:
            transaction.on_commit(partial(_send, mail_id))
    return len(ids)
