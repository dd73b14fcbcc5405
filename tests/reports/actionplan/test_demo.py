"""The demo's action plan: Central Java 2023's, published, drawn from its findings."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from assessments.models import Assessment
from ministries.models import User
from reports.actionplan.demo import seed_action_plan
from reports.actionplan.models import ActionItem, ProgressUpdate
from reports.actionplan.review_demo import seed_steering_review
from reports.actionplan.review_models import SteeringReview

pytestmark = pytest.mark.django_db


def test_the_demo_plan_and_who_posts_progress_on_it(quick_pdfs):
    """The profile's PDFs are one-page stand-ins (quick_pdfs): no PDF text is read here."""
    call_command("seed_demo", stdout=io.StringIO())
    central_java = Assessment.objects.get(province__code="33", year=2023)
    plan = central_java.action_plan
    assert plan.published
    items = list(plan.items.select_related("lead"))
    assert 10 <= len(items) <= 14
    assert {i.kind for i in items} == set(ActionItem.Kind.values)
    assert len({i.lead_id for i in items}) >= 6
    roadmap = [i for i in items if i.kind == ActionItem.Kind.DATA_STATISTICS]
    assert [i.lead.acronym for i in roadmap] == ["BPS", "BPS"]
    assert sum(1 for i in items if i.finding_id) >= 6  # drawn from its findings
    assert any(i.gcm_objectives.exists() for i in items)
    progress = ProgressUpdate.objects.filter(item__plan=plan, kind="progress")
    assert progress.count() >= 2
    assert progress.filter(evidence__instrument__isnull=False).exists()  # the register
    assert progress.filter(evidence__kind="link").exists()
    # The national round stays in data collection, without a plan.
    national = Assessment.objects.get(scope="national", year=2023)
    assert national.status == Assessment.Status.DATA_COLLECTION
    assert not hasattr(national, "action_plan") or national.action_plan is None

    # BPS's focal point posts on the roadmap items, and on no other.
    client = Client()
    client.force_login(User.objects.get(username="focal-bps"))
    body = {"text": "Pilot in three districts done", "language": "en", "percent": 60}
    url = "/api/v1/action-plan/items/{}/updates/"
    assert client.post(url.format(roadmap[0].pk), body, "application/json").status_code == 201
    other = next(i for i in items if i.lead.acronym != "BPS" and i.kind != "data_statistics")
    assert client.post(url.format(other.pk), body, "application/json").status_code == 404
    page = client.get(f"/assessments/{central_java.pk}/action-plan/roadmap/").content.decode()
    assert "One Data on International Migration roadmap" in page
    assert roadmap[0].title_en in page

    # The public page shows the published plan.
    profile = central_java.profiles.get(status="published")
    public = Client().get(f"/profiles/{profile.pk}/").content.decode()
    assert "Regional regulation on the protection of migrant workers" in public

    # Seeding again changes nothing.
    before = ActionItem.objects.count(), ProgressUpdate.objects.count()
    seed_action_plan(central_java, io.StringIO())
    assert (ActionItem.objects.count(), ProgressUpdate.objects.count()) == before

    # One steering committee review, a decision on every action, its minutes rendered.
    review = SteeringReview.objects.get(plan=plan)
    assert review.held_on.year == 2025
    assert review.chair == "Kementerian Luar Negeri and UN Resident Coordinator"
    assert review.minutes_en and review.minutes_id and review.participants.count() >= 4
    decisions = [d.decision for d in review.decisions.all()]
    assert len(decisions) == len(items)
    assert decisions.count("needs_attention") == 2 and decisions.count("replanned") == 1
    assert decisions.count("on_track") == len(items) - 3
    assert sorted(review.files.values_list("language", "status")) == [
        ("en", "done"),
        ("id", "done"),
    ]
    coordinator = Client()
    coordinator.force_login(User.objects.get(username="jateng-coordinator"))
    page = coordinator.get(f"/action-plan/reviews/{review.pk}/").content.decode()
    assert "Provincial ceiling on placement fees" in page
    assert "Download the PDF minutes (Bahasa Indonesia)" in page
    seed_steering_review(central_java, io.StringIO())
    assert SteeringReview.objects.count() == 1
