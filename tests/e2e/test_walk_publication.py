"""Stage 6 of the walk: the coordinator creates the profile, renders both PDFs, approves and
publishes it, each through its confirmation; an anonymous visitor on a phone then finds the
published profile, reads it and downloads both PDFs."""

from __future__ import annotations

import pytest

from reports import content
from reports.models import Profile, ProfileRender
from tests.conftest import build_national_assessment, to_approved, to_cross_check, to_validation

from .cast import cast
from .conftest import LANGUAGES, STAGE_TIMEOUT

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(STAGE_TIMEOUT)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_publication(walk, lang, quick_pdfs):
    # The live server runs in a thread of this process: quick_pdfs' one-page stand-in applies
    # to the renders it runs (eagerly, after the request's commit).
    people = cast()
    assessment = build_national_assessment(people.coordinator, people.facilitator)
    to_cross_check(assessment, people.coordinator, people.focal_a, people.focal_b)
    to_validation(assessment, people.coordinator, people.facilitator)
    to_approved(
        assessment, people.coordinator, [people.focal_a.institution, people.focal_b.institution]
    )

    page = walk.persona(people.coordinator.username)
    page.goto(walk.url("assessment_detail", assessment.pk))
    walk.check(page, "approved assessment")
    page.get_by_role("link", name=walk.t("Profiles"), exact=True).click()
    walk.check(page, "profile: none yet")
    page.get_by_role("button", name=walk.t("Create version 1")).click()
    page.wait_for_load_state("load")
    walk.check(page, "version 1 created")
    profile = Profile.objects.get(assessment=assessment)

    # Both PDFs, each rendered in place (htmx) by the task.
    for code, label in ProfileRender.Language.choices:
        slot = page.locator(f"#render-{code}")
        slot.get_by_role(
            "button", name=walk.t("Render (%(language)s)") % {"language": label}
        ).click()
        page.locator(f"#render-{code}.staff-render-done").wait_for()
    walk.check(page, "both PDFs rendered")
    done = profile.renders.filter(status=ProfileRender.Status.DONE)
    assert sorted(done.values_list("language", flat=True)) == ["en", "id"]

    # Approval and publication, each through the page that says what follows.
    for step, button, confirm_label, status in (
        (
            "approve",
            walk.t("Approve version %(version)s") % {"version": 1},
            walk.t("Approve version %(version)s") % {"version": 1},
            Profile.Status.APPROVED,
        ),
        ("publish", walk.t("Publish now"), walk.t("Publish now"), Profile.Status.PUBLISHED),
    ):
        page.locator(".staff-step").get_by_role("button", name=button, exact=True).click()
        confirm = page.locator("form.confirm-form").get_by_role("button", name=confirm_label)
        confirm.wait_for()
        walk.check(page, f"{step}: confirmation")
        profile.refresh_from_db()
        assert profile.status != status
        confirm.click()
        page.wait_for_url("**/profiles/")
        walk.check(page, f"{step}: done")
        profile.refresh_from_db()
        assert profile.status == status

    # An anonymous visitor, on a phone: the list, the profile, both PDFs.
    visitor = walk.persona(None, phone=True)
    visitor.goto(walk.url("public_profiles"))
    walk.check(visitor, "visitor: published profiles")
    visitor.locator(".public-profile-entry h2").get_by_role("link").click()
    visitor.wait_for_url(f"**/profiles/{profile.pk}/")
    title = content.public_title(profile, lang)
    visitor.get_by_role("heading", level=1, name=title).wait_for()
    walk.check(visitor, "visitor: profile")
    links = visitor.locator('.public-download-box a[type="application/pdf"]')
    assert links.count() == 2
    for i in range(2):
        href = links.nth(i).get_attribute("href")
        assert href
        response = visitor.request.get(walk.base + href)
        assert response.status == 200, href
        assert response.headers["content-type"] == "application/pdf", href
        assert response.body()[:5] == b"%PDF-", href
    walk.finish()
