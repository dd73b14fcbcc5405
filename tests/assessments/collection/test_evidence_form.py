"""The evidence form (issue 10, finding 6): on an error it comes back with what was typed,
each error next to its field and naming it; it shows only the fields of the chosen kind.

The three examples of the finding: a link without its address, the year "20x7", a .txt file.
"""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from assessments.collection import evidence_rules as rules
from assessments.collection import services as collection_services
from assessments.models import Evidence

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def add(client, response, htmx=True, **data):
    data.setdefault("version", response.version)
    return client.post(f"/responses/{response.pk}/evidence/", data, headers=HTMX if htmx else {})


def field_markup(html: str, name: str) -> str:
    """The <input>/<select> tag of the field `name`."""
    match = re.search(rf'<(input|select)[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def wrapper_of(html: str, name: str) -> str:
    """The opening tag of the block around the field `name`: its data-evidence-kinds."""
    start = html.index(f'name="{name}"')
    return html[html.rindex('<div class="mb-3"', 0, start) : start]


def test_a_link_without_its_address_keeps_what_was_typed_and_names_the_field(
    client, focal_a, response_a
):
    client.force_login(focal_a)
    result = add(client, response_a, kind="link", title="Kemnaker's migration portal")
    assert result.status_code == 422
    # htmx puts the form back where it was, not over the answer block the form targets.
    assert result["HX-Retarget"] == f"#evidence-slot-{response_a.pk}"
    assert result["HX-Reswap"] == "innerHTML"
    html = result.content.decode()
    assert 'value="Kemnaker&#x27;s migration portal"' in field_markup(html, "title")
    assert re.search(r'<option value="link" selected>', html)
    url = field_markup(html, "url")
    assert "is-invalid" in url and 'aria-invalid="true"' in url
    error_id = f"ev-{response_a.pk}-url_error"
    assert error_id in url  # aria-describedby
    feedback = re.search(rf'<div class="invalid-feedback" id="{error_id}">(.*?)</div>', html)
    assert feedback and feedback.group(1) == (
        "Link: enter a full web address starting with https://"
    )
    assert "is-invalid" not in field_markup(html, "title")
    assert not Evidence.objects.exists()
    response_a.refresh_from_db()
    assert response_a.version == 1


def test_a_year_that_is_not_a_number_keeps_the_citation_typed(client, focal_a, response_a):
    client.force_login(focal_a)
    typed = {
        "kind": "citation",
        "instrument_type": "law",
        "number": "18",
        "year": "20x7",
        "title": "Protection of Indonesian Migrant Workers",
        "article": "Art. 8",
    }
    result = add(client, response_a, **typed)
    assert result.status_code == 422
    html = result.content.decode()
    for name in ("number", "year", "title", "article"):
        assert f'value="{typed[name]}"' in field_markup(html, name), name
    assert '<option value="law" selected>' in html
    assert "is-invalid" in field_markup(html, "year")
    assert "Year: enter a year such as 2017." in html
    assert not Evidence.objects.exists()


def test_a_year_out_of_range_is_the_services_rule_for_page_and_api(
    national_assessment, kemnaker, focal_a
):
    with pytest.raises(collection_services.ValidationError) as refused:
        collection_services.evidence_create(
            assessment=national_assessment,
            institution=kemnaker,
            actor=focal_a,
            kind="citation",
            instrument_type="law",
            title="Law",
            year=1017,
        )
    assert refused.value.message_dict == {"year": ["Year: enter a year such as 2017."]}


def test_a_text_file_is_refused_by_its_kind_and_asks_for_the_file_again(
    client, focal_a, response_a
):
    client.force_login(focal_a)
    notes = SimpleUploadedFile("notes.txt", b"Meeting notes, not a regulation.\n")
    result = add(
        client, response_a, kind="file", title="Notes of the meeting", year="2023", file=notes
    )
    assert result.status_code == 422
    html = result.content.decode()
    assert (
        "File: .txt files are not accepted; upload PDF, Word, Excel, OpenDocument, PNG or JPEG"
        in html
    )
    file_input = field_markup(html, "file")
    assert "is-invalid" in file_input and "value=" not in file_input
    assert "choose the file again" in html
    assert f"ev-{response_a.pk}-file_helptext" in file_input  # the note is read with the field
    assert 'value="Notes of the meeting"' in field_markup(html, "title")
    assert 'value="2023"' in field_markup(html, "year")
    assert not Evidence.objects.exists()


def test_without_htmx_the_page_comes_back_with_the_form(client, focal_a, response_a):
    client.force_login(focal_a)
    result = add(
        client, response_a, htmx=False, kind="link", title="Portal", url="not a web address"
    )
    assert result.status_code == 422
    html = result.content.decode()
    assert "<h1>" in html  # the whole page
    assert 'value="not a web address"' in field_markup(html, "url")
    assert "Link: enter a full web address starting with https://" in html


def test_the_library_form_keeps_what_was_typed(client, focal_a, national_assessment):
    client.force_login(focal_a)
    result = client.post(
        f"/assessments/{national_assessment.pk}/evidence/",
        {"kind": "citation", "title": "Implementation of Law 18/2017", "number": "59"},
    )
    assert result.status_code == 422
    html = result.content.decode()
    assert 'value="Implementation of Law 18/2017"' in field_markup(html, "title")
    assert "is-invalid" in field_markup(html, "instrument_type")
    assert "Instrument type: choose the type of law, regulation or document." in html


def test_the_form_shows_only_the_fields_of_the_chosen_kind(client, focal_a, response_a):
    """The kind-specific fields carry the kinds they belong to (portal.js hides the others);
    none is required in the markup, so a hidden field never blocks a legal citation."""
    client.force_login(focal_a)
    html = client.get(f"/responses/{response_a.pk}/evidence/", headers=HTMX).content.decode()
    assert 'data-evidence-kind-select="1"' in field_markup(html, "kind")
    assert re.search(r'<option value="citation" selected>', html)
    assert 'data-evidence-kinds="link"' in wrapper_of(html, "url")
    assert 'data-evidence-kinds="file"' in wrapper_of(html, "file")
    assert 'data-evidence-kinds="citation"' in wrapper_of(html, "instrument_type")
    assert 'data-evidence-kinds="citation link file"' in wrapper_of(html, "title")
    for name in ("url", "file", "instrument_type", "number", "year", "title", "article"):
        assert " required" not in field_markup(html, name), name
    # Without the script every field shows, with a note on which kind uses which.
    assert "data-evidence-kind-note" in html and "Link: Title, Link" in html
    script = (settings.BASE_DIR / "static/js/portal.js").read_text()
    assert "[data-evidence-kinds]" in script and "data-evidence-kind-select" in script


def test_a_citation_keeps_only_the_fields_of_its_kind(national_assessment, kemnaker, focal_a):
    """A web address typed before switching the kind to "Legal citation" is not stored."""
    item = collection_services.evidence_create(
        assessment=national_assessment,
        institution=kemnaker,
        actor=focal_a,
        kind="citation",
        instrument_type="law",
        title="Law",
        url="https://example.org",
    )
    assert item.url == "" and item.kind == "citation"


def test_the_form_speaks_the_readers_language(client, focal_a, response_a):
    client.force_login(focal_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    focal_a.language = "id"
    focal_a.save(update_fields=["language"])
    result = add(client, response_a, kind="link", title="Portal")
    html = result.content.decode()
    assert ">Tautan</label>" in html and ">Judul</label>" in html
    with translation.override("id"):
        assert rules.url_message() in html
