"""The findings editor of a profile version: grouped by dimension and kind, saved in both
languages, deleted, and frozen once the version is no longer a draft."""

import pytest

from reports import services
from reports.models import Finding
from tests.test_pages_security_a11y import PageAudit

from .test_staff_pages import HTMX, as_user, media, quick_pdf, render_both

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_pdfs")]
__all__ = ["media", "quick_pdf"]  # the shared fixtures, used by name


def test_findings_page_groups_by_dimension_and_kind_with_labelled_fields(
    draft_profile, facilitator
):
    response = as_user(facilitator).get(f"/profiles/{draft_profile.pk}/findings/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("1. Migrants&#x27;", "2. Whole-of-government approach", "6. Safe, orderly"):
        assert name in html
    assert "<h3>Well-developed areas</h3>" in html
    assert "<h3>Areas with potential for further development</h3>" in html
    finding = draft_profile.findings.order_by("pk").first()
    assert f'id="text-en-{finding.pk}"' in html and f'id="text-id-{finding.pk}"' in html
    code = finding.indicators[0]
    assert f'/framework/mgi-national-2023/{code}/"' in html
    audit = PageAudit()
    audit.feed(html)
    assert audit.inline_scripts == 0 and audit.inline_styles == 0
    unlabelled = [f for f in audit.fields if f.get("id") not in audit.labels]
    assert not unlabelled
    assert audit.h1 == 1


def test_saving_a_finding_in_both_languages(draft_profile, facilitator):
    finding = draft_profile.findings.order_by("pk").first()
    url = f"/profiles/{draft_profile.pk}/findings/{finding.pk}/save/"
    response = as_user(facilitator).post(
        url,
        {"text_en": "  Migrant workers are protected.  ", "text_id": "Pekerja migran dilindungi."},
        headers=HTMX,
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<article id="finding-{finding.pk}"')
    assert "Saved" in fragment
    finding.refresh_from_db()
    assert finding.text_en == "Migrant workers are protected."
    assert finding.text_id == "Pekerja migran dilindungi."
    assert finding.edited_by == facilitator


def test_a_finding_needs_a_text_and_both_languages_before_approval(draft_profile, coordinator):
    finding = draft_profile.findings.order_by("pk").first()
    url = f"/profiles/{draft_profile.pk}/findings/{finding.pk}/save/"
    client = as_user(coordinator)
    response = client.post(url, {"text_en": " ", "text_id": ""}, headers=HTMX)
    assert response.status_code == 422
    fragment = response.content.decode()
    assert "Write the finding in English or in Bahasa Indonesia" in fragment
    finding.refresh_from_db()
    assert finding.text_en.strip()
    # Without htmx: the whole page, with the error beside that finding.
    page = client.post(url, {"text_en": "", "text_id": ""})
    assert page.status_code == 422
    assert "both before approval" in page.content.decode()
    # One language may wait for its translation: saved, and flagged.
    saved = client.post(url, {"text_en": "Only English", "text_id": " "}, headers=HTMX)
    assert saved.status_code == 200
    assert "The text in Bahasa Indonesia is missing." in saved.content.decode()
    finding.refresh_from_db()
    assert (finding.text_en, finding.text_id) == ("Only English", "")


def test_deleting_a_finding(draft_profile, coordinator):
    finding = draft_profile.findings.order_by("pk").first()
    client = as_user(coordinator)
    url = f"/profiles/{draft_profile.pk}/findings/{finding.pk}/delete/"
    response = client.post(url, headers=HTMX)
    assert response.status_code == 200
    assert "The finding was deleted." in response.content.decode()
    assert not Finding.objects.filter(pk=finding.pk).exists()
    other = draft_profile.findings.order_by("pk").first()
    redirect = client.post(f"/profiles/{draft_profile.pk}/findings/{other.pk}/delete/")
    assert redirect.status_code == 302
    assert not Finding.objects.filter(pk=other.pk).exists()


def test_findings_are_edited_only_in_draft(
    draft_profile, coordinator, facilitator, django_capture_on_commit_callbacks, quick_pdf
):
    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    services.profile_approve(profile=draft_profile, actor=coordinator)
    finding = draft_profile.findings.order_by("pk").first()
    client = as_user(facilitator)
    html = client.get(f"/profiles/{draft_profile.pk}/findings/").content.decode()
    assert "<textarea" not in html
    assert "no longer a draft" in html
    assert finding.text_en in html
    save = client.post(
        f"/profiles/{draft_profile.pk}/findings/{finding.pk}/save/",
        {"text_en": "Changed", "text_id": "Diubah"},
        headers=HTMX,
    )
    assert save.status_code == 409
    assert "Only a draft profile can be edited" in save.content.decode()
    delete = client.post(
        f"/profiles/{draft_profile.pk}/findings/{finding.pk}/delete/", headers=HTMX
    )
    assert delete.status_code == 409
    finding.refresh_from_db()
    assert finding.text_en != "Changed"


def test_a_finding_of_another_profile_is_404(draft_profile, coordinator):
    finding = draft_profile.findings.first()
    response = as_user(coordinator).post(
        f"/profiles/{draft_profile.pk + 1000}/findings/{finding.pk}/save/",
        {"text_en": "x", "text_id": "y"},
    )
    assert response.status_code == 404
