"""Deadline reminders of the action plan: once per target date, to the lead's focal points."""

import datetime

import pytest
from django.core import mail

from reports.actionplan import services
from reports.actionplan.models import ActionItem
from reports.actionplan.reminders import action_deadline_reminders

pytestmark = pytest.mark.django_db


def test_a_reminder_goes_once_to_the_lead_institution_before_the_target_date(
    action_item, focal_a, focal_b, coordinator, django_capture_on_commit_callbacks
):
    focal_a.email, focal_b.email = "a@kemnaker.go.id", "b@bp2mi.go.id"
    focal_a.save(), focal_b.save()
    today = action_item.target_date - datetime.timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        assert action_deadline_reminders(today=today - datetime.timedelta(days=1)) == 0
        assert action_deadline_reminders(today=today) == 1
        assert action_deadline_reminders(today=today) == 0
    [message] = mail.outbox
    assert message.to == ["a@kemnaker.go.id"]
    assert "Adopt the regulation on placement fees" in message.body
    assert f"/action-plan/items/{action_item.pk}/" in message.body
    action_item.refresh_from_db()
    assert action_item.reminded_for == action_item.target_date

    # A completed item is not reminded; a new target date is.
    later = datetime.date(2031, 9, 30)
    item = services.item_update(
        item=action_item, actor=coordinator, version=1, values={"target_date": later}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert action_deadline_reminders(today=later - datetime.timedelta(days=14)) == 1
    services.item_update(item=item, actor=coordinator, version=2, values={"status": "completed"})
    ActionItem.objects.filter(pk=item.pk).update(reminded_for=None, reminder_claimed_at=None)
    assert action_deadline_reminders(today=later - datetime.timedelta(days=14)) == 0
