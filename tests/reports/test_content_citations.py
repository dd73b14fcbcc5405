"""The snapshot stores the instrument a citation points at, not a sentence; profiles and
their data files cite it in the language of each edition (the stored label for a citation
typed by hand, and for snapshots frozen before the register)."""

import pytest
from django.utils import translation

from assessments.collection import services as collection_services
from assessments.consolidation import services as consolidation_services
from assessments.validation.services import snapshot_data
from reports import content, exports
from reports.chapters import citation

pytestmark = pytest.mark.django_db

LAW_ID = "Undang-Undang Nomor 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia"
LAW_EN = "Law No. 18 of 2017 on the Protection of Indonesian Migrant Workers"


@pytest.fixture
def consolidated_with_citations(cross_check_assessment, focal_a, facilitator, legal_instrument):
    """1.3.1's consolidated answer rests on UU 18/2017 (Pasal 5), chosen from the register,
    and on a ministerial regulation typed by hand."""
    a = cross_check_assessment
    made = {
        "law": collection_services.evidence_create(
            assessment=a,
            institution=focal_a.institution,
            actor=focal_a,
            kind="citation",
            instrument=legal_instrument,
            article="Pasal 5",
        ),
        "typed": collection_services.evidence_create(
            assessment=a,
            institution=focal_a.institution,
            actor=focal_a,
            kind="citation",
            instrument_type="ministerial_regulation",
            number="9",
            year=2019,
            title="Tata Cara Penempatan",
        ),
    }
    consolidation_services.consolidated_save(
        assessment=a,
        indicator=a.framework.indicators.get(code="1.3.1"),
        actor=facilitator,
        answer="yes",
        narrative_en="Regulated by law.",
        narrative_id="Diatur dalam undang-undang.",
        evidence=list(made.values()),
    )
    return a


def rows_of(assessment) -> list[dict]:
    return snapshot_data(assessment)["indicators"]


def test_the_snapshot_stores_the_instrument_and_the_article(consolidated_with_citations):
    row = next(r for r in rows_of(consolidated_with_citations) if r["code"] == "1.3.1")
    law, typed = sorted(row["evidence"], key=lambda e: e["instrument"] is None)
    assert law["article"] == "Pasal 5"
    stored = {k: v for k, v in law["instrument"].items() if k != "id"}
    assert stored == {
        "kind": "uu",
        "number": "18",
        "year": 2017,
        "title_id": "Pelindungan Pekerja Migran Indonesia",
        "title_en": "the Protection of Indonesian Migrant Workers",
        "issuer_id": "",
        "issuer_en": "",
        "issuer_acronym": "",
        "enacted_on": "2017-11-22",
        "url": "",
        "reference": "UU 18/2017",
    }
    assert typed["instrument"] is None and typed["label"].endswith("9/2019: Tata Cara Penempatan")


def test_the_sources_list_cites_each_instrument_in_the_editions_language(
    consolidated_with_citations,
):
    rows = rows_of(consolidated_with_citations)
    for language, expected in (("id", LAW_ID), ("en", LAW_EN)):
        with translation.override("en"):  # the reader's language does not matter
            legal = content._legal_instruments(rows, language)
        by_citation = {e["citation"]: e for e in legal}
        assert expected in by_citation, list(by_citation)
        entry = by_citation[expected]
        assert entry["indicators"] == ["1.3.1"] and entry["enacted_on"] == "2017-11-22"
        # Typed by hand: its stored label, as written.
        assert any(c.endswith("9/2019: Tata Cara Penempatan") for c in by_citation)
    law = next(e for r in rows for e in r["evidence"] if e["instrument"])
    assert citation(law, "id") == f"Pasal 5 {LAW_ID}"
    assert citation(law, "en") == f"Article 5 of {LAW_EN}"


def test_a_snapshot_frozen_before_the_register_keeps_its_label():
    old = {"kind": "citation", "label": "Law (Undang-Undang) 18/2017: PPMI", "year": 2017}
    rows = [{"code": "1.1.1", "evidence": [old]}]
    assert [e["citation"] for e in content._legal_instruments(rows, "id")] == [
        "Law (Undang-Undang) 18/2017: PPMI"
    ]


def test_the_data_files_cite_in_the_language_of_the_download(draft_profile, legal_instrument):
    from indicators.instruments import instrument_data

    data = draft_profile.snapshot.data
    row = next(r for r in data["indicators"] if r["code"] == "1.1.1")
    row["evidence"] = [
        {
            "kind": "citation",
            "label": "stored label",
            "article": "Pasal 5",
            "instrument": instrument_data(legal_instrument),
        }
    ]
    draft_profile.snapshot.save(update_fields=["data"])
    for language, expected in (("id", f"Pasal 5 {LAW_ID}"), ("en", f"Article 5 of {LAW_EN}")):
        with translation.override(language):
            rows = {r["code"]: r for r in exports.profile_data(draft_profile).rows}
        assert rows["1.1.1"]["legal_instruments"] == [expected]
