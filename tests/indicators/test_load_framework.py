from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command

from indicators.models import (
    Dimension,
    FrameworkVersion,
    GCMObjective,
    Indicator,
    SDGDomain,
    SDGSubcategory,
    SubArea,
)

pytestmark = pytest.mark.django_db

MODELS: list[Any] = [
    FrameworkVersion,
    Dimension,
    SubArea,
    Indicator,
    GCMObjective,
    SDGDomain,
    SDGSubcategory,
    Indicator.gcm_objectives.through,
    Indicator.sdg_subcategories.through,
]


def counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in MODELS}


def test_national_framework_has_98_indicators_in_six_dimensions():
    national = FrameworkVersion.objects.get(code="mgi-national-2023")
    per_dimension = Counter(national.indicators.values_list("dimension__number", flat=True))
    assert sum(per_dimension.values()) == 98
    assert sorted(per_dimension) == [1, 2, 3, 4, 5, 6]
    assert list(national.dimensions.values_list("name_en", flat=True)) == [
        "Migrants' rights",
        "Whole-of-government approach",
        "Partnerships",
        "Well-being of migrants",
        "Mobility dimensions of crises",
        "Safe, orderly and regular migration",
    ]


def test_every_indicator_has_both_languages_and_a_gcm_objective():
    for indicator in Indicator.objects.prefetch_related("gcm_objectives"):
        assert indicator.question_en.strip(), indicator.code
        assert indicator.question_id.strip(), indicator.code
        assert indicator.question_en != indicator.question_id, indicator.code
        assert indicator.gcm_objectives.all(), indicator.code
        assert indicator.code.startswith(indicator.subarea.code + ".")


def test_crosswalks_hold_23_gcm_objectives_and_30_sdg_subcategories():
    assert list(GCMObjective.objects.values_list("number", flat=True)) == list(range(1, 24))
    assert SDGDomain.objects.count() == 6
    assert SDGSubcategory.objects.count() == 30


def test_local_framework_is_a_provincial_subset_linked_to_national_codes():
    local = FrameworkVersion.objects.get(code="mgi-local-2023")
    assert local.level == FrameworkVersion.Level.LOCAL
    national_codes = set(
        Indicator.objects.filter(framework__code="mgi-national-2023").values_list("code", flat=True)
    )
    indicators = list(local.indicators.all())
    assert 0 < len(indicators) < 98
    assert {i.dimension.number for i in indicators} == {1, 2, 3, 4, 5, 6}
    linked = [i for i in indicators if i.national_code]
    assert linked and all(i.national_code in national_codes for i in linked)
    national_competence = [i for i in indicators if i.national_competence]
    assert national_competence
    assert all(i.allows_not_applicable for i in national_competence)


def test_load_framework_twice_changes_nothing():
    before = counts()
    stamp = FrameworkVersion.objects.get(code="mgi-national-2023").updated_at
    call_command("load_framework", verbosity=0)
    assert counts() == before
    assert FrameworkVersion.objects.get(code="mgi-national-2023").updated_at == stamp
