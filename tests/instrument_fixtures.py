"""Fixtures of the register of legal instruments (a pytest plugin of tests/conftest.py).

The register's reference data is loaded with the framework (`load_framework`) for the
whole session: UU 18/2017 and PP 59/2021 are in it.
"""

import pytest

from assessments.collection import services as collection_services
from indicators.models import LegalInstrument


@pytest.fixture
def legal_instrument(db) -> LegalInstrument:
    """UU 18/2017 on the Protection of Indonesian Migrant Workers, from the register."""
    return LegalInstrument.objects.get(kind="uu", number="18", year=2017)


@pytest.fixture
def government_regulation(db) -> LegalInstrument:
    """PP 59/2021, from the register."""
    return LegalInstrument.objects.get(kind="pp", number="59", year=2021)


@pytest.fixture
def typed_citation(national_assessment, focal_a):
    """A citation Kemnaker's focal point typed by hand in the national assessment, which
    matches nothing in the register (a ministerial regulation it does not hold)."""
    return collection_services.evidence_create(
        assessment=national_assessment,
        institution=focal_a.institution,
        actor=focal_a,
        kind="citation",
        instrument_type="ministerial_regulation",
        number="9",
        year=2019,
        title="Tata Cara Penempatan Pekerja Migran Indonesia",
    )
