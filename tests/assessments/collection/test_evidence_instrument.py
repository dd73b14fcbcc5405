"""A legal citation points at the register: chosen on the entry page by the browser's own
autocomplete (a labelled <input list> and its <datalist>), or by id in the API."""

import re

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from assessments.models import Evidence

pytestmark = pytest.mark.django_db


def evidence_form(client, response) -> str:
    result = client.get(f"/responses/{response.pk}/evidence/", headers={"HX-Request": "true"})
    assert result.status_code == 200
    return result.content.decode()


def test_the_evidence_form_offers_the_register_in_a_labelled_datalist(client, focal_a, response_a):
    client.force_login(focal_a)
    html = evidence_form(client, response_a)
    field_id = f"ev-{response_a.pk}-instrument"
    assert f'<label class="form-label" for="{field_id}">Legal instrument</label>' in html
    field = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', html)[0]
    assert f'list="{field_id}-list"' in field and 'autocomplete="off"' in field
    # The help text is announced with the field; the options cite in the reader's language.
    assert f'aria-describedby="{field_id}_helptext"' in field
    datalist = re.search(rf'<datalist id="{field_id}-list">(.*?)</datalist>', html, re.S)[1]
    assert (
        '<option value="UU 18/2017">Law No. 18 of 2017 on the Protection of Indonesian Migrant '
        "Workers</option>" in datalist
    )
    # Laws come before regulations.
    assert datalist.index("UU 18/2017") < datalist.index("PP 59/2021")


def test_the_options_cite_in_indonesian_for_an_indonesian_reader(client, focal_a, response_a):
    client.force_login(focal_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = evidence_form(client, response_a)
    assert (
        '<option value="UU 18/2017">Undang-Undang Nomor 18 Tahun 2017 tentang Pelindungan '
        "Pekerja Migran Indonesia</option>" in html
    )


def test_a_citation_chosen_from_the_register_takes_its_type_number_year_and_title(
    client, focal_a, response_a, legal_instrument
):
    client.force_login(focal_a)
    result = client.post(
        f"/responses/{response_a.pk}/evidence/",
        {
            "version": 1,
            "kind": "citation",
            "instrument": "uu 18/2017",
            "instrument_type": "decree",  # typed before choosing: the register's wins
            "title": "",
            "article": "Pasal 5",
        },
        headers={"HX-Request": "true"},
    )
    assert result.status_code == 200, result.content.decode()[:500]
    item = response_a.evidence.get()
    assert item.instrument == legal_instrument
    assert (item.instrument_type, item.number, item.year, item.article) == (
        "law",
        "18",
        2017,
        "Pasal 5",
    )
    assert item.title == "Pelindungan Pekerja Migran Indonesia"
    loaded = Evidence.objects.select_related("instrument").get(pk=item.pk)
    assert loaded.label == (
        "Article 5 of Law No. 18 of 2017 on the Protection of Indonesian Migrant Workers"
    )


def test_a_reference_to_no_instrument_is_refused_by_name(client, focal_a, response_a):
    client.force_login(focal_a)
    result = client.post(
        f"/responses/{response_a.pk}/evidence/",
        {"version": 1, "kind": "citation", "instrument": "UU 99/2099"},
        headers={"HX-Request": "true"},
    )
    assert result.status_code == 422
    html = result.content.decode()
    assert "Legal instrument: “UU 99/2099” is not in the register" in html
    assert 'value="UU 99/2099"' in html  # what was typed stays in the field
    assert not Evidence.objects.filter(assessment=response_a.assessment).exists()


def test_a_citation_typed_by_hand_still_works_without_the_register(client, focal_a, response_a):
    client.force_login(focal_a)
    result = client.post(
        f"/responses/{response_a.pk}/evidence/",
        {
            "version": 1,
            "kind": "citation",
            "instrument": "",
            "instrument_type": "ministerial_regulation",
            "number": "9",
            "year": "2019",
            "title": "Tata Cara Penempatan",
        },
        headers={"HX-Request": "true"},
    )
    assert result.status_code == 200
    item = response_a.evidence.get()
    assert item.instrument is None and item.title == "Tata Cara Penempatan"


def test_the_api_takes_the_instrument_by_id(focal_a, response_a, government_regulation):
    api = APIClient()
    api.force_authenticate(focal_a)
    created = api.post(
        f"/api/v1/responses/{response_a.pk}/evidence/",
        {"kind": "citation", "instrument": government_regulation.pk, "article": "Pasal 4"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    (item,) = created.json()["evidence"]
    assert item["instrument"] == government_regulation.pk
    assert (item["instrument_type"], item["number"], item["year"]) == (
        "government_regulation",
        "59",
        2021,
    )
    listed = api.get(f"/api/v1/responses/{response_a.pk}/evidence/").json()
    assert listed[0]["instrument"] == government_regulation.pk
    unknown = api.post(
        f"/api/v1/responses/{response_a.pk}/evidence/",
        {"kind": "citation", "instrument": 999999},
        format="json",
    )
    assert unknown.status_code == 400 and "instrument" in unknown.json()


def test_the_api_lists_the_register_with_both_citations(legal_instrument):
    found = APIClient().get("/api/v1/legal-instruments/", {"q": "Pekerja Migran", "kind": "uu"})
    assert found.status_code == 200
    (row,) = [r for r in found.json()["results"] if r["id"] == legal_instrument.pk]
    assert row["reference"] == "UU 18/2017"
    assert row["citation"] == {
        "en": "Law No. 18 of 2017 on the Protection of Indonesian Migrant Workers",
        "id": "Undang-Undang Nomor 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia",
    }
