"""Who is told what, by email through Celery, once the transaction has committed.

Each message is written in the recipient's own language, and nobody who switched
notifications off receives one.
"""

import datetime
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ministries.mail import Mail, mails_queue
from ministries.models import User

from .history_reasons import reason_text
from .models import (
    Assessment,
    AssessmentStatusChange,
    Assignment,
    DeadlineReminder,
    Response,
    ResponseComment,
    Submission,
)
from .reminders import send_deadline_reminder


def _url(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def emailed(users: Iterable[User]) -> list[User]:
    """Those of `users` an email reaches: active, with an address, notifications on (what
    a confirmation page counts under "who will be told")."""
    return [
        user
        for user in {u.pk: u for u in users}.values()
        if user.email and user.notifications_enabled and user.is_active
    ]


def notify(users: Iterable[User], message: Callable[[User], tuple[str, str]]) -> int:
    """Queue one email per user who wants them; the text is built in each user's language.
    The mails are kept with the change (ministries.mail) and sent once it commits."""
    mails = []
    for user in emailed(users):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject, body = message(user)
        mails.append(Mail(subject=subject, body=body, to=[user.email]))
    if mails:
        mails_queue(mails)
    return len(mails)


def focal_points(institution_id: int) -> Iterable[User]:
    return User.objects.filter(role=User.Role.FOCAL_POINT, institution_id=institution_id)


def facilitators(assessment: Assessment) -> Iterable[User]:
    return assessment.facilitators.all()


def coordinators(assessment: Assessment) -> Iterable[User]:
    if assessment.scope == Assessment.Scope.NATIONAL:
        return User.objects.filter(role=User.Role.NATIONAL_COORDINATOR)
    return User.objects.filter(
        Q(role=User.Role.NATIONAL_COORDINATOR)
        | Q(role=User.Role.PROVINCIAL_COORDINATOR, province_id=assessment.province_id)
    )


def _entry_link(response: Response) -> str:
    """The entry page at the answer, in its dimension (a phone shows one at a time)."""
    page = reverse("entry", args=[response.assessment_id])
    number = response.indicator.dimension.number
    return _url(f"{page}?dimension={number}#response-{response.pk}")


def response_reviewed(comment: ResponseComment) -> int:
    response = comment.response

    def message(user: User) -> tuple[str, str]:
        if comment.kind == ResponseComment.Kind.RETURN:
            subject = _("MGI Portal: your answer to %(code)s was returned for revision")
        else:
            subject = _("MGI Portal: a question on your answer to %(code)s")
        body = _(
            "%(who)s wrote about your institution's answer to indicator %(code)s:\n\n"
            "%(comment)s\n\nOpen the answer: %(link)s"
        ) % {
            "who": comment.author.get_full_name() or comment.author.username,
            "code": response.indicator.code,
            "comment": comment.body,
            "link": _entry_link(response),
        }
        return subject % {"code": response.indicator.code}, body

    return notify(focal_points(response.institution_id), message)


def response_resubmitted(comment: ResponseComment) -> int:
    response = comment.response

    def message(user: User) -> tuple[str, str]:
        return (
            _("MGI Portal: %(institution)s resubmitted %(code)s")
            % {"institution": response.institution.acronym, "code": response.indicator.code},
            _("The answer is waiting in your review queue: %(link)s")
            % {"link": _url(reverse("review_queue") + f"?assessment={response.assessment_id}")},
        )

    return notify(facilitators(response.assessment), message)


def comment_added(comment: ResponseComment) -> int:
    response = comment.response
    author = comment.author
    recipients: Iterable[User]
    if author.is_focal_point:
        recipients = facilitators(response.assessment)
    else:
        recipients = focal_points(response.institution_id)

    def message(user: User) -> tuple[str, str]:
        return (
            _("MGI Portal: new comment on %(code)s") % {"code": response.indicator.code},
            _("%(who)s wrote:\n\n%(comment)s\n\nOpen the thread: %(link)s")
            % {
                "who": author.get_full_name() or author.username,
                "comment": comment.body,
                "link": _url(reverse("response_thread", args=[response.pk])),
            },
        )

    return notify([u for u in recipients if u.pk != author.pk], message)


def matrix_submitted(submission: Submission) -> int:
    def message(user: User) -> tuple[str, str]:
        return (
            _("MGI Portal: %(institution)s submitted its answers")
            % {"institution": submission.institution.acronym},
            _("%(count)s answers are ready for your cross-check: %(link)s")
            % {
                "count": submission.response_count,
                "link": _url(reverse("review_queue") + f"?assessment={submission.assessment_id}"),
            },
        )

    return notify(facilitators(submission.assessment), message)


def transition_audience(assessment: Assessment) -> dict[str, list[User]]:
    """Who a workflow move tells, by kind ("focal_points", "facilitators", "coordinators"):
    the focal points of the assigned institutions, the facilitators and the coordinators in
    scope. The confirmation pages say this before the move; `transition_made` sends it."""
    institution_ids = set(
        Assignment.objects.filter(assessment=assessment).values_list("institution_id", flat=True)
    )
    return {
        "focal_points": list(
            User.objects.filter(role=User.Role.FOCAL_POINT, institution_id__in=institution_ids)
        ),
        "facilitators": list(facilitators(assessment)),
        "coordinators": list(coordinators(assessment)),
    }


def transition_made(change: AssessmentStatusChange) -> int:
    assessment = change.assessment
    people = [user for group in transition_audience(assessment).values() for user in group]

    def message(user: User) -> tuple[str, str]:
        title = assessment.title_id if translation.get_language() == "id" else assessment.title_en
        body = _("%(title)s moved from “%(from)s” to “%(to)s”.") % {
            "title": title,
            "from": Assessment.Status(change.from_status).label,
            "to": Assessment.Status(change.to_status).label,
        }
        if change.note:
            body += "\n\n" + reason_text(change.note)
        return (
            _("MGI Portal: %(title)s is now in “%(status)s”")
            % {"title": title, "status": Assessment.Status(change.to_status).label},
            body + "\n\n" + _url(reverse("home")),
        )

    return notify([u for u in people if u.pk != change.actor_id], message)


REMINDER_DAYS = 3
REMINDER_REQUEUE = datetime.timedelta(hours=6)


def deadline_reminders(*, today: datetime.date) -> int:
    """Remind institutions that have not submitted, three days before the deadline; once each.

    Queuing the mails claims the reminder (a run the same day skips it); it is recorded as
    sent only once the mail server took a mail (reminders.send_deadline_reminder). A claim
    whose mails never went (a broker lost them) is queued again after REMINDER_REQUEUE.
    """
    deadline = today + datetime.timedelta(days=REMINDER_DAYS)
    sent = 0
    for assessment in Assessment.objects.filter(
        status=Assessment.Status.DATA_COLLECTION, data_collection_deadline=deadline
    ):
        pending = set(
            Response.objects.filter(
                assessment=assessment, state__in=[Response.State.DRAFT, Response.State.RETURNED]
            )
            .values_list("institution_id", flat=True)
            .distinct()
        )
        for institution_id in sorted(pending):
            if _claim(assessment, institution_id, deadline):
                sent += _remind(assessment, institution_id, deadline)
    return sent


def _claim(assessment: Assessment, institution_id: int, deadline: datetime.date) -> bool:
    """Take the reminder for this run; False if it was sent, or queued not long ago."""
    now = timezone.now()
    with transaction.atomic():
        reminder, created = DeadlineReminder.objects.select_for_update().get_or_create(
            assessment=assessment,
            institution_id=institution_id,
            deadline=deadline,
            defaults={"claimed_at": now},
        )
        if created:
            return True
        if reminder.sent_at is not None or reminder.claimed_at > now - REMINDER_REQUEUE:
            return False
        reminder.claimed_at = now
        reminder.save(update_fields=["claimed_at"])
        return True


def _remind(assessment: Assessment, institution_id: int, deadline: datetime.date) -> int:
    """Queue the reminder to each focal point of the institution, in their language."""
    count = 0
    for user in emailed(focal_points(institution_id)):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = _("MGI Portal: the deadline is in %(days)s days") % {"days": REMINDER_DAYS}
            body = _(
                "Your institution has not submitted its answers yet. The deadline is %(date)s.\n\n%(link)s"
            ) % {
                "date": deadline.isoformat(),
                "link": _url(reverse("entry", args=[assessment.pk])),
            }
        send = partial(
            send_deadline_reminder.delay,
            subject=subject,
            body=body,
            to=[user.email],
            assessment_id=assessment.pk,
            institution_id=institution_id,
            deadline=deadline.isoformat(),
        )
        transaction.on_commit(send)
        count += 1
    return count
