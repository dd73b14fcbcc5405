"""Each user's own settings: preferred language and email notifications."""

import pytest
from django.core import mail

from assessments.review import services as review_services
from ministries import services
from ministries.models import User

from ..conftest import submit_institution
from ..test_pages_security_a11y import PageAudit

pytestmark = pytest.mark.django_db

URL = "/accounts/settings/"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_page_shows_the_current_settings_with_labelled_fields(client, focal_a):
    client.force_login(focal_a)
    response = client.get(URL)
    html = response.content.decode()
    # A new account has no saved language: the page says the browser's language applies.
    assert '<option value="" selected>' in html and "Follow my browser" in html
    assert 'name="notifications_enabled"' in html and "checked" in html
    audit = PageAudit()
    audit.feed(html)
    unlabelled = [f for f in audit.fields if f.get("id") not in audit.labels]
    assert unlabelled == [] and audit.inline_styles == 0 and audit.inline_scripts == 0


def test_every_page_links_to_the_settings_for_signed_in_users(client, focal_a):
    assert f'href="{URL}"' not in client.get("/").content.decode()
    client.force_login(focal_a)
    assert f'href="{URL}"' in client.get("/").content.decode()


def test_saving_stores_language_and_notifications_and_switches_the_language(client, focal_a):
    client.force_login(focal_a)
    response = client.post(URL, {"language": "id"})  # an unticked box is not sent
    assert response.status_code == 302 and response["Location"] == URL
    assert response.cookies["django_language"].value == "id"
    focal_a.refresh_from_db()
    assert focal_a.language == "id" and focal_a.notifications_enabled is False
    page = client.get(URL).content.decode()
    assert '<html lang="id">' in page
    assert '<option value="id" selected>' in page

    response = client.post(URL, {"language": "en", "notifications_enabled": "on"})
    focal_a.refresh_from_db()
    assert focal_a.language == "en" and focal_a.notifications_enabled is True
    assert response.cookies["django_language"].value == "en"


def test_an_unknown_language_is_refused(client, focal_a):
    client.force_login(focal_a)
    response = client.post(URL, {"language": "fr", "notifications_enabled": "on"})
    assert response.status_code == 200
    assert "django_language" not in response.cookies
    focal_a.refresh_from_db()
    assert focal_a.language == ""


def test_choosing_the_browsers_language_forgets_the_saved_one(client, focal_a):
    focal_a.language = "id"
    focal_a.save()
    client.force_login(focal_a)
    client.cookies["django_language"] = "id"
    response = client.post(URL, {"language": "", "notifications_enabled": "on"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == ""  # the cookie is deleted
    focal_a.refresh_from_db()
    assert focal_a.language == ""
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in page and '<option value="" selected>' in page


def test_saving_notifications_alone_does_not_choose_a_language(client, focal_a):
    client.force_login(focal_a)
    client.post(URL, {"language": "", "notifications_enabled": ""}, HTTP_ACCEPT_LANGUAGE="id")
    focal_a.refresh_from_db()
    assert focal_a.language == "" and focal_a.notifications_enabled is False


def test_service_refuses_an_unknown_language(focal_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.user_update_preferences(user=focal_a, language="fr", notifications_enabled=True)


def emails_to(user: User) -> list:
    return [m for m in mail.outbox if user.email in m.to]


def test_facilitator_who_switched_notifications_off_gets_no_submission_email(
    client, facilitator, national_assessment, kemnaker, focal_a, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)
    client.post(URL, {"language": "en"})
    facilitator.refresh_from_db()
    assert facilitator.notifications_enabled is False
    with django_capture_on_commit_callbacks(execute=True):
        submit_institution(national_assessment, kemnaker, focal_a, "yes")
    assert emails_to(facilitator) == []


def test_facilitator_with_notifications_on_gets_the_submission_email(
    facilitator, national_assessment, kemnaker, focal_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_institution(national_assessment, kemnaker, focal_a, "yes")
    assert len(emails_to(facilitator)) == 1


def test_focal_point_who_switched_notifications_off_is_not_told_of_a_return(
    facilitator,
    focal_a,
    national_assessment,
    kemnaker,
    django_capture_on_commit_callbacks,
):
    submit_institution(national_assessment, kemnaker, focal_a, "yes")
    services.user_update_preferences(user=focal_a, language="en", notifications_enabled=False)
    response = national_assessment.responses.get(institution=kemnaker, indicator__code="1.3.1")
    with django_capture_on_commit_callbacks(execute=True):
        review_services.response_review(
            response=response, actor=facilitator, decision="return", comment="Cite the article."
        )
    assert emails_to(focal_a) == []

    services.user_update_preferences(user=focal_a, language="en", notifications_enabled=True)
    response = national_assessment.responses.get(institution=kemnaker, indicator__code="1.3.2")
    with django_capture_on_commit_callbacks(execute=True):
        review_services.response_review(
            response=response, actor=facilitator, decision="query", comment="Which article?"
        )
    assert len(emails_to(focal_a)) == 1
