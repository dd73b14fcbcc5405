import pytest

pytestmark = pytest.mark.django_db


def test_validation_fixture_reaches_validation(validation_assessment):
    assert validation_assessment.status == "validation"
    assert validation_assessment.consolidated_answers.count() == 98
