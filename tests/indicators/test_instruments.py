"""The register of legal instruments: citations in each edition's language, short forms,
the reference data and the register's rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from indicators import instruments
from indicators.instruments import cite, instrument_data, instrument_lookup, reference
from indicators.models import LegalInstrument
from indicators.register import instrument_save, instruments_load
from ministries.models import Institution

pytestmark = pytest.mark.django_db

K = LegalInstrument.Kind


def instrument(kind, number="7", year=2020, **fields) -> LegalInstrument:
    """An instrument not saved: cite() needs no database for one without an issuer."""
    fields.setdefault("title_id", "Judul")
    fields.setdefault("title_en", "the Title")
    return LegalInstrument(kind=kind, number=number, year=year, **fields)


# Every kind, in both languages: (kind, extra fields, Indonesian, English).
EVERY_KIND = [
    (K.UU, {}, "Undang-Undang Nomor 7 Tahun 2020 tentang Judul", "Law No. 7 of 2020 on the Title"),
    (
        K.PERPPU,
        {},
        "Peraturan Pemerintah Pengganti Undang-Undang Nomor 7 Tahun 2020 tentang Judul",
        "Government Regulation in Lieu of Law No. 7 of 2020 on the Title",
    ),
    (
        K.PP,
        {},
        "Peraturan Pemerintah Nomor 7 Tahun 2020 tentang Judul",
        "Government Regulation No. 7 of 2020 on the Title",
    ),
    (
        K.PERPRES,
        {},
        "Peraturan Presiden Nomor 7 Tahun 2020 tentang Judul",
        "Presidential Regulation No. 7 of 2020 on the Title",
    ),
    (
        K.KEPPRES,
        {},
        "Keputusan Presiden Nomor 7 Tahun 2020 tentang Judul",
        "Presidential Decree No. 7 of 2020 on the Title",
    ),
    (
        K.INPRES,
        {},
        "Instruksi Presiden Nomor 7 Tahun 2020 tentang Judul",
        "Presidential Instruction No. 7 of 2020 on the Title",
    ),
    (
        K.PERMEN,
        {"issuer_name_id": "Menteri Ketenagakerjaan", "issuer_name_en": "Minister of Manpower"},
        "Peraturan Menteri Ketenagakerjaan Nomor 7 Tahun 2020 tentang Judul",
        "Regulation of the Minister of Manpower No. 7 of 2020 on the Title",
    ),
    (
        K.KEPMEN,
        {"issuer_name_id": "Menteri Luar Negeri", "issuer_name_en": "Minister of Foreign Affairs"},
        "Keputusan Menteri Luar Negeri Nomor 7 Tahun 2020 tentang Judul",
        "Decree of the Minister of Foreign Affairs No. 7 of 2020 on the Title",
    ),
    (
        K.PERBAN,
        {
            "issuer_name_id": "Badan Pelindungan Pekerja Migran Indonesia",
            "issuer_name_en": "Indonesian Migrant Worker Protection Agency",
        },
        "Peraturan Badan Pelindungan Pekerja Migran Indonesia Nomor 7 Tahun 2020 tentang Judul",
        "Regulation of the Indonesian Migrant Worker Protection Agency No. 7 of 2020 on the Title",
    ),
    (
        K.PERDA_PROV,
        {"issuer_name_id": "Jawa Tengah", "issuer_name_en": "Central Java"},
        "Peraturan Daerah Provinsi Jawa Tengah Nomor 7 Tahun 2020 tentang Judul",
        "Central Java Provincial Regulation No. 7 of 2020 on the Title",
    ),
    (
        K.PERGUB,
        {"issuer_name_id": "Jawa Tengah", "issuer_name_en": "Central Java"},
        "Peraturan Gubernur Jawa Tengah Nomor 7 Tahun 2020 tentang Judul",
        "Central Java Governor Regulation No. 7 of 2020 on the Title",
    ),
    (
        K.PERDA_KAB,
        {"issuer_name_id": "Kabupaten Cilacap", "issuer_name_en": "Cilacap Regency"},
        "Peraturan Daerah Kabupaten Cilacap Nomor 7 Tahun 2020 tentang Judul",
        "Cilacap Regency Regional Regulation No. 7 of 2020 on the Title",
    ),
    (
        K.TREATY,
        {"title_id": "Konvensi tentang Status Pengungsi", "title_en": "Convention on Refugees"},
        "Konvensi tentang Status Pengungsi (2020)",
        "Convention on Refugees (2020)",
    ),
    (
        K.OTHER,
        {"title_id": "Rencana Aksi Nasional", "title_en": "National Action Plan"},
        "Rencana Aksi Nasional Nomor 7 Tahun 2020",
        "National Action Plan No. 7 of 2020",
    ),
]


def test_every_kind_is_tested():
    assert {kind for kind, *_ in EVERY_KIND} == set(K.values)


@pytest.mark.parametrize(("kind", "fields", "in_indonesian", "in_english"), EVERY_KIND)
def test_every_kind_is_cited_in_the_style_of_each_language(kind, fields, in_indonesian, in_english):
    item = instrument(kind, **fields)
    assert cite(item, language="id") == in_indonesian
    assert cite(item, language="en") == in_english
    # The snapshot's dict is cited the same way as the instrument itself.
    assert cite(instrument_data(item), language="id") == in_indonesian


def test_the_edition_language_chooses_the_words_not_the_readers():
    law = instrument(K.UU, number="18", year=2017, title_id="Pelindungan Pekerja Migran Indonesia")
    with translation.override("en"):
        assert cite(law, language="id").startswith("Undang-Undang Nomor 18 Tahun 2017")
    with translation.override("id"):
        assert cite(law, language="en").startswith("Law No. 18 of 2017")


@pytest.mark.parametrize(
    ("article", "in_indonesian", "in_english"),
    [
        ("Pasal 5", "Pasal 5 Undang-Undang", "Article 5 of Law"),
        ("5", "Pasal 5 Undang-Undang", "Article 5 of Law"),
        ("Art. 5 ayat (2)", "Pasal 5 ayat (2) Undang-Undang", "Article 5 paragraph (2) of Law"),
        ("Pasal 5 dan 7", "Pasal 5 dan 7 Undang-Undang", "Pasal 5 dan 7 of Law"),
    ],
)
def test_the_article_is_named_in_the_editions_words(article, in_indonesian, in_english):
    law = instrument(K.UU)
    assert cite(law, language="id", article=article).startswith(in_indonesian)
    assert cite(law, language="en", article=article).startswith(in_english)


def test_an_article_of_a_treaty_reads_as_english():
    treaty = instrument(K.TREATY, title_en="International Convention")
    assert cite(treaty, language="en", article="Article 3") == (
        "Article 3 of the International Convention (2020)"
    )


def test_a_missing_english_title_falls_back_to_the_official_one():
    law = instrument(K.UU, title_en="")
    assert cite(law, language="en") == "Law No. 7 of 2020 on Judul"


def test_a_ministerial_regulation_names_the_minister_of_an_institution_in_the_register():
    kemnaker = Institution.objects.get(acronym="KEMNAKER")
    regulation = instrument(K.PERMEN, number="9", year=2019, issuer=kemnaker)
    assert cite(regulation, language="id").startswith(
        "Peraturan Menteri Ketenagakerjaan Nomor 9 Tahun 2019"
    )
    assert cite(regulation, language="en").startswith(
        "Regulation of the Minister of Manpower No. 9 of 2019"
    )
    assert reference(regulation) == "Permen KEMNAKER 9/2019"


def test_the_reference_data_holds_the_instruments_the_demo_and_the_framework_cite():
    official = {reference(i): cite(i, language="id") for i in LegalInstrument.objects.all()}
    assert official["UU 18/2017"] == (
        "Undang-Undang Nomor 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia"
    )
    assert official["UU 6/2011"] == "Undang-Undang Nomor 6 Tahun 2011 tentang Keimigrasian"
    assert official["UU 21/2007"].endswith("tentang Pemberantasan Tindak Pidana Perdagangan Orang")
    assert "Pengesahan International Convention" in official["UU 6/2012"]
    assert official["PP 59/2021"].endswith("Pelaksanaan Pelindungan Pekerja Migran Indonesia")
    assert official["Perpres 125/2016"].endswith("Penanganan Pengungsi dari Luar Negeri")
    assert official["Perpres 39/2019"].endswith("tentang Satu Data Indonesia")
    law = LegalInstrument.objects.get(kind=K.UU, number="18", year=2017)
    assert cite(law, language="en") == (
        "Law No. 18 of 2017 on the Protection of Indonesian Migrant Workers"
    )
    assert law.enacted_on == datetime.date(2017, 11, 22)
    assert (reference(law.amends), law.relation) == ("UU 39/2004", "revokes")


def test_loading_the_reference_data_again_changes_nothing():
    result = instruments_load()
    assert (result.created, result.updated) == (0, 0) and result.unchanged >= 9


def test_a_reference_is_found_whatever_its_case_spacing_or_title():
    law = LegalInstrument.objects.get(kind=K.UU, number="18", year=2017)
    assert instrument_lookup("uu  18/2017") == law
    assert instrument_lookup("UU 18/2017 — Pelindungan Pekerja Migran Indonesia") == law
    assert instrument_lookup(f"#{law.pk}") == law
    assert instrument_lookup("UU 99/2017") is None
    assert instrument_lookup("") is None


def test_the_register_lists_laws_before_regulations():
    kinds = [i.kind for i in instruments.in_hierarchy(LegalInstrument.objects.all())]
    assert kinds.index(K.UU) < kinds.index(K.PP) < kinds.index(K.PERPRES) < kinds.index(K.TREATY)


def test_saving_reports_every_problem_by_field_and_saves_nothing(administrator):
    with pytest.raises(ValidationError) as caught:
        instrument_save(actor=administrator, kind=K.PERGUB, number="", year=2020, title_id="")
    errors = caught.value.message_dict
    assert {"number", "title_id", "issuer_name_id"} <= set(errors)
    assert "issued it" in " ".join(errors["issuer_name_id"])
    assert not LegalInstrument.objects.filter(kind=K.PERGUB).exists()


def test_an_instrument_already_in_the_register_is_refused(administrator):
    with pytest.raises(ValidationError) as caught:
        instrument_save(actor=administrator, kind=K.UU, number="18", year=2017, title_id="Lagi")
    assert "already in the register" in str(caught.value)


def test_an_amendment_needs_its_relation(administrator):
    law = LegalInstrument.objects.get(kind=K.UU, number="18", year=2017)
    with pytest.raises(ValidationError) as caught:
        instrument_save(
            actor=administrator, kind=K.UU, number="1", year=2030, title_id="Perubahan", amends=law
        )
    assert "relation" in caught.value.message_dict
    saved = instrument_save(
        actor=administrator,
        kind=K.UU,
        number="1",
        year=2030,
        title_id="Perubahan",
        amends=law,
        relation="amends",
    )
    assert saved.pk and saved.amends == law
