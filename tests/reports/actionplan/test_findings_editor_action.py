"""One click from the staff findings editor: "Add to action plan" on an area with potential
for further development of the published profile, "In the action plan" once it is."""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from indicators.models import Indicator
from ministries.models import User
from reports.actionplan.models import ActionItem
from reports.models import Finding, Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BUTTON = "Add to action plan"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def editor(user: User, profile: Profile) -> str:
    response = signed_in(user).get(f"/profiles/{profile.pk}/findings/")
    assert response.status_code == 200
    return response.content.decode()


def add(user: Any, finding: Finding, client: Client | None = None) -> Any:
    assessment_id = finding.profile.assessment_id
    return (client or signed_in(user)).post(
        f"/assessments/{assessment_id}/action-plan/from-finding/{finding.pk}/",
        {"from": "findings"},
    )


def test_coordinators_see_the_button_on_areas_for_development(
    further_finding: Finding, coordinator: User
):
    page = editor(coordinator, further_finding.profile)
    url = f"/assessments/{further_finding.profile.assessment_id}/action-plan/from-finding/"
    further = further_finding.profile.findings.filter(kind=Finding.Kind.FURTHER_DEVELOPMENT)
    well = further_finding.profile.findings.filter(kind=Finding.Kind.WELL_DEVELOPED)
    assert page.count(BUTTON) == further.count() > 0
    assert f'action="{url}{further_finding.pk}/"' in page
    for finding in well:  # a well-developed area is no action
        assert f'action="{url}{finding.pk}/"' not in page
    assert "In the action plan" not in page


def test_facilitators_do_not_see_the_button(further_finding: Finding, facilitator: User):
    further_finding.profile.assessment.facilitators.add(facilitator)
    page = editor(facilitator, further_finding.profile)
    assert "Findings of version" in page and BUTTON not in page


def test_no_button_before_publication(draft_profile: Profile, coordinator: User):
    assert draft_profile.status == Profile.Status.DRAFT
    page = editor(coordinator, draft_profile)
    assert draft_profile.findings.filter(kind=Finding.Kind.FURTHER_DEVELOPMENT).exists()
    assert BUTTON not in page


def test_one_click_makes_one_item_and_the_second_is_refused(
    further_finding: Finding, coordinator: User
):
    client = signed_in(coordinator)
    response = add(coordinator, further_finding, client)
    item = ActionItem.objects.get(finding=further_finding)
    assert response.status_code == 302
    assert response["Location"] == f"/action-plan/items/{item.pk}/"
    assert item.indicators == further_finding.indicators
    assert item.dimension == further_finding.dimension
    expected = set(
        Indicator.objects.filter(
            framework=further_finding.profile.assessment.framework,
            code__in=further_finding.indicators,
        ).values_list("gcm_objectives__number", flat=True)
    ) - {None}
    assert expected and set(item.gcm_objectives.values_list("number", flat=True)) == expected
    page = client.get(f"/action-plan/items/{item.pk}/").content.decode()
    assert "The finding is added to the action plan as this action." in page

    again = add(coordinator, further_finding, client)
    findings_url = f"/profiles/{further_finding.profile_id}/findings/"
    assert again["Location"] == f"{findings_url}#finding-{further_finding.pk}"
    assert ActionItem.objects.filter(finding=further_finding).count() == 1
    shown = client.get(findings_url).content.decode()
    assert "This finding is already in the action plan." in shown
    assert f'<a href="/action-plan/items/{item.pk}/">In the action plan</a>' in shown
    others = further_finding.profile.findings.filter(kind=Finding.Kind.FURTHER_DEVELOPMENT)
    assert shown.count(BUTTON) == others.count() - 1


def test_facilitators_cannot_add(further_finding: Finding, facilitator: User):
    further_finding.profile.assessment.facilitators.add(facilitator)
    assert add(facilitator, further_finding).status_code == 403
    stranger = UserFactory(username="t-fac-other", role=User.Role.FACILITATOR)
    assert add(stranger, further_finding).status_code == 404
    assert not ActionItem.objects.exists()


def test_the_button_in_indonesian(further_finding: Finding, coordinator: User):
    client = signed_in(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(f"/profiles/{further_finding.profile_id}/findings/").content.decode()
    assert '<html lang="id">' in page and "Temuan versi 1" in page  # Findings of version 1
    with translation.override("id"):
        assert translation.gettext(BUTTON) in page  # "Tambahkan ke rencana aksi" (B.po)
