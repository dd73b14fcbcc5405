"""The admin's django-import-export pages for the reference lists: institutions, provinces and
indicators. The import and export pages open, exports come out as CSV and Excel, and a small
CSV goes through the dry run to its preview (nothing written until it is confirmed).

Indicators have no row-by-row import: a framework changes only through the framework
workbook, which is validated as a whole (tests/indicators/test_framework_workbook.py); their
"import page" is that one.
"""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from ministries.models import Institution, Province

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHANGELISTS = {
    "institution": "/admin/ministries/institution/",
    "province": "/admin/ministries/province/",
    "indicator": "/admin/indicators/indicator/",
}
IMPORT_PAGES = {
    "institution": "/admin/ministries/institution/import/",
    "province": "/admin/ministries/province/import/",
    "indicator": "/admin/indicators/frameworkversion/import-workbook/",
}


@pytest.fixture
def admin_client(client: Client, administrator) -> Client:
    client.force_login(administrator)
    return client


def _format_index(form, name: str) -> str:
    """The value of the format choice labelled `name` ("csv", "xlsx") in an import or
    export form: django-import-export numbers the formats it offers."""
    for value, label in form.fields["format"].choices:
        if str(label).lower() == name:
            return str(value)
    raise AssertionError(f"{name} is not offered: {form.fields['format'].choices}")


def _export(admin_client: Client, kind: str, fmt: str):
    url = CHANGELISTS[kind] + "export/"
    form = admin_client.get(url).context["form"]
    data = {"format": _format_index(form, fmt)}
    # Every column of the resource, as the page ticks them all by default.
    data.update({name: "on" for name, f in form.fields.items() if f.initial is True})
    return admin_client.post(url, data)


@pytest.mark.parametrize("kind", ["institution", "province", "indicator"])
def test_administrator_opens_the_export_page(admin_client, kind):
    response = admin_client.get(CHANGELISTS[kind] + "export/")
    assert response.status_code == 200
    choices = response.context["form"].fields["format"].choices
    assert {str(label).lower() for value, label in choices if value != ""} == {"csv", "xlsx"}


@pytest.mark.parametrize("kind", ["institution", "province", "indicator"])
def test_administrator_opens_the_import_page(admin_client, kind):
    response = admin_client.get(IMPORT_PAGES[kind])
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


def test_the_changelists_offer_import_and_export(admin_client):
    for kind, url in CHANGELISTS.items():
        html = admin_client.get(url).content.decode()
        assert f'href="{url}export/' in html, kind
        if kind != "indicator":
            assert f"href='{url}import/'" in html, kind


def test_provinces_export_as_csv(admin_client):
    response = _export(admin_client, "province", "csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "code,name_en,name_id"
    assert "33,Central Java,Jawa Tengah" in text
    assert len(text.strip().splitlines()) == 1 + Province.objects.count()


def test_institutions_export_as_excel(admin_client):
    response = _export(admin_client, "institution", "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("acronym", "name_en", "name_id")
    acronyms = {row[0] for row in rows[1:]}
    assert {"KEMNAKER", "BP2MI"} <= acronyms
    assert len(rows) - 1 == Institution.objects.count()


@pytest.mark.parametrize("fmt,content_type", [("csv", "text/csv"), ("xlsx", XLSX)])
def test_indicators_export_as_csv_and_excel(admin_client, fmt, content_type):
    response = _export(admin_client, "indicator", fmt)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert text.startswith("code,")
        assert "1.1.1," in text


def test_exported_text_that_looks_like_a_formula_is_escaped(admin_client, kemnaker):
    Institution.objects.filter(pk=kemnaker.pk).update(name_en='=HYPERLINK("http://x","y")')
    text = _export(admin_client, "institution", "csv").content.decode("utf-8-sig")
    assert "=HYPERLINK" not in text.replace("'=HYPERLINK", "")


def _import_dry_run(admin_client: Client, kind: str, csv_text: str):
    url = IMPORT_PAGES[kind]
    form = admin_client.get(url).context["form"]
    upload = io.BytesIO(csv_text.encode())
    upload.name = f"{kind}.csv"
    return admin_client.post(url, {"format": _format_index(form, "csv"), "import_file": upload})


def test_a_small_province_csv_shows_its_preview_and_writes_nothing(admin_client):
    response = _import_dry_run(
        admin_client,
        "province",
        "code,name_en,name_id\n33,Central Java Province,Provinsi Jawa Tengah\n",
    )
    assert response.status_code == 200
    html = response.content.decode()
    # The preview marks the row as an update and shows what the names gain.
    assert 'class="import-preview"' in html and '<tr class="update">' in html
    assert "> Province</ins>" in html and ">Provinsi </ins>" in html
    assert 'name="import_file_name"' in html  # the confirmation form of the preview
    assert Province.objects.get(code="33").name_en == "Central Java"


def test_a_small_institution_csv_shows_its_preview_and_writes_nothing(admin_client):
    response = _import_dry_run(
        admin_client,
        "institution",
        "acronym,name_en,name_id,level,kind,province,website,valid_from,valid_to,successor\n"
        "DISNAKER-TEST,Test Manpower Office,Dinas Tenaga Kerja Uji,provincial,"
        "provincial_agency,33,,,,\n",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<tr class="new">' in html
    assert "DISNAKER-TEST" in html and "Test Manpower Office" in html
    assert 'name="import_file_name"' in html
    assert not Institution.objects.filter(acronym="DISNAKER-TEST").exists()


def test_an_invalid_institution_row_is_shown_as_an_error(admin_client):
    response = _import_dry_run(
        admin_client,
        "institution",
        "acronym,name_en,name_id,level,kind,province,website,valid_from,valid_to,successor\n"
        "NO-PROVINCE,Office,Kantor,provincial,provincial_agency,,,,,\n",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A provincial institution needs a province." in html
    assert 'name="import_file_name"' not in html
    assert not Institution.objects.filter(acronym="NO-PROVINCE").exists()


def test_other_people_cannot_reach_the_import_and_export_pages(client, focal_a):
    client.force_login(focal_a)
    for url in (CHANGELISTS["institution"] + "import/", CHANGELISTS["province"] + "export/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
