"""The action plan: items from findings and by hand, who may do what, stale versions."""

import pytest
from django.conf import settings
from django.test import Client

from assessments.errors import ServiceError
from indicators.models import Indicator
from reports.actionplan import services
from reports.actionplan.models import ActionItem, ProgressUpdate

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_item_from_a_finding_carries_its_indicators_dimension_and_gcm_objectives(
    further_finding, coordinator
):
    item = services.item_create_from_finding(finding=further_finding, actor=coordinator)
    assessment = further_finding.profile.assessment
    assert item.plan.assessment == assessment
    assert item.finding == further_finding
    assert item.indicators == further_finding.indicators
    assert item.dimension == further_finding.dimension
    expected = set(
        Indicator.objects.filter(
            framework=assessment.framework, code__in=further_finding.indicators
        ).values_list("gcm_objectives__number", flat=True)
    ) - {None}
    assert expected, "the test finding's indicators inform no GCM objective"
    assert set(item.gcm_objectives.values_list("number", flat=True)) == expected
    assert item.lead_id is not None  # the lead of its first indicator in the survey matrix
    assert item.title_en and item.title_id
    assert item.history.first().history_change_reason == "action_from_finding"
    assert item.history.first().history_user == coordinator


def test_a_well_developed_area_is_no_action(published_profile, coordinator):
    finding = published_profile.findings.filter(kind="well_developed").first()
    with pytest.raises(ServiceError):
        services.item_create_from_finding(finding=finding, actor=coordinator)


def test_no_plan_before_the_profile_is_published(draft_profile, coordinator, kemnaker):
    with pytest.raises(ServiceError, match="published"):
        services.item_create(
            assessment=draft_profile.assessment,
            actor=coordinator,
            values={"title_en": "x", "title_id": "y", "kind": "programme", "lead": kemnaker},
        )
    assert not ActionItem.objects.exists()


def test_one_click_from_the_plan_page(further_finding, coordinator):
    assessment = further_finding.profile.assessment
    page = api(coordinator).get(f"/assessments/{assessment.pk}/action-plan/")
    assert page.status_code == 200
    assert "Create an action from this finding" in page.content.decode()
    response = api(coordinator).post(
        f"/assessments/{assessment.pk}/action-plan/from-finding/{further_finding.pk}/"
    )
    item = ActionItem.objects.get(finding=further_finding)
    assert response.status_code == 302
    assert response["Location"] == f"/action-plan/items/{item.pk}/edit/"


def test_delayed_or_dropped_needs_a_reason(action_item, coordinator):
    response = api(coordinator).patch(
        f"/api/v1/action-plan/items/{action_item.pk}/",
        {"version": action_item.version, "status": "dropped"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "status_reason" in response.json()
    action_item.refresh_from_db()
    assert action_item.status == "planned" and action_item.version == 1


def test_a_stale_version_is_refused_with_the_current_item(action_item, coordinator):
    url = f"/api/v1/action-plan/items/{action_item.pk}/"
    first = api(coordinator).patch(
        url, {"version": 1, "status": "in_progress"}, content_type="application/json"
    )
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = api(coordinator).patch(
        url, {"version": 1, "title": {"en": "Other", "id": "Lain"}}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 2
    assert stale.json()["current"]["status"] == "in_progress"
    action_item.refresh_from_db()
    assert action_item.title_en == "Adopt the regulation on placement fees"


def test_the_edit_page_shows_the_newer_version_when_stale(action_item, coordinator, kemnaker):
    services.item_update(
        item=action_item, actor=coordinator, version=1, values={"status": "in_progress"}
    )
    form = {
        "title_en": "Mine",
        "title_id": "Punyaku",
        "kind": "programme",
        "lead": kemnaker.pk,
        "status": "planned",
        "version": 1,
    }
    page = api(coordinator).post(f"/action-plan/items/{action_item.pk}/edit/", form)
    assert page.status_code == 409
    text = page.content.decode()
    assert "the current version is 2" in text
    action_item.refresh_from_db()
    assert action_item.title_en != "Mine"


def test_focal_points_post_progress_on_their_items_only(action_item, focal_a, focal_b):
    url = f"/api/v1/action-plan/items/{action_item.pk}/updates/"
    body = {"text": "Draft sent to the legal bureau", "language": "en", "percent": 40}
    posted = api(focal_a).post(url, body, content_type="application/json")
    assert posted.status_code == 201, posted.content
    assert posted.json()["kind"] == "progress"
    assert posted.json()["institution"] == "KEMNAKER"
    assert api(focal_b).post(url, body, content_type="application/json").status_code == 404
    assert api(focal_b).get(f"/action-plan/items/{action_item.pk}/").status_code == 404
    assert api(focal_b).get(url).status_code == 404
    # a focal point never edits the item itself
    patch = api(focal_a).patch(
        f"/api/v1/action-plan/items/{action_item.pk}/",
        {"version": 1, "status": "completed"},
        content_type="application/json",
    )
    assert patch.status_code == 403


def test_a_contributing_institution_posts_progress_too(action_item, coordinator, focal_b, bp2mi):
    services.item_update(
        item=action_item, actor=coordinator, version=1, values={"contributors": [bp2mi]}
    )
    url = f"/api/v1/action-plan/items/{action_item.pk}/updates/"
    body = {"text": "BP2MI shared its data", "language": "en"}
    assert api(focal_b).post(url, body, content_type="application/json").status_code == 201


def test_facilitators_comment_and_do_not_edit(action_item, facilitator, approved_assessment):
    approved_assessment.facilitators.add(facilitator)
    url = f"/api/v1/action-plan/items/{action_item.pk}/updates/"
    posted = api(facilitator).post(
        url, {"text": "Check the SDG link", "language": "en"}, content_type="application/json"
    )
    assert posted.status_code == 201
    assert posted.json()["kind"] == "comment"
    refused = api(facilitator).post(
        url, {"text": "50%", "language": "en", "percent": 50}, content_type="application/json"
    )
    assert refused.status_code == 400
    patch = api(facilitator).patch(
        f"/api/v1/action-plan/items/{action_item.pk}/",
        {"version": 1, "status": "completed"},
        content_type="application/json",
    )
    assert patch.status_code == 403


def test_other_scopes_do_not_see_the_plan(action_item, provincial_coordinator, administrator):
    assessment = action_item.plan.assessment
    assert (
        api(provincial_coordinator).get(f"/action-plan/items/{action_item.pk}/").status_code == 404
    )
    assert (
        api(provincial_coordinator)
        .get(f"/api/v1/assessments/{assessment.pk}/action-plan/items/")
        .status_code
        == 404
    )
    listed = api(administrator).get(f"/api/v1/assessments/{assessment.pk}/action-plan/items/")
    assert [i["id"] for i in listed.json()] == [action_item.pk]


def test_the_list_filters(action_item, coordinator, kemnaker, bp2mi):
    assessment = action_item.plan.assessment
    services.item_create(
        assessment=assessment,
        actor=coordinator,
        values={
            "title_en": "Publish migration statistics",
            "title_id": "Menerbitkan statistik migrasi",
            "kind": "data_statistics",
            "lead": bp2mi,
            "dimension": 2,
        },
    )
    url = f"/api/v1/assessments/{assessment.pk}/action-plan/items/"
    client = api(coordinator)
    assert len(client.get(url).json()) == 2
    assert [i["lead"] for i in client.get(url, {"kind": "data_statistics"}).json()] == ["BP2MI"]
    assert [i["lead"] for i in client.get(url, {"institution": kemnaker.pk}).json()] == ["KEMNAKER"]
    assert [i["dimension"] for i in client.get(url, {"dimension": 2}).json()] == [2]
    assert client.get(url, {"status": "completed"}).json() == []
    roadmap = client.get(f"/assessments/{assessment.pk}/action-plan/roadmap/").content.decode()
    assert "One Data on International Migration roadmap" in roadmap
    assert "Publish migration statistics" in roadmap
    assert "Adopt the regulation on placement fees" not in roadmap


def test_the_summary_counts_items_by_status(action_item, coordinator):
    assessment = action_item.plan.assessment
    page = api(coordinator).get(f"/assessments/{assessment.pk}/action-plan/summary/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "By dimension" in text and "not scores" in text


def test_the_item_page_in_indonesian(action_item, focal_a):
    client = api(focal_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(f"/action-plan/items/{action_item.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Menetapkan peraturan tentang biaya penempatan" in text
    assert '<html lang="id">' in text
    assert "Riwayat" in text and "Dimensi" in text  # History, Dimension
    assert "Adopt the regulation on placement fees" not in text


def test_a_progress_update_keeps_evidence(action_item, focal_a, legal_instrument):
    services.update_post(
        item=action_item,
        actor=focal_a,
        kind=ProgressUpdate.Kind.PROGRESS,
        text="Regulation enacted",
        language="en",
        percent=100,
        link={"instrument": legal_instrument, "article": "Art. 30"},
    )
    update = action_item.updates.get()
    evidence = update.evidence.get()
    assert evidence.instrument == legal_instrument
    assert evidence.institution_id == focal_a.institution_id
    page = api(focal_a).get(f"/action-plan/items/{action_item.pk}/").content.decode()
    assert "Regulation enacted" in page and "100% done" in page
