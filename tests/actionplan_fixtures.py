"""Fixtures of the action plan (a pytest plugin of tests/conftest.py): an item of the
published test profile's plan, led by Kemnaker (focal_a's institution), BP2MI not in it."""

import datetime

import pytest

from reports.actionplan import services
from reports.models import Finding


@pytest.fixture
def further_finding(published_profile) -> Finding:
    """An area with potential for further development of the published test profile."""
    finding = published_profile.findings.filter(kind=Finding.Kind.FURTHER_DEVELOPMENT).first()
    assert finding is not None
    return finding


@pytest.fixture
def action_item(published_profile, coordinator, kemnaker):
    """An item of the published national test assessment's plan, led by Kemnaker."""
    return services.item_create(
        assessment=published_profile.assessment,
        actor=coordinator,
        values={
            "title_en": "Adopt the regulation on placement fees",
            "title_id": "Menetapkan peraturan tentang biaya penempatan",
            "kind": "policy_legal",
            "lead": kemnaker,
            "dimension": 1,
            "indicators": ["1.3.1"],
            "target_date": datetime.date(2031, 6, 30),
        },
    )


@pytest.fixture
def action_plan_assessment(action_item):
    """The assessment whose plan holds `action_item`."""
    return action_item.plan.assessment


@pytest.fixture
def published_action_plan(action_item, published_profile, coordinator):
    """`action_item`'s plan published: the public profile whose page shows it."""
    services.plan_publish(plan=action_item.plan, actor=coordinator)
    return published_profile


@pytest.fixture
def steering_review(action_item, coordinator, kemnaker):
    """A steering committee review of `action_item`'s plan, its decision not yet set."""
    from reports.actionplan import review_services

    return review_services.review_create(
        plan=action_item.plan,
        held_on=datetime.date(2025, 3, 10),
        chair="Kementerian Luar Negeri and UN Resident Coordinator",
        participants=[kemnaker],
        minutes_en="The committee reviewed the plan.",
        minutes_id="Komite meninjau rencana aksi.",
        actor=coordinator,
    )
