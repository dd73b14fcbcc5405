"""The sign-in backend's read of a session's user (ministries/backends.py): compiled once,
the same user as Django's ModelBackend reads, and nobody who may not sign in."""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ministries.backends import _USER, ModelBackend
from ministries.models import User


def test_the_user_read_is_djangos_user_field_for_field(focal_a: User) -> None:
    ours, django_s = ModelBackend().get_user(focal_a.pk), DjangoModelBackend().get_user(focal_a.pk)
    assert ours is not None and django_s is not None
    assert model_to_dict(ours) == model_to_dict(django_s)
    assert (ours.institution_id, ours.role, ours.password) == (
        focal_a.institution_id,
        User.Role.FOCAL_POINT,
        focal_a.password,
    )
    assert ours._state.db == "default" and not ours._state.adding


def test_an_inactive_or_unknown_user_is_nobody(focal_a: User) -> None:
    focal_a.is_active = False
    focal_a.save(update_fields=["is_active"])
    assert ModelBackend().get_user(focal_a.pk) is None
    assert ModelBackend().get_user(focal_a.pk + 10_000) is None
    assert ModelBackend().get_user(str(focal_a.pk)) is None  # the ORM's path: inactive too


def test_a_signed_in_page_reads_its_user_once_through_the_compiled_query(
    client: Client, focal_a: User
) -> None:
    client.force_login(focal_a)  # the settings' backend: ours
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    assert page.status_code == 200
    assert focal_a.username in page.content.decode()
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "ministries_user"' in q["sql"]]
    assert len(reads) == 1 and f'"ministries_user"."id" = {focal_a.pk}' in reads[0]
    assert _USER._compiled[None] is not None  # compiled, not the ORM's fallback
