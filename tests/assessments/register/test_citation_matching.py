"""Migration 0011 and `citations_match`: typed citations whose type, number and year agree
with exactly one instrument of the register point at it; the others stay as typed, to be
resolved by a person."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from assessments.collection import services as collection_services
from assessments.collection.citations import citations_match
from assessments.models import Evidence
from indicators.models import LegalInstrument
from ministries.models import Institution

pytestmark = pytest.mark.django_db

migration = importlib.import_module("assessments.migrations.0011_evidence_instrument")
SCHEMA_EDITOR = SimpleNamespace(connection=connection)


def typed(assessment, focal, instrument_type, number, year, title="Typed by hand"):
    return collection_services.evidence_create(
        assessment=assessment,
        institution=focal.institution,
        actor=focal,
        kind="citation",
        instrument_type=instrument_type,
        number=number,
        year=year,
        title=title,
    )


@pytest.fixture
def typed_citations(national_assessment, focal_a):
    """Citations as the portal stored them before the register: one that agrees with the
    register, and three that do not (no such instrument, another kind, two candidates)."""
    for acronym in ("KEMNAKER", "BP2MI"):
        LegalInstrument.objects.create(
            kind="permen",
            number="9",
            year=2019,
            issuer=Institution.objects.get(acronym=acronym),
            title_id=f"Peraturan {acronym}",
        )
    return {
        "law": typed(national_assessment, focal_a, "law", " 18 ", 2017, "Protection of PMI"),
        "unknown": typed(national_assessment, focal_a, "law", "99", 2017),
        "other_kind": typed(national_assessment, focal_a, "regional_regulation", "18", 2017),
        "two_candidates": typed(national_assessment, focal_a, "ministerial_regulation", "9", 2019),
    }


def linked(citations) -> dict[str, str | None]:
    found = {}
    for name, evidence in citations.items():
        evidence.refresh_from_db()
        found[name] = str(evidence.instrument) if evidence.instrument else None
    return found


def test_the_migration_links_a_typed_citation_that_agrees_with_one_instrument(typed_citations):
    migration.match_citations(apps, SCHEMA_EDITOR)
    assert linked(typed_citations) == {
        "law": "Law (Undang-Undang) 18/2017",
        "unknown": None,
        "other_kind": None,
        "two_candidates": None,
    }
    # Linked, it keeps what was typed: the data migration changes no text.
    assert typed_citations["law"].title == "Protection of PMI"


def test_the_rule_after_loading_the_register_is_the_migrations(typed_citations):
    assert citations_match() == 1
    assert linked(typed_citations)["law"] == "Law (Undang-Undang) 18/2017"
    assert citations_match() == 0  # again: nothing new to link
    left = Evidence.objects.filter(kind="citation", instrument__isnull=True)
    assert set(left.values_list("pk", flat=True)) == {
        typed_citations[name].pk for name in ("unknown", "other_kind", "two_candidates")
    }
