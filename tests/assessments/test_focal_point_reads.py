"""A focal point's reads of an assessment and of their institution, compiled once per
process (assessments/permissions.py: `_FOCAL_POINT_ASSESSMENT_READ`, `_INSTITUTION_READ`),
give what the querysets they stand for give: the same assessments, the same 404s."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.models import Assessment
from assessments.permissions import (
    assessments_visible_to,
    get_assessment_for_user,
    own_institution_or_404,
)
from assessments.setup import services as setup_services
from indicators.models import FrameworkVersion
from ministries.models import User
from tests.factories import InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db


def fields(assessment: Assessment) -> dict[str, Any]:
    return {f.attname: getattr(assessment, f.attname) for f in Assessment._meta.concrete_fields}


def new_assessment(coordinator: User, year: int) -> Assessment:
    return setup_services.assessment_create(
        actor=coordinator,
        framework=FrameworkVersion.objects.get(code="mgi-national-2023"),
        year=year,
        title_en=f"Assessment {year}",
        title_id=f"Asesmen {year}",
    )


def test_a_focal_points_assessment_is_the_visible_querysets(
    national_assessment, focal_a, kemnaker, coordinator, django_assert_num_queries
):
    elsewhere = new_assessment(coordinator, 2031)  # neither assigned nor invited
    invited = new_assessment(coordinator, 2032)  # invited, nothing assigned yet
    setup_services.assessment_set_participants(
        assessment=invited, actor=coordinator, institutions=[kemnaker]
    )
    outsider = UserFactory(
        username="t-outsider", role=User.Role.FOCAL_POINT, institution=InstitutionFactory()
    )
    pks = [national_assessment.pk, elsewhere.pk, invited.pk, 987654, str(invited.pk), "007"]
    for user in (focal_a, outsider):
        for pk in pks:
            try:
                expected = get_object_or_404(assessments_visible_to(user), pk=pk)
            except Http404:
                with pytest.raises(Http404):
                    get_assessment_for_user(user, pk)
                continue
            with django_assert_num_queries(1):
                found = get_assessment_for_user(user, pk)
                # Read with the same related objects.
                assert found.framework == expected.framework and found.province is None
            assert fields(found) == fields(expected)
    assert get_assessment_for_user(focal_a, invited.pk, right=lambda user, a: True) == invited
    with pytest.raises(Http404):
        get_assessment_for_user(focal_a, elsewhere.pk)
    with pytest.raises(PermissionDenied):
        get_assessment_for_user(focal_a, national_assessment.pk, right=lambda user, a: False)


def test_own_institution_is_read_once_and_kept_on_the_user(
    focal_a, kemnaker, coordinator, django_assert_num_queries
):
    user = User.objects.get(pk=focal_a.pk)
    with django_assert_num_queries(1):
        institution = own_institution_or_404(user)
        assert user.institution is institution
    assert institution == kemnaker and institution.name_en == kemnaker.name_en
    with django_assert_num_queries(0):
        assert own_institution_or_404(user) is institution
    with pytest.raises(Http404):
        own_institution_or_404(coordinator)
