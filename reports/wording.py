"""The publication's own wording, in the edition's language: its title, headings and the
names it gives to places and institutions.

A profile edition is written in one language, whatever the reader's interface language, so
these texts are pairs chosen by the edition (`pick`), as the framework's texts are, rather
than interface strings that follow the active language. Institutions are named in full
(`institution_names`), never by their internal codes.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import formats, translation

from ministries.models import Institution

Pair = dict[str, str]

TITLE_NATIONAL: Pair = {
    "en": "Migration Governance Indicators Profile %(year)s – Republic of Indonesia",
    "id": "Profil Indikator Tata Kelola Migrasi %(year)s – Republik Indonesia",
}
TITLE_PROVINCIAL: Pair = {
    "en": "Migration Governance Indicators Profile %(year)s – %(place)s Province",
    "id": "Profil Indikator Tata Kelola Migrasi %(year)s – Provinsi %(place)s",
}

# The headings of the publication, by section (ProfileSection.Key) or part.
HEADINGS: dict[str, Pair] = {
    "contents": {"en": "Contents", "id": "Daftar isi"},
    "publisher": {"en": "Publisher's note and disclaimer", "id": "Catatan penerbit dan penafian"},
    "acknowledgements": {"en": "Acknowledgements", "id": "Ucapan terima kasih"},
    "objectives": {"en": "Objectives", "id": "Tujuan"},
    "introduction": {"en": "Introduction", "id": "Pendahuluan"},
    "context": {"en": "Migration context", "id": "Konteks migrasi"},
    "key_findings": {"en": "Summary of key findings", "id": "Ringkasan temuan utama"},
    "developments": {
        "en": "Developments since the last assessment",
        "id": "Perkembangan sejak penilaian sebelumnya",
    },
    "well_developed": {"en": "Well-developed areas", "id": "Bidang yang sudah berkembang baik"},
    "further_development": {
        "en": "Areas with potential for further development",
        "id": "Bidang yang berpotensi dikembangkan lebih lanjut",
    },
    "national": {
        "en": "Comparison with the national assessment",
        "id": "Perbandingan dengan penilaian nasional",
    },
    "annexes": {"en": "Annexes", "id": "Lampiran"},
    "annex_migof": {
        "en": "Annex 1: The Migration Governance Framework (MiGOF)",
        "id": "Lampiran 1: Kerangka Tata Kelola Migrasi (MiGOF)",
    },
    "annex_methodology": {"en": "Annex 2: Methodology", "id": "Lampiran 2: Metodologi"},
    "annex_indicators": {
        "en": "Annex 3: Indicators and answers",
        "id": "Lampiran 3: Indikator dan jawaban",
    },
    "annex_sources": {"en": "Annex 4: Sources", "id": "Lampiran 4: Sumber"},
    "annex_crosswalk": {
        "en": "Annex 5: The GCM objectives and SDG indicator 10.7.2",
        "id": "Lampiran 5: Tujuan GCM dan indikator TPB 10.7.2",
    },
}

# Short phrases of the publication.
PHRASES: dict[str, Pair] = {
    "figure": {"en": "Figure", "id": "Data"},
    "value": {"en": "Value", "id": "Nilai"},
    "source": {"en": "Source", "id": "Sumber"},
    "year": {"en": "Year", "id": "Tahun"},
    "no_figures": {
        "en": "No figures have been entered yet.",
        "id": "Belum ada data yang dimasukkan.",
    },
    "none_identified": {"en": "None identified.", "id": "Tidak ada yang teridentifikasi."},
    "other_subarea": {"en": "Other indicators", "id": "Indikator lainnya"},
    "instrument": {"en": "Source", "id": "Sumber"},
    "indicators": {"en": "Indicators", "id": "Indikator"},
    "no_sources": {"en": "No source was cited.", "id": "Tidak ada sumber yang dikutip."},
    "institutions": {"en": "Institutions", "id": "Lembaga"},
    "portal_mapping": {"en": "portal mapping", "id": "pemetaan portal"},
    "gcm": {
        "en": "Global Compact for Safe, Orderly and Regular Migration",
        "id": "Global Compact for Safe, Orderly and Regular Migration (GCM)",
    },
    "objective": {"en": "Objective", "id": "Tujuan"},
    "sdg": {"en": "SDG indicator 10.7.2", "id": "Indikator TPB 10.7.2"},
    "domain": {"en": "Domain", "id": "Domain"},
    "subcategory": {"en": "Sub-category", "id": "Subkategori"},
    "dimension": {"en": "Dimension", "id": "Dimensi"},
}


def pick(pair: Pair, language: str) -> str:
    return pair.get(language) or pair["en"]


def heading(key: str, language: str) -> str:
    return pick(HEADINGS[key], language)


def phrase(key: str, language: str) -> str:
    return pick(PHRASES[key], language)


def title(year: int, place: str | None, language: str) -> str:
    """The cover's title: the publication year, an en dash, then the country or province."""
    if place is not None:
        return pick(TITLE_PROVINCIAL, language) % {"year": year, "place": place}
    return pick(TITLE_NATIONAL, language) % {"year": year}


def headings(language: str) -> dict[str, str]:
    return {key: pick(pair, language) for key, pair in HEADINGS.items()}


def phrases(language: str) -> dict[str, str]:
    return {key: pick(pair, language) for key, pair in PHRASES.items()}


def long_date(day: datetime.date | None, language: str) -> str:
    """ "19 December 2023" / "19 Desember 2023"."""
    if day is None:
        return ""
    with translation.override(language):
        return str(formats.date_format(day, "j F Y"))


def iso_date(value: str | None) -> datetime.date | None:
    return datetime.datetime.fromisoformat(value).date() if value else None


def institution_names(acronyms: Iterable[str], language: str) -> dict[str, str]:
    """Each acronym's full name in `language` (one query); an unknown one keeps its acronym."""
    wanted = set(acronyms)
    found = {
        i.acronym: (getattr(i, f"name_{language}") or i.name_en)
        for i in Institution.objects.filter(acronym__in=wanted).only(
            "acronym", "name_en", "name_id"
        )
    }
    return {a: found.get(a, a) for a in wanted}


def place_of(meta: dict[str, Any], language: str) -> str | None:
    """The province's name in `language` for a provincial assessment, else None."""
    if meta.get("scope") != "provincial":
        return None
    return meta.get(f"province_{language}") or meta.get("province_en")
