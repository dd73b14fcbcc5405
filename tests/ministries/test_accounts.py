import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from ministries.models import Institution, User

pytestmark = pytest.mark.django_db


def test_login_with_password_then_logout(client, focal_a):
    focal_a.set_password("correct-horse")
    focal_a.save()
    response = client.post("/accounts/login/", {"username": focal_a.username, "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()

    response = client.post(
        "/accounts/login/", {"username": focal_a.username, "password": "correct-horse"}
    )
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert "Signed in as" in home and "Ministry of Manpower" in home

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "Signed in as" not in client.get("/").content.decode()


def test_language_switch_is_remembered_on_the_account(client, focal_a):
    client.force_login(focal_a)
    response = client.post("/language/", {"language": "id", "next": "/framework/"})
    assert response.status_code == 302 and response["Location"] == "/framework/"
    assert response.cookies["django_language"].value == "id"
    focal_a.refresh_from_db()
    assert focal_a.language == "id"
    html = client.get("/framework/").content.decode()
    assert '<html lang="id">' in html


def test_login_restores_the_users_language_on_a_new_browser(client, focal_a):
    focal_a.language = "id"
    focal_a.set_password("correct-horse")
    focal_a.save()
    response = client.post(
        "/accounts/login/", {"username": focal_a.username, "password": "correct-horse"}
    )
    assert response.cookies["django_language"].value == "id"


def _sign_in(client, user, **headers):
    user.set_password("correct-horse")
    user.save()
    return client.post(
        "/accounts/login/", {"username": user.username, "password": "correct-horse"}, **headers
    )


def test_a_new_account_has_no_saved_language(focal_a):
    assert User(username="new").language == ""
    assert focal_a.language == ""


def test_signing_in_without_a_saved_language_follows_the_browser(client, focal_a):
    response = _sign_in(client, focal_a, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 302
    assert "django_language" not in response.cookies  # nothing chosen, nothing imposed
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<html lang="id">' in home
    assert "Masuk sebagai" in home and "Signed in as" not in home
    focal_a.refresh_from_db()
    assert focal_a.language == ""


def test_signing_in_without_a_saved_language_keeps_the_language_cookie(client, focal_a):
    client.cookies["django_language"] = "id"
    _sign_in(client, focal_a, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="id">' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_signing_in_with_english_saved_shows_english_whatever_the_browser_says(client, focal_a):
    focal_a.language = "en"
    client.cookies["django_language"] = "id"  # left by an earlier visit
    response = _sign_in(client, focal_a, HTTP_ACCEPT_LANGUAGE="id")
    assert response.cookies["django_language"].value == "en"
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<html lang="en">' in home and "Signed in as" in home


def test_a_language_chosen_on_the_switch_is_applied_at_the_next_sign_in(client, focal_a):
    _sign_in(client, focal_a, HTTP_ACCEPT_LANGUAGE="en")
    client.post("/language/", {"language": "id", "next": "/"})
    client.post("/accounts/logout/")
    focal_a.refresh_from_db()
    assert focal_a.language == "id"
    other_browser = type(client)()
    response = _sign_in(other_browser, focal_a, HTTP_ACCEPT_LANGUAGE="en")
    assert response.cookies["django_language"].value == "id"
    home = other_browser.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="id">' in home


def test_migration_unsets_only_the_old_default(django_user_model, focal_a, focal_b):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("ministries.migrations.0002_user_language_unset")
    User.objects.filter(pk=focal_a.pk).update(language="en")
    User.objects.filter(pk=focal_b.pk).update(language="id")
    migration.unset_old_default(apps, None)
    assert dict(
        User.objects.filter(pk__in=[focal_a.pk, focal_b.pk]).values_list("pk", "language")
    ) == {
        focal_a.pk: "",
        focal_b.pk: "id",
    }
    migration.restore_old_default(apps, None)
    focal_a.refresh_from_db()
    assert focal_a.language == "en"


def test_language_switch_refuses_foreign_redirects_and_unknown_languages(client):
    response = client.post("/language/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies


def test_language_switch_requires_post(client):
    assert client.get("/language/").status_code == 405


def test_password_reset_sends_a_working_link_through_the_task_queue(
    client, focal_a, django_capture_on_commit_callbacks
):
    focal_a.email = "budi@kemnaker.go.id"
    focal_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": "budi@kemnaker.go.id"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["budi@kemnaker.go.id"]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    post_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(
        post_url, {"new_password1": "A-new-pass-2024", "new_password2": "A-new-pass-2024"}
    )
    assert done.status_code == 302
    focal_a.refresh_from_db()
    assert focal_a.check_password("A-new-pass-2024")


def test_password_reset_for_unknown_email_reveals_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_email_is_in_the_users_language(
    client, focal_a, django_capture_on_commit_callbacks
):
    focal_a.email = "budi@kemnaker.go.id"
    focal_a.save()
    client.cookies["django_language"] = "id"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": "budi@kemnaker.go.id"})
    [message] = mail.outbox
    assert "kata sandi" in message.subject.lower()


def test_roles_need_their_scope(kemnaker):
    with pytest.raises(ValidationError):
        User(username="x", role=User.Role.FOCAL_POINT).full_clean()
    with pytest.raises(ValidationError):
        User(username="y", role=User.Role.PROVINCIAL_COORDINATOR).full_clean()
    User(username="z", role=User.Role.FOCAL_POINT, institution=kemnaker, password="x").full_clean()


def test_renamed_institution_points_to_its_successor():
    import datetime

    bp2mi = Institution.objects.get(acronym="BP2MI")
    assert bp2mi.successor.acronym == "KP2MI"
    assert bp2mi.is_valid_on(datetime.date(2023, 6, 1))
    assert not bp2mi.is_valid_on(datetime.date(2025, 1, 1))
    valid_2025 = set(
        Institution.objects.valid_on(datetime.date(2025, 1, 1)).values_list("acronym", flat=True)
    )
    assert "KP2MI" in valid_2025 and "BP2MI" not in valid_2025


def test_provinces_are_all_38_with_central_java():
    from ministries.models import Province

    assert Province.objects.count() == 38
    assert Province.objects.get(code="33").name_id == "Jawa Tengah"
