"""The publication editor: a version's sections drafted from the snapshot in both languages,
edited by the coordinators and facilitators while it is a draft, and its context figures
entered by hand or uploaded as a CSV or Excel file (all or nothing, errors by row and column).
"""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ministries.models import Institution
from reports.models import ContextFigure, Profile, ProfileSection
from reports.wording import long_date
from tests.test_pages_security_a11y import PageAudit

from .test_staff_pages import as_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_pdfs")]
QUERIES = 6  # see test_the_editor_page_reads_a_fixed_number_of_queries

GOOD_CSV = (
    "label_en,label_id,value,source,year\n"
    "Migrant workers placed abroad,Pekerja migran yang ditempatkan,270000,BP2MI,2023\n"
    "Remittances (USD million),Remitansi (juta USD),9700,Bank Indonesia,2023\n"
)
# Row 2 has no source; row 3's year is not a year.
BAD_CSV = (
    "label_en,label_id,value,source,year\n"
    "Migrant workers placed abroad,Pekerja migran,270000,,2023\n"
    "Remittances,Remitansi,9700,Bank Indonesia,last year\n"
)


def _url(profile, rest: str = "") -> str:
    return f"/profiles/{profile.pk}/{rest}"


def _upload(name: str, content: bytes, content_type: str = "text/csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _figure(profile, **fields) -> ContextFigure:
    values = {"label_en": "Old", "label_id": "Lama", "value": "1", "source": "BPS", "year": 2020}
    return ContextFigure.objects.create(profile=profile, **{**values, **fields})


def test_sections_are_drafted_in_both_languages_from_the_snapshot(draft_profile):
    sections = {(s.key, s.dimension): s for s in draft_profile.sections.all()}
    for key in (
        "cover",
        "publisher",
        "acknowledgements",
        "objectives",
        "introduction",
        "context",
        "key_findings",
        "annex_migof",
        "annex_methodology",
    ):
        section = sections[(key, None)]
        assert section.text_en and section.text_id, key
        assert (section.text_en_language, section.text_id_language) == ("en", "id")
    assert {n for k, n in sections if k == "chapter"} == {1, 2, 3, 4, 5, 6}
    assert draft_profile.publication_year == 2030
    data = draft_profile.snapshot.data
    acknowledgements = sections[("acknowledgements", None)]
    for acronym in data["institutions"]:
        institution = Institution.objects.get(acronym=acronym)
        assert institution.name_en in acknowledgements.text_en
        assert institution.name_id in acknowledgements.text_id
        for s in sections.values():
            assert acronym not in s.text_en and acronym not in s.text_id, (s.key, acronym)
    assert "Ministry of Foreign Affairs" in acknowledgements.text_en
    assert "Kementerian Luar Negeri" in acknowledgements.text_id
    # The methodology quotes the data: how many institutions, the validation's date.
    methodology = sections[("annex_methodology", None)]
    assigned = len(data["participation"]["assigned"])
    assert f"Indicators were assigned to {assigned} institutions." in methodology.text_en
    assert f"Indikator ditugaskan kepada {assigned} lembaga." in methodology.text_id
    session = data["validation"][0]
    from datetime import date

    held = date.fromisoformat(session["held_on"])
    assert long_date(held, "en") in methodology.text_en
    assert long_date(held, "id") in methodology.text_id
    assert f"{session['participant_count']} participants" in methodology.text_en
    publisher = sections[("publisher", None)]
    assert "do not necessarily reflect the views of the International Organization" in (
        publisher.text_en
    )
    assert "Organisasi Internasional untuk Migrasi (IOM)" in publisher.text_id


def test_the_editor_shows_every_section_with_labelled_fields(draft_profile, facilitator):
    response = as_user(facilitator).get(_url(draft_profile, "sections/"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Publication texts of version 1" in html
    for label in ("Acknowledgements", "Summary of key findings", "Annex: methodology"):
        assert f">{label}</h2>" in html
    assert "Dimension chapter introduction: 2. Whole-of-government approach" in html
    section = draft_profile.sections.get(key="objectives")
    assert f'id="section-en-{section.pk}"' in html and f'id="section-id-{section.pk}"' in html
    assert "Upload a data file" in html and 'enctype="multipart/form-data"' in html
    audit = PageAudit()
    audit.feed(html)
    assert audit.inline_scripts == 0 and audit.inline_styles == 0 and audit.h1 == 1
    assert not [
        f for f in audit.fields if f.get("id") not in audit.labels and not f.get("aria-label")
    ]


def test_the_editor_in_indonesian(draft_profile, coordinator):
    client = as_user(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = client.get(_url(draft_profile, "sections/")).content.decode()
    assert '<html lang="id"' in html
    assert "Kembali ke profil" in html
    assert "Kami mengucapkan terima kasih kepada" in html


def test_strangers_get_404_and_readers_cannot_save(
    draft_profile, focal_a, provincial_coordinator, client
):
    section = draft_profile.sections.get(key="objectives")
    save = _url(draft_profile, f"sections/{section.pk}/save/")
    for user in (focal_a, provincial_coordinator):
        assert as_user(user).get(_url(draft_profile, "sections/")).status_code == 404
        assert as_user(user).post(save, {"text_en": "x", "text_id": "y"}).status_code == 404
    assert client.get(_url(draft_profile, "sections/")).status_code == 302  # to the login
    section.refresh_from_db()
    assert section.text_en != "x"


def test_saving_a_section_records_each_text_as_written_in_its_language(draft_profile, facilitator):
    section = draft_profile.sections.get(key="acknowledgements")
    ProfileSection.objects.filter(pk=section.pk).update(text_id_language="en")  # a copy
    response = as_user(facilitator).post(
        _url(draft_profile, f"sections/{section.pk}/save/"),
        {"text_en": "  We thank everyone.  ", "text_id": "Kami berterima kasih."},
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.text_en, section.text_id) == ("We thank everyone.", "Kami berterima kasih.")
    assert (section.text_en_language, section.text_id_language) == ("en", "id")
    assert section.edited_by == facilitator


def test_a_section_needs_both_languages_and_a_draft(draft_profile, coordinator):
    section = draft_profile.sections.get(key="objectives")
    url = _url(draft_profile, f"sections/{section.pk}/save/")
    response = as_user(coordinator).post(url, {"text_en": "Only English.", "text_id": " "})
    assert response.status_code == 422
    html = response.content.decode()
    assert "A section needs its text in English and in Bahasa Indonesia." in html
    assert "Only English." in html  # what was typed is kept
    Profile.objects.filter(pk=draft_profile.pk).update(status=Profile.Status.APPROVED)
    response = as_user(coordinator).post(url, {"text_en": "New.", "text_id": "Baru."})
    assert response.status_code == 409
    section.refresh_from_db()
    assert section.text_en not in ("Only English.", "New.")


def test_figures_are_added_changed_and_deleted_by_hand(draft_profile, coordinator):
    client = as_user(coordinator)
    fields = {
        "label_en": "Remittances",
        "label_id": "Remitansi",
        "value": "9,700",
        "source": "Bank Indonesia",
        "year": "2023",
    }
    assert client.post(_url(draft_profile, "figures/save/"), fields).status_code == 302
    figure = draft_profile.context_figures.get()
    assert (figure.label_id, figure.year) == ("Remitansi", 2023)
    response = client.post(
        _url(draft_profile, f"figures/{figure.pk}/save/"), {**fields, "year": "soon"}
    )
    assert response.status_code == 422
    assert "The year must be a year such as 2023." in response.content.decode()
    client.post(_url(draft_profile, f"figures/{figure.pk}/save/"), {**fields, "value": "9,800"})
    figure.refresh_from_db()
    assert figure.value == "9,800"
    assert client.post(_url(draft_profile, f"figures/{figure.pk}/delete/")).status_code == 302
    assert not draft_profile.context_figures.exists()


def test_uploading_a_csv_replaces_the_table(draft_profile, coordinator):
    _figure(draft_profile)
    response = as_user(coordinator).post(
        _url(draft_profile, "figures/upload/"),
        {"file": _upload("figures.csv", GOOD_CSV.encode())},
    )
    assert response.status_code == 302
    figures = list(draft_profile.context_figures.all())
    assert [(f.label_en, f.value, f.source, f.year) for f in figures] == [
        ("Migrant workers placed abroad", "270000", "BP2MI", 2023),
        ("Remittances (USD million)", "9700", "Bank Indonesia", 2023),
    ]


def test_uploading_an_excel_file(draft_profile, coordinator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["label_en", "label_id", "value", "source", "year"])
    sheet.append(["Migrant workers placed abroad", "Pekerja migran", "270000", "BP2MI", 2023])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = as_user(coordinator).post(
        _url(draft_profile, "figures/upload/"),
        {"file": _upload("figures.xlsx", buffer.getvalue(), "application/octet-stream")},
    )
    assert response.status_code == 302
    assert draft_profile.context_figures.get().year == 2023


def test_a_bad_file_names_each_row_and_column_and_changes_nothing(draft_profile, coordinator):
    _figure(draft_profile)
    response = as_user(coordinator).post(
        _url(draft_profile, "figures/upload/"),
        {"file": _upload("figures.csv", BAD_CSV.encode())},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "figures.csv, row 2, column D (source): This cell is empty" in html
    assert "figures.csv, row 3, column E (year): The year must be a year such as 2023" in html
    assert [f.label_en for f in draft_profile.context_figures.all()] == ["Old"]


def test_a_bad_file_in_indonesian_names_row_and_column(draft_profile, coordinator):
    client = as_user(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    response = client.post(
        _url(draft_profile, "figures/upload/"),
        {"file": _upload("data.csv", BAD_CSV.encode())},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "data.csv, baris 3, kolom E (year)" in html
    assert not draft_profile.context_figures.exists()


def test_a_formula_or_a_missing_column_is_refused(draft_profile, coordinator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["label_en", "label_id", "value", "source", "year"])
    sheet.append(["Workers", "Pekerja", "=1+1", "BPS", 2023])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = as_user(coordinator)
    response = client.post(
        _url(draft_profile, "figures/upload/"), {"file": _upload("f.xlsx", buffer.getvalue())}
    )
    assert response.status_code == 422
    assert "row 2, column C (value): Formulas are not accepted" in response.content.decode()
    response = client.post(
        _url(draft_profile, "figures/upload/"),
        {"file": _upload("f.csv", b"label_en,value,source,year\nA,1,B,2023\n")},
    )
    assert "The column “label_id” is missing." in response.content.decode()
    assert not draft_profile.context_figures.exists()


def test_the_context_figures_reach_the_publication(draft_profile, coordinator):
    """What the PDF and the public page show: each figure in the edition's language."""
    from reports import content

    _figure(draft_profile, label_en="Remittances", label_id="Remitansi", year=2023)
    ctx = content.profile_context(draft_profile, "id")
    assert ctx["publication"]["figures"] == [
        {"label": "Remitansi", "value": "1", "source": "BPS", "year": 2023}
    ]
    assert ctx["title"] == "Profil Indikator Tata Kelola Migrasi 2030 – Republik Indonesia"
    assert all("-" not in name or " " in name for name in ctx["institutions"])


def test_the_editor_page_reads_a_fixed_number_of_queries(
    draft_profile, coordinator, django_assert_num_queries
):
    """Whatever the number of sections and figures: the session and the user (2), the profile
    with its assessment (1), the dimensions (1), the sections with their editors (1), the
    figures (1)."""
    client = as_user(coordinator)
    client.get(_url(draft_profile, "sections/"))  # warm the session
    _figure(draft_profile)
    _figure(draft_profile, label_en="Another")
    with django_assert_num_queries(QUERIES):
        response = client.get(_url(draft_profile, "sections/"))
    assert response.content.decode().count('name="label_en"') == 3  # two figures, one new
