"""The published action plan: confirmation, the public page, its downloads and API."""

import json

import pytest
from django.test import Client

from reports.actionplan import services
from reports.actionplan.models import ActionPlan

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_publishing_asks_for_confirmation_first(action_item, coordinator):
    assessment = action_item.plan.assessment
    url = f"/assessments/{assessment.pk}/action-plan/publish/"
    first = signed_in(coordinator).post(url)
    assert first.status_code == 200
    text = first.content.decode()
    assert "1 actions and their status appear on the public page" in text
    assert 'name="confirmed"' in text
    assert not ActionPlan.objects.get(pk=action_item.plan_id).published
    confirmed = signed_in(coordinator).post(url, {"confirmed": "yes"})
    assert confirmed.status_code == 302
    plan = ActionPlan.objects.get(pk=action_item.plan_id)
    assert plan.published and plan.published_by == coordinator


def test_facilitators_cannot_publish(action_item, facilitator, approved_assessment):
    approved_assessment.facilitators.add(facilitator)
    url = f"/assessments/{approved_assessment.pk}/action-plan/publish/"
    assert signed_in(facilitator).post(url, {"confirmed": "yes"}).status_code == 403
    assert not ActionPlan.objects.get(pk=action_item.plan_id).published


def test_the_public_page_shows_the_plan_once_published_and_follows_its_changes(
    action_item, published_profile, coordinator
):
    client = Client()
    page_url = f"/profiles/{published_profile.pk}/"
    api_url = f"/api/v1/public/profiles/{published_profile.pk}/action-plan/"
    before = client.get(page_url)
    assert "Adopt the regulation on placement fees" not in before.content.decode()
    assert client.get(api_url).status_code == 404
    assert client.get(f"/profiles/{published_profile.pk}/action-plan.csv").status_code == 404

    services.plan_publish(plan=action_item.plan, actor=coordinator)
    page = client.get(page_url)
    text = page.content.decode()
    assert "Adopt the regulation on placement fees" in text
    assert "Planned" in text
    assert page["ETag"] != before["ETag"]

    # A status change shows at once: the cached page follows the plan's last change.
    services.item_update(
        item=action_item, actor=coordinator, version=1, values={"status": "completed"}
    )
    again = client.get(page_url, headers={"If-None-Match": page["ETag"]})
    assert again.status_code == 200
    assert "Completed" in again.content.decode()

    body = client.get(api_url).json()
    assert [(i["title"]["en"], i["status"], i["lead"]) for i in body["items"]] == [
        ("Adopt the regulation on placement fees", "completed", "KEMNAKER")
    ]
    assert "version" not in body["items"][0]


def test_items_not_public_stay_off_the_public_side(action_item, published_profile, coordinator):
    services.item_update(item=action_item, actor=coordinator, version=1, values={"public": False})
    services.plan_publish(plan=action_item.plan, actor=coordinator)
    client = Client()
    assert (
        "Adopt the regulation"
        not in client.get(f"/profiles/{published_profile.pk}/").content.decode()
    )
    assert (
        client.get(f"/api/v1/public/profiles/{published_profile.pk}/action-plan/").json()["items"]
        == []
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_plan_downloads(action_item, published_profile, coordinator, fmt):
    services.plan_publish(plan=action_item.plan, actor=coordinator)
    response = Client().get(f"/profiles/{published_profile.pk}/action-plan.{fmt}")
    assert response.status_code == 200
    assert "action-plan" in response["Content-Disposition"]
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert text.splitlines()[0].startswith("id,title_en,title_id")
        assert "Adopt the regulation on placement fees" in text
    elif fmt == "json":
        assert json.loads(response.content)["items"][0]["lead"] == "KEMNAKER"
    else:
        assert response.content[:2] == b"PK"
