"""The demo Central Java profile as an IOM MGI publication, rendered by WeasyPrint in both
languages and read back with pypdf: its parts in the edition's language, its title, its
sources as footnotes at the foot of the page, and institutions named in full.

Rendering costs seconds, so the module renders each edition once (`editions`, module scope,
inside a transaction rolled back afterwards) and the tests read the result.
"""

import io
import re
from typing import Any

import pytest
from django.db import transaction
from pypdf import PdfReader

from assessments.demo import seed_assessments
from ministries.demo import seed_people
from ministries.models import Institution, User
from reports import demo_publication, services, wording
from reports.chapters import row_sources
from reports.pdf import render_document

pytestmark = pytest.mark.django_db

# The parts every edition has, by their heading key (reports/wording.py).
PARTS = [
    "contents",
    "publisher",
    "acknowledgements",
    "objectives",
    "introduction",
    "context",
    "key_findings",
    "well_developed",
    "further_development",
    "annex_migof",
    "annex_methodology",
    "annex_indicators",
    "annex_sources",
    "annex_crosswalk",
]
# An internal institution code: capitals and digits joined by hyphens (KANIM-SEMARANG).
CODE = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)+$")


def _page(page: Any) -> dict[str, Any]:
    """A page's text, and each piece of text with its height on the page (0 = the bottom)."""
    pieces: list[tuple[str, float]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.append((text, float(y)))

    text = page.extract_text(visitor_text=visit)
    return {"text": text, "pieces": pieces, "height": float(page.mediabox.height)}


@pytest.fixture(scope="module")
def editions(django_db_setup, django_db_blocker) -> dict[str, Any]:
    """Both editions of the demo Central Java profile (published in 2024), as pages of text."""
    result: dict[str, Any] = {}
    with django_db_blocker.unblock(), transaction.atomic():
        seed_people(io.StringIO())
        assessment = seed_assessments(io.StringIO())
        coordinator = User.objects.get(username="jateng-coordinator")
        profile = services.profile_create(
            assessment=assessment, actor=coordinator, publication_year=2024
        )
        demo_publication.seed_publication(profile, coordinator)
        result["codes"] = sorted(
            a for a in Institution.objects.values_list("acronym", flat=True) if CODE.match(a)
        )
        rows = profile.snapshot.data["indicators"]
        for language in ("en", "id"):
            html = services.profile_html(profile, language)
            pdf = render_document(html).write_pdf()
            pages = [_page(p) for p in PdfReader(io.BytesIO(pdf)).pages]
            result[language] = {
                "pages": pages,
                "text": " ".join(" ".join(p["text"].split()) for p in pages),
                "sources": sorted({s for r in rows for s in row_sources(r, language)}),
            }
        transaction.set_rollback(True)
    return result


@pytest.mark.parametrize("language", ["en", "id"])
def test_each_part_has_its_heading_in_the_edition_language(editions, language):
    text = editions[language]["text"]
    for key in PARTS:
        assert wording.heading(key, language) in text, key
    other = "id" if language == "en" else "en"
    for key in ("acknowledgements", "objectives", "introduction", "key_findings"):
        assert wording.heading(key, other) not in text, key


def test_the_title_carries_the_publication_year_and_an_en_dash(editions):
    assert (
        "Migration Governance Indicators Profile 2024 – Central Java Province"
        in (editions["en"]["text"])
    )
    assert (
        "Profil Indikator Tata Kelola Migrasi 2024 – Provinsi Jawa Tengah"
        in (editions["id"]["text"])
    )
    for language in ("en", "id"):
        assert "2023:" not in editions[language]["text"]


@pytest.mark.parametrize("language", ["en", "id"])
def test_sources_are_footnotes_at_the_foot_of_the_page_not_repeated_inline(editions, language):
    edition = editions[language]
    assert edition["sources"], "the demo cites sources"
    source = edition["sources"][0]
    start = " ".join(source.split())[:40]
    chapter = wording.heading("well_developed", language)
    placed = 0
    for page in edition["pages"]:
        if chapter not in page["text"]:
            continue
        lines = [(t, y) for t, y in page["pieces"] if start[:25] in " ".join(t.split())]
        for _text, y in lines:
            # The foot of the page: below the body, above the bottom margin's label.
            assert y < page["height"] * 0.3, (language, y)
            placed += 1
        # A note's number follows the sentence, as a footnote call: "…offices.1".
        flat = " ".join(page["text"].split())
        assert flat.count(start) <= 1, "a source is cited once per page, in its footnote"
    assert placed, "the chapters carry their sources as footnotes"


@pytest.mark.parametrize("language", ["en", "id"])
def test_no_institution_code_appears_only_full_names(editions, language):
    text = editions[language]["text"]
    assert "KANIM-SEMARANG" in editions["codes"]
    for code in editions["codes"]:
        assert code not in text, code
    full = {
        "en": "Semarang Class I Immigration Office",
        "id": "Kantor Imigrasi Kelas I TPI Semarang",
    }
    assert full[language] in text


def test_front_matter_quotes_figures_from_the_data(editions):
    en, id_ = editions["en"]["text"], editions["id"]["text"]
    # The methodology's counts and the validation session's date come from the snapshot.
    assert "Indicators were assigned to 12 institutions." in en
    assert "18 September 2023 in Semarang, with 121 participants" in en
    assert "pada 18 September 2023 di Semarang, dengan 121 peserta" in id_
    # The context table: each figure with its source and year; demonstration values say so.
    assert "Demonstration value, not an official statistic" in en
    assert "The opinions expressed in the report are those of the authors" in en
    assert "Pendapat yang dikemukakan dalam laporan ini" in id_
    assert "DEMONSTRATION DATA" in editions["en"]["pages"][-1]["text"]


def test_each_edition_cites_the_laws_in_its_own_language(editions):
    """The register's instruments, formatted per edition: no English instrument title in
    the Indonesian edition, no Indonesian one in the English edition."""
    from indicators.models import LegalInstrument

    english, indonesian = editions["en"]["text"], editions["id"]["text"]
    assert "Law No. 18 of 2017 on the Protection of Indonesian Migrant Workers" in english
    assert "Undang-Undang Nomor 18 Tahun 2017 tentang Pelindungan Pekerja Migran" in indonesian
    assert "Peraturan Pemerintah Nomor 59 Tahun 2021" in indonesian
    for kind, number, year in (("uu", "18", 2017), ("pp", "59", 2021)):  # the demo's citations
        instrument = LegalInstrument.objects.get(kind=kind, number=number, year=year)
        assert instrument.title_en not in indonesian, instrument
        assert instrument.title_id in indonesian, instrument
    assert "Undang-Undang Nomor" not in english
    assert "Law (Undang-Undang)" not in english + indonesian
