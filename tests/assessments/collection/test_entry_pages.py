"""The focal point's entry page: answers saved one by one, evidence, conflicts, submission."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.collection import services as collection_services
from assessments.models import Assessment, Evidence, Response
from assessments.setup import services as setup_services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def save(client, response, htmx=True, **data):
    data.setdefault("version", response.version)
    data.setdefault("evidence_present", "1")
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/responses/{response.pk}/save/", data, headers=headers)


def test_entry_page_lists_the_institutions_indicators_by_dimension(
    client, focal_a, national_assessment
):
    client.force_login(focal_a)
    html = client.get(f"/assessments/{national_assessment.pk}/entry/").content.decode()
    assert "Ministry of Manpower" in html
    for code in ("1.3.1", "1.3.2", "4.1.1", "4.1.2"):
        assert f'<span class="code">{code}</span>' in html
    assert '<span class="code">2.3.2</span>' not in html  # BP2MI's
    assert "Migrants&#x27; rights" in html and "Well-being of migrants" in html
    assert "3 indicators your institution leads still have no answer" in html


def test_an_answer_is_saved_as_it_changes_and_says_so(client, focal_a, response_a):
    client.force_login(focal_a)
    result = save(client, response_a, answer="yes", justification="Law 13/2003, art. 5.")
    assert result.status_code == 200
    html = result.content.decode()
    assert "Saved at" in html and 'name="version" value="2"' in html
    response_a.refresh_from_db()
    assert (response_a.answer, response_a.justification, response_a.version) == (
        "yes",
        "Law 13/2003, art. 5.",
        2,
    )
    assert response_a.updated_by == focal_a


def test_plain_form_save_redirects_back_to_the_answer(client, focal_a, response_a):
    client.force_login(focal_a)
    result = save(client, response_a, htmx=False, answer="partial")
    assert result.status_code == 302
    assert result["Location"].endswith(
        f"/assessments/{response_a.assessment_id}/entry/?dimension=1#response-{response_a.pk}"
    )


def test_a_stale_save_is_refused_and_shows_both_texts(client, focal_a, response_a, kemnaker):
    from tests.factories import UserFactory

    colleague = UserFactory(username="t-focal-kemnaker-2", institution=kemnaker)
    collection_services.response_update(
        response=response_a,
        actor=colleague,
        version=1,
        answer="no",
        justification="Colleague's text",
    )
    client.force_login(focal_a)
    result = save(
        client,
        Response.objects.get(pk=response_a.pk),
        version=1,
        answer="yes",
        justification="My own text",
    )
    assert result.status_code == 409
    html = result.content.decode()
    assert "Colleague&#x27;s text" in html  # the current version
    assert "My own text" in html  # what they typed is kept in the form
    assert 'name="version" value="2"' in html  # ready to save the merge
    response_a.refresh_from_db()
    assert response_a.justification == "Colleague's text" and response_a.version == 2


def test_a_stale_plain_save_gets_a_page_with_both_texts_in_the_readers_language(
    client, focal_a, response_a, kemnaker, settings
):
    """The Save button without JavaScript: a refusal is a whole page (not a bare block),
    with the reason, both texts, the form to save the merge and the way back."""
    from tests.factories import UserFactory

    colleague = UserFactory(username="t-focal-kemnaker-3", institution=kemnaker)
    collection_services.response_update(
        response=response_a, actor=colleague, version=1, justification="Colleague's text"
    )
    client.force_login(focal_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    result = save(
        client,
        Response.objects.get(pk=response_a.pk),
        htmx=False,
        version=1,
        justification="My own text",
    )
    assert result.status_code == 409
    html = result.content.decode()
    assert '<html lang="id"' in html and "Kembali ke jawaban" in html
    assert f"/assessments/{response_a.assessment_id}/entry/?dimension=" in html
    assert "Pengguna lain telah menyimpan jawaban ini" in html  # the reason
    assert "Colleague&#x27;s text" in html and "My own text" in html
    assert 'name="version" value="2"' in html
    response_a.refresh_from_db()
    assert response_a.justification == "Colleague's text"


def test_invalid_answer_is_refused_with_the_reason(client, focal_a, response_a):
    client.force_login(focal_a)
    result = save(client, response_a, answer="na")
    assert result.status_code == 422
    assert "Not applicable" in result.content.decode()
    response_a.refresh_from_db()
    assert response_a.answer == "" and response_a.version == 1


def test_attach_a_law_citation_and_a_pdf(client, focal_a, response_a):
    client.force_login(focal_a)
    result = client.post(
        f"/responses/{response_a.pk}/evidence/",
        {
            "version": 1,
            "kind": "citation",
            "instrument_type": "law",
            "number": "18",
            "year": "2017",
            "title": "Protection of Indonesian Migrant Workers",
            "article": "Art. 8",
        },
        headers={"HX-Request": "true"},
    )
    assert result.status_code == 200, result.content.decode()[:500]
    pdf = SimpleUploadedFile("regulation.pdf", PDF, content_type="application/octet-stream")
    result = client.post(
        f"/responses/{response_a.pk}/evidence/",
        {"version": 2, "kind": "file", "title": "Ministerial regulation 9/2019", "file": pdf},
        headers={"HX-Request": "true"},
    )
    assert result.status_code == 200, result.content.decode()[:500]
    response_a.refresh_from_db()
    labels = [e.label for e in response_a.evidence.order_by("pk")]
    assert (
        labels[0] == "Law (Undang-Undang) 18/2017: Protection of Indonesian Migrant Workers, Art. 8"
    )
    pdf_item = response_a.evidence.get(kind="file")
    assert pdf_item.content_type == "application/pdf" and pdf_item.size == len(PDF)
    assert response_a.version == 3


def test_a_renamed_executable_is_refused_as_evidence(client, focal_a, response_a):
    client.force_login(focal_a)
    fake = SimpleUploadedFile("law.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200)
    result = client.post(
        f"/responses/{response_a.pk}/evidence/",
        {"version": 1, "kind": "file", "title": "Not a law", "file": fake},
        headers={"HX-Request": "true"},
    )
    assert result.status_code == 422
    assert "File: the content of “law.pdf” is not PDF" in result.content.decode()
    assert not Evidence.objects.filter(title="Not a law").exists()
    response_a.refresh_from_db()
    assert response_a.version == 1


def test_evidence_is_reusable_across_indicators(
    client, focal_a, response_a, national_assessment, kemnaker
):
    item = collection_services.evidence_create(
        assessment=national_assessment,
        institution=kemnaker,
        actor=focal_a,
        kind="link",
        title="Ministry portal",
        url="https://kemnaker.go.id",
    )
    other = national_assessment.responses.get(indicator__code="1.3.2", institution=kemnaker)
    client.force_login(focal_a)
    for r in (response_a, other):
        result = client.post(
            f"/responses/{r.pk}/evidence/",
            {"version": 1, "existing": item.pk},
            headers={"HX-Request": "true"},
        )
        assert result.status_code == 200
    assert set(item.responses.values_list("indicator__code", flat=True)) == {"1.3.1", "1.3.2"}


def test_submit_is_refused_until_every_lead_indicator_is_answered(
    client, focal_a, national_assessment, kemnaker
):
    client.force_login(focal_a)
    url = f"/assessments/{national_assessment.pk}/submit/"
    # Even the confirmed POST is refused while lead answers are missing.
    result = client.post(url, {"confirmed": "yes"}, follow=True)
    assert "Still missing: 1.3.1, 1.3.2, 4.1.1" in result.content.decode()
    assert not national_assessment.submissions.exists()
    for r in national_assessment.responses.filter(
        institution=kemnaker, indicator__code__in=["1.3.1", "1.3.2", "4.1.1"]
    ):
        collection_services.response_update(
            response=r, actor=focal_a, version=r.version, answer="yes"
        )
    result = client.post(url, {"confirmed": "yes"}, follow=True)
    # Was "Submitted 4 answers": the blank contributor draft 4.1.2 is no longer sent.
    assert "Submitted 3 answers" in result.content.decode()
    states = dict(
        national_assessment.responses.filter(institution=kemnaker).values_list(
            "indicator__code", "state"
        )
    )
    assert states == {"1.3.1": "submitted", "1.3.2": "submitted", "4.1.1": "submitted"} | {
        "4.1.2": "draft"
    }
    # Read-only afterwards: the submitted answer shows no Save button and a save is refused.
    html = client.get(f"/assessments/{national_assessment.pk}/entry/").content.decode()
    r = national_assessment.responses.get(institution=kemnaker, indicator__code="1.3.1")
    block = html.split(f'id="response-{r.pk}"')[1].split("</article>")[0]
    assert ">Save<" not in block
    assert save(client, r, answer="no").status_code == 403


def test_focal_point_b_gets_404_on_every_kemnaker_page(
    client, focal_b, response_a, national_assessment
):
    client.force_login(focal_b)
    assert client.get(f"/responses/{response_a.pk}/history/").status_code == 404
    assert save(client, response_a, answer="no").status_code == 404
    assert (
        client.post(
            f"/responses/{response_a.pk}/evidence/",
            {"version": 1, "kind": "link", "title": "x", "url": "https://x.org"},
        ).status_code
        == 404
    )
    assert (
        client.get(f"/assessments/{national_assessment.pk}/institutions/KEMNAKER/").status_code
        == 404
    )
    response_a.refresh_from_db()
    assert response_a.version == 1 and not response_a.evidence.exists()


def test_coordinator_reads_an_institutions_answers_but_cannot_edit(
    client, coordinator, response_a, national_assessment
):
    client.force_login(coordinator)
    html = client.get(
        f"/assessments/{national_assessment.pk}/institutions/KEMNAKER/"
    ).content.decode()
    assert "1.3.1" in html and ">Save<" not in html
    assert save(client, response_a, answer="yes").status_code == 403


def test_history_shows_who_changed_what(client, focal_a, response_a):
    collection_services.response_update(
        response=response_a, actor=focal_a, version=1, answer="partial", justification="First"
    )
    collection_services.response_update(
        response=Response.objects.get(pk=response_a.pk), actor=focal_a, version=2, answer="yes"
    )
    client.force_login(focal_a)
    html = client.get(f"/responses/{response_a.pk}/history/").content.decode()
    assert html.count("t-focal-kemnaker") >= 2
    assert "Partially" in html and "Yes" in html and "First" in html


def test_entry_page_query_count_does_not_grow_with_indicators_evidence_or_history(
    client, focal_a, national_assessment, kemnaker
):
    client.force_login(focal_a)
    url = f"/assessments/{national_assessment.pk}/entry/"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    # Grow everything: ten more indicators, evidence on each, history rows.
    from indicators.models import Indicator

    more = Indicator.objects.filter(
        framework=national_assessment.framework, code__startswith="2."
    ).order_by("order")[:10]
    setup_services.matrix_apply(
        assessment=national_assessment,
        actor=focal_a,
        cells={(i.pk, kemnaker.pk): "contributor" for i in more},
    )
    for r in national_assessment.responses.filter(institution=kemnaker):
        item = collection_services.evidence_create(
            assessment=national_assessment,
            institution=kemnaker,
            actor=focal_a,
            kind="link",
            title=f"Source {r.pk}",
            url="https://example.go.id",
        )
        collection_services.response_add_evidence(
            response=r, actor=focal_a, version=r.version, evidence=item
        )
        r.refresh_from_db()
        collection_services.response_update(
            response=r, actor=focal_a, version=r.version, justification="More"
        )
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert html.count('class="response"') == 14
    assert len(large.captured_queries) == len(small.captured_queries)
    # session, user, assessment, the user's institution, responses (with role, indicator,
    # dimension and last editor), evidence, the latest comments of every answer's thread
    # (one query for the page: queries and returns show under their answers), submission.
    # Progress and the missing lead answers are counted from the rows already read.
    assert len(large.captured_queries) == 8


def test_home_page_shows_progress_deadline_and_returned_items(
    client, focal_a, national_assessment, response_a
):
    Response.objects.filter(pk=response_a.pk).update(state=Response.State.RETURNED)
    client.force_login(focal_a)
    html = client.get("/").content.decode()
    assert "1 answer to revise or clarify" in html
    assert f"#response-{response_a.pk}" in html
    assert html.count("0 of 2 answered") == 2  # 1.3.1, 1.3.2 and 4.1.1, 4.1.2


def test_data_collection_closed_means_read_only(client, focal_a, response_a, national_assessment):
    Assessment.objects.filter(pk=national_assessment.pk).update(
        status=Assessment.Status.CROSS_CHECK
    )
    client.force_login(focal_a)
    assert save(client, response_a, answer="yes").status_code == 403


def test_evidence_library_adds_items(client, focal_a, national_assessment):
    client.force_login(focal_a)
    result = client.post(
        f"/assessments/{national_assessment.pk}/evidence/",
        {
            "kind": "citation",
            "instrument_type": "government_regulation",
            "number": "59",
            "year": "2021",
            "title": "Implementation of Law 18/2017",
        },
    )
    assert result.status_code == 302
    html = client.get(f"/assessments/{national_assessment.pk}/evidence/").content.decode()
    assert "Government regulation (PP) 59/2021: Implementation of Law 18/2017" in html
    bad = client.post(
        f"/assessments/{national_assessment.pk}/evidence/", {"kind": "link", "title": "No link"}
    )
    assert bad.status_code == 422
    assert "Link: enter a full web address starting with https://" in bad.content.decode()


del io
