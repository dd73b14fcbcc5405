"""The register page (every signed-in person reads it; administrators and coordinators add
and correct instruments) and the citations to resolve (administrators and coordinators of
the assessment's scope link typed citations to the register)."""

import re

import pytest
from django.conf import settings
from django.test import Client

from assessments.models import Assessment, Evidence
from indicators.models import LegalInstrument

pytestmark = pytest.mark.django_db


def page(client: Client, user, url: str, language: str = "en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url)


def test_everyone_signed_in_reads_the_register_editors_see_their_links(
    client, focal_a, coordinator
):
    html = page(client, focal_a, "/instruments/").content.decode()
    assert "Law No. 18 of 2017 on the Protection of Indonesian Migrant Workers" in html
    # The official Indonesian citation beside the reader's, marked as Indonesian.
    assert (
        '<div class="meta" lang="id">Undang-Undang Nomor 18 Tahun 2017 tentang Pelindungan '
        "Pekerja Migran Indonesia</div>" in html
    )
    assert "revokes" in html and "UU 39/2004" in html
    assert '<time datetime="2017-11-22">22 November 2017</time>' in html
    assert "Add an instrument" not in html and "/instruments/citations/" not in html
    editor = page(Client(), coordinator, "/instruments/").content.decode()
    assert "Add an instrument" in editor and "Citations to resolve" in editor


def test_the_register_reads_in_indonesian(client, focal_a):
    html = page(client, focal_a, "/instruments/?q=pengungsi", "id").content.decode()
    assert '<html lang="id"' in html
    assert "Peraturan Presiden Nomor 125 Tahun 2016 tentang Penanganan Pengungsi dari Luar" in html
    assert "Pelindungan Pekerja Migran" not in html  # filtered out by the search


def test_the_register_filters_by_kind(client, focal_a):
    html = page(client, focal_a, "/instruments/?kind=pp").content.decode()
    assert "PP 59/2021" in html and "UU 18/2017" not in html


def test_a_coordinator_adds_an_instrument(client, provincial_coordinator):
    client.force_login(provincial_coordinator)
    result = client.post(
        "/instruments/new/",
        {
            "kind": "perda_prov",
            "number": "4",
            "year": "2030",
            "issuer_name_id": "Jawa Tengah",
            "issuer_name_en": "Central Java",
            "title_id": "Pelindungan Pekerja Migran Indonesia Asal Jawa Tengah",
            "title_en": "the Protection of Indonesian Migrant Workers from Central Java",
            "url": "jdih.jatengprov.go.id/perda-4-2030",
        },
    )
    assert result.status_code == 302 and result["Location"] == "/instruments/"
    added = LegalInstrument.objects.get(kind="perda_prov", number="4", year=2030)
    assert added.url == "https://jdih.jatengprov.go.id/perda-4-2030"
    listed = client.get(result["Location"]).content.decode()
    assert (
        "Saved in the register: Central Java Provincial Regulation No. 4 of 2030 on the "
        "Protection of Indonesian Migrant Workers from Central Java." in listed
    )


def test_a_bad_instrument_is_refused_naming_each_field(client, administrator, legal_instrument):
    client.force_login(administrator)
    result = client.post(
        f"/instruments/{legal_instrument.pk}/edit/",
        {"kind": "permen", "number": "", "year": "2017", "title_id": "x"},
    )
    assert result.status_code == 422
    html = result.content.decode()
    assert "The instrument was not saved." in html
    assert "a regulation of this kind is cited with the body that issued it" in html
    assert 'id="id_number_error"' in html
    legal_instrument.refresh_from_db()
    assert legal_instrument.kind == "uu"


def test_others_may_not_add_or_edit(client, focal_a, facilitator, legal_instrument):
    for user in (focal_a, facilitator):
        client.force_login(user)
        assert client.get("/instruments/new/").status_code == 403
        assert client.post(f"/instruments/{legal_instrument.pk}/edit/", {}).status_code == 403


# --- citations to resolve -----------------------------------------------------------------


def test_coordinators_see_the_citations_of_their_scope(
    typed_citation, coordinator, provincial_coordinator, administrator, focal_a, facilitator
):
    for user in (coordinator, administrator):
        html = page(Client(), user, "/instruments/citations/").content.decode()
        assert "Tata Cara Penempatan Pekerja Migran Indonesia" in html
        assert f'<label class="form-label" for="instrument-{typed_citation.pk}">' in html
        assert f'id="instrument-{typed_citation.pk}" name="instrument" list="register-choices"' in (
            html
        )
        assert '<option value="UU 18/2017">' in html
    # The national assessment is not the provincial coordinator's.
    provincial = page(Client(), provincial_coordinator, "/instruments/citations/")
    assert provincial.status_code == 200
    assert "Tata Cara Penempatan" not in provincial.content.decode()
    assert "Every citation you can link points at the register." in provincial.content.decode()
    for user in (focal_a, facilitator):
        assert page(Client(), user, "/instruments/citations/").status_code == 403
    link = f"/instruments/citations/{typed_citation.pk}/link/"
    client = Client()
    client.force_login(provincial_coordinator)
    assert client.post(link, {"instrument": "UU 18/2017"}).status_code == 404
    client.force_login(focal_a)
    assert client.post(link, {"instrument": "UU 18/2017"}).status_code == 403


def test_linking_a_citation_points_it_at_the_register(client, coordinator, typed_citation):
    regulation = LegalInstrument.objects.create(
        kind="permen",
        number="9",
        year=2019,
        issuer_name_id="Menteri Ketenagakerjaan",
        issuer_name_en="Minister of Manpower",
        title_id="Tata Cara Penempatan Pekerja Migran Indonesia",
    )
    client.force_login(coordinator)
    result = client.post(
        f"/instruments/citations/{typed_citation.pk}/link/",
        {"instrument": "Permen Ketenagakerjaan 9/2019"},
    )
    assert result.status_code == 302
    typed_citation.refresh_from_db()
    assert typed_citation.instrument == regulation
    assert typed_citation.history.first().history_user == coordinator
    html = client.get(result["Location"]).content.decode()
    assert "now cites Regulation of the Minister of Manpower No. 9 of 2019" in html
    assert f'id="citation-{typed_citation.pk}"' not in html


def test_an_unknown_instrument_is_named_and_nothing_changes(client, coordinator, typed_citation):
    client.force_login(coordinator)
    result = client.post(
        f"/instruments/citations/{typed_citation.pk}/link/", {"instrument": "Permen 1/1999"}
    )
    assert result.status_code == 422
    html = result.content.decode()
    error = re.search(rf'id="instrument-{typed_citation.pk}-error"[^>]*>([^<]*)<', html)[1]
    assert "“Permen 1/1999” is not in the register" in error
    typed_citation.refresh_from_db()
    assert typed_citation.instrument is None


def test_citations_of_a_frozen_assessment_stay_as_published(client, coordinator, typed_citation):
    Assessment.objects.filter(pk=typed_citation.assessment_id).update(
        status=Assessment.Status.PUBLISHED
    )
    html = page(client, coordinator, "/instruments/citations/").content.decode()
    assert "1 more citation belongs to an approved or published assessment" in html
    result = client.post(
        f"/instruments/citations/{typed_citation.pk}/link/", {"instrument": "UU 18/2017"}
    )
    assert result.status_code == 302
    assert "frozen" in client.get(result["Location"]).content.decode()
    assert Evidence.objects.get(pk=typed_citation.pk).instrument is None


def test_adding_from_a_citation_prefills_what_was_typed(client, coordinator, typed_citation):
    html = page(
        client, coordinator, f"/instruments/new/?citation={typed_citation.pk}"
    ).content.decode()
    assert 'value="Tata Cara Penempatan Pekerja Migran Indonesia"' in html
    assert 'name="number" value="9"' in html


def test_the_citations_page_runs_a_fixed_number_of_queries(
    client, coordinator, typed_citation, django_assert_num_queries, focal_a
):
    from assessments.collection import services as collection_services

    for n in range(3):
        collection_services.evidence_create(
            assessment=typed_citation.assessment,
            institution=focal_a.institution,
            actor=focal_a,
            kind="citation",
            instrument_type="decree",
            number=str(n),
            year=2020,
            title=f"Decree {n}",
        )
    client.force_login(coordinator)
    # session, user, citations, their answers, the frozen count, the register
    with django_assert_num_queries(6):
        assert client.get("/instruments/citations/").status_code == 200


@pytest.mark.parametrize("path", ["/instruments/", "/instruments/new/", "/instruments/citations/"])
def test_the_pages_label_every_field_and_run_no_inline_code(
    client, coordinator, typed_citation, path
):
    from tests.test_pages_security_a11y import audit

    client.force_login(coordinator)
    page, _response = audit(client, path)
    unlabelled = [f for f in page.fields if f.get("id") not in page.labels]
    assert not unlabelled, unlabelled
    assert page.fields  # the page has fields to label
    assert (page.inline_scripts, page.inline_styles, page.h1, page.html_lang) == (0, 0, 1, "en")
