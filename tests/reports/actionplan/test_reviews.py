"""Steering committee reviews of the action plan: the frozen snapshot, decisions and stale
saves, who may do what (pages and API), the pages in both languages."""

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from assessments.errors import InvalidRequest, ServiceError
from audit.models import Action, AuditEvent
from ministries.models import Institution, User
from reports.actionplan import review_services, services
from reports.actionplan.models import ActionItem
from reports.actionplan.review_models import ReviewDecision, SteeringReview

pytestmark = pytest.mark.django_db

HELD = datetime.date(2025, 3, 10)


def login(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def record(item: ActionItem, actor: User, **extra: Any) -> SteeringReview:
    values: dict[str, Any] = {
        "held_on": HELD,
        "chair": "Kementerian Luar Negeri and UN Resident Coordinator",
        "participants": Institution.objects.filter(acronym__in=["KEMLU", "KEMNAKER"]),
        "minutes_en": "The committee reviewed the plan.",
        "minutes_id": "Komite meninjau rencana aksi.",
        **extra,
    }
    return review_services.review_create(plan=item.plan, actor=actor, **values)


@pytest.fixture
def review(action_item: ActionItem, coordinator: User) -> SteeringReview:
    return record(action_item, coordinator)


def test_the_snapshot_is_frozen_when_the_review_is_recorded(
    review: SteeringReview, action_item: ActionItem, coordinator: User
) -> None:
    [entry] = review.snapshot_items
    assert entry["id"] == action_item.pk
    assert entry["status"] == "planned"
    assert entry["lead"] == "KEMNAKER"
    assert entry["title_id"] == "Menetapkan peraturan tentang biaya penempatan"
    assert entry["target_date"] == "2031-06-30"
    assert entry["indicators"] == ["1.3.1"]
    assert review.decisions.get().decision == ""
    # The item moves on after the review: the review keeps the old status.
    services.item_update(
        item=action_item,
        actor=coordinator,
        version=action_item.version,
        values={"status": "delayed", "status_reason": "resources"},
    )
    page = login(coordinator).get(f"/action-plan/reviews/{review.pk}/").content.decode()
    assert "Adopt the regulation on placement fees" in page
    assert "Planned" in page and "Delayed" not in page
    review.refresh_from_db()
    assert review.snapshot_items[0]["status"] == "planned"
    assert AuditEvent.objects.filter(
        action=Action.STEERING_REVIEW_SAVED, details__change="steering_review_created"
    ).exists()


def test_a_review_needs_a_chair_participants_and_a_past_date(
    action_item: ActionItem, coordinator: User
) -> None:
    with pytest.raises(InvalidRequest) as chair:
        record(action_item, coordinator, chair=" ")
    assert chair.value.field == "chair"
    with pytest.raises(InvalidRequest) as present:
        record(action_item, coordinator, participants=[])
    assert present.value.field == "participants"
    with pytest.raises(InvalidRequest) as date:
        record(action_item, coordinator, held_on=datetime.date(2099, 1, 1))
    assert date.value.field == "held_on"
    assert not SteeringReview.objects.exists()


def test_decisions_are_saved_and_a_stale_version_is_refused(
    review: SteeringReview, action_item: ActionItem, coordinator: User
) -> None:
    key = action_item.pk
    saved = review_services.review_decide(
        review=review,
        decisions={key: ("needs_attention", "Funding to be confirmed")},
        version=1,
        actor=coordinator,
    )
    assert saved.version == 2
    decision = saved.decisions.get()
    assert (decision.decision, decision.note) == ("needs_attention", "Funding to be confirmed")
    with pytest.raises(review_services.StaleReview) as stale:
        review_services.review_decide(
            review=review, decisions={key: ("on_track", "")}, version=1, actor=coordinator
        )
    assert stale.value.current.version == 2
    assert ReviewDecision.objects.get(pk=decision.pk).decision == "needs_attention"
    with pytest.raises(InvalidRequest):
        review_services.review_decide(
            review=review, decisions={key: ("excellent", "")}, version=2, actor=coordinator
        )
    with pytest.raises(InvalidRequest):
        review_services.review_decide(
            review=review, decisions={999999: ("on_track", "")}, version=2, actor=coordinator
        )


def test_the_page_saves_decisions_and_shows_the_newer_version_when_stale(
    review: SteeringReview, action_item: ActionItem, coordinator: User
) -> None:
    client = login(coordinator)
    url = f"/action-plan/reviews/{review.pk}/"
    key = action_item.pk
    form = {"version": "1", f"decision-{key}": "replanned", f"note-{key}": "New date in 2032"}
    assert client.post(url, form).status_code == 302
    page = client.get(url).content.decode()
    assert '<option value="replanned" selected>' in page
    assert "New date in 2032" in page
    stale = client.post(url, {**form, f"decision-{key}": "on_track"})
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "the current version is 2" in body
    assert '<option value="replanned" selected>' in body  # the current decision
    assert ReviewDecision.objects.get(review=review).decision == "replanned"


def test_a_coordinator_records_a_review_through_the_form(
    action_item: ActionItem, coordinator: User, kemnaker: Institution
) -> None:
    client = login(coordinator)
    url = f"/assessments/{action_item.plan.assessment_id}/action-plan/reviews/new/"
    assert "Record a steering committee review" in client.get(url).content.decode()
    bad = client.post(url, {"held_on": "2025-03-10", "chair": "", "participants": [kemnaker.pk]})
    assert bad.status_code == 400
    assert "The review was not recorded" in bad.content.decode()
    response = client.post(
        url,
        {
            "held_on": "2025-03-10",
            "chair": "MOFA and UN Resident Coordinator",
            "participants": [kemnaker.pk],
            "minutes_en": "Reviewed.",
            "minutes_id": "Ditinjau.",
        },
    )
    review = SteeringReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/action-plan/reviews/{review.pk}/"
    listing = client.get(f"/assessments/{action_item.plan.assessment_id}/action-plan/reviews/")
    assert "MOFA and UN Resident Coordinator" in listing.content.decode()


def test_who_sees_and_who_decides(
    review: SteeringReview,
    action_item: ActionItem,
    coordinator: User,
    facilitator: User,
    focal_a: User,
    focal_b: User,
    provincial_coordinator: User,
) -> None:
    url = f"/action-plan/reviews/{review.pk}/"
    listing = f"/assessments/{action_item.plan.assessment_id}/action-plan/reviews/"
    form = {"version": "1", f"decision-{action_item.pk}": "on_track"}
    # The facilitator reads the review and its decisions, without the form.
    page = login(facilitator).get(url).content.decode()
    assert "Adopt the regulation on placement fees" in page
    assert "Planned" in page and 'name="decision-' not in page and 'name="version"' not in page
    assert login(facilitator).post(url, form).status_code == 403
    assert login(facilitator).get(listing).status_code == 200
    # Focal points, even of the item's institution, and strangers: 404.
    for user in (focal_a, focal_b, provincial_coordinator):
        assert login(user).get(url).status_code == 404
        assert login(user).get(listing).status_code == 404
        assert login(user).get(f"/api/v1{url}").status_code == 404
    anonymous = login(None).get(url)
    assert anonymous.status_code == 302 and settings.LOGIN_URL in anonymous["Location"]
    assert login(None).get(f"/api/v1{url}").status_code == 401
    assert login(coordinator).post(url, form).status_code == 302


def test_the_public_api_and_pages_have_no_review(
    review: SteeringReview, published_action_plan: Any
) -> None:
    public = Client().get(f"/api/v1/public/profiles/{published_action_plan.pk}/action-plan/")
    assert public.status_code == 200
    assert "chair" not in public.content.decode()
    assert (
        "Kementerian Luar Negeri"
        not in Client().get(f"/profiles/{published_action_plan.pk}/").content.decode()
    )


def test_the_review_page_in_indonesian(
    review: SteeringReview, action_item: ActionItem, coordinator: User
) -> None:
    review_services.review_decide(
        review=review, decisions={action_item.pk: ("on_track", "")}, version=1, actor=coordinator
    )
    client = login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(f"/action-plan/reviews/{review.pk}/").content.decode()
    assert "Menetapkan peraturan tentang biaya penempatan" in page
    assert "Komite meninjau rencana aksi." in page
    assert "Direncanakan" in page  # the frozen status, in Indonesian
    assert "Keputusan" in page


def test_the_api_lists_creates_decides_and_queues_minutes(
    action_item: ActionItem,
    coordinator: User,
    facilitator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = login(coordinator)
    base = f"/api/v1/assessments/{action_item.plan.assessment_id}/action-plan/reviews/"
    body = {
        "held_on": "2025-03-10",
        "chair": "MOFA and UN Resident Coordinator",
        "participants": ["KEMLU", "KEMNAKER"],
        "minutes": {"en": "Reviewed.", "id": "Ditinjau."},
    }
    assert login(facilitator).post(base, body, "application/json").status_code == 403
    created = client.post(base, body, "application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["snapshot"][0]["status"] == "planned"
    assert data["decisions"] == [{"item": action_item.pk, "decision": "", "note": ""}]
    assert data["participants"] == ["KEMLU", "KEMNAKER"]
    assert [r["id"] for r in login(facilitator).get(base).json()] == [data["id"]]
    url = f"/api/v1/action-plan/reviews/{data['id']}/"
    patch = {"version": 1, "decisions": [{"item": action_item.pk, "decision": "on_track"}]}
    ok = client.patch(url, patch, "application/json")
    assert ok.status_code == 200 and ok.json()["decisions"][0]["decision"] == "on_track"
    stale = client.patch(url, patch, "application/json")
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 2
    with django_capture_on_commit_callbacks(execute=False) as sent:
        queued = client.post(f"{url}minutes/", {"language": "id"}, "application/json")
        again = client.post(f"{url}minutes/", {"language": "id"}, "application/json")
    assert (queued.status_code, again.status_code) == (202, 202)
    assert queued.json()["status"] == "queued"
    assert len(sent) == 1  # asked twice while queued: one task


def test_a_plan_without_items_cannot_be_reviewed(
    published_profile: Any, coordinator: User, kemnaker: Institution
) -> None:
    plan = services.plan_get_or_create(assessment=published_profile.assessment, actor=coordinator)
    with pytest.raises(ServiceError):
        review_services.review_create(
            plan=plan, held_on=HELD, chair="MOFA", participants=[kemnaker], actor=coordinator
        )


def test_the_pages_and_the_api_take_as_many_queries_for_many_rows_as_for_one(
    review: SteeringReview, action_item: ActionItem, coordinator: User, bp2mi: Institution
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(coordinator)
    assessment = action_item.plan.assessment_id
    urls = [
        f"/assessments/{assessment}/action-plan/reviews/",
        f"/api/v1/assessments/{assessment}/action-plan/reviews/",
    ]

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = [count(url) for url in urls]
    one_item = count(f"/action-plan/reviews/{review.pk}/")
    services.item_create(
        assessment=action_item.plan.assessment,
        actor=coordinator,
        values={"title_en": "Second", "title_id": "Kedua", "kind": "programme", "lead": bp2mi},
    )
    second = record(action_item, coordinator)
    assert len(second.snapshot_items) == 2
    assert [count(url) for url in urls] == before  # two reviews
    assert count(f"/action-plan/reviews/{second.pk}/") == one_item  # two items
