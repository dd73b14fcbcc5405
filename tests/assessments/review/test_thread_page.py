"""The thread page shows the answer under review: its label, justification and evidence."""

from html import escape

import pytest
from django.utils import translation

from assessments.collection import services as collection_services
from assessments.models import Response

pytestmark = pytest.mark.django_db

JUSTIFICATION = "Article 6 of the Manpower Act forbids discrimination in hiring."


@pytest.fixture
def submitted_answer(national_assessment, kemnaker, focal_a) -> Response:
    """Kemnaker's answer to 1.3.2: Yes, with a justification and a legal citation; submitted."""
    response = national_assessment.responses.get(indicator__code="1.3.2", institution=kemnaker)
    evidence = collection_services.evidence_create(
        assessment=national_assessment,
        institution=kemnaker,
        actor=focal_a,
        kind="citation",
        instrument_type="law",
        number="13",
        year=2003,
        title="Manpower Act",
        article="Art. 6",
    )
    response = collection_services.response_add_evidence(
        response=response, actor=focal_a, version=response.version, evidence=evidence
    )
    for r in national_assessment.responses.filter(institution=kemnaker):
        r.refresh_from_db()
        collection_services.response_update(
            response=r,
            actor=focal_a,
            version=r.version,
            answer="yes",
            justification=JUSTIFICATION if r.pk == response.pk else "Other",
        )
    collection_services.submission_create(
        assessment=national_assessment, institution=kemnaker, actor=focal_a
    )
    return Response.objects.get(pk=response.pk)


@pytest.mark.parametrize("who", ["facilitator", "coordinator", "focal_a"])
@pytest.mark.parametrize("language,answer", [("en", "Yes"), ("id", "Ya")])
def test_thread_page_shows_the_answer_its_justification_and_evidence(
    request, client, submitted_answer, who, language, answer
):
    client.force_login(request.getfixturevalue(who))
    client.cookies["django_language"] = language
    response = client.get(f"/responses/{submitted_answer.pk}/thread/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    # The answer block, read-only: the chosen answer checked, the text, the evidence.
    checked = f'id="answer-{submitted_answer.pk}-yes" checked> {answer}</label>'
    assert checked in html
    assert JUSTIFICATION in html
    with translation.override(language):
        label = submitted_answer.evidence.get().label
    assert "Manpower Act" in label and "13/2003" in label
    assert escape(label) in html
    # Not the template's own nodes, which a context variable named "block" used to print.
    assert "Block Node" not in html and "BlockNode" not in html
    assert "Nodelist" not in html and "<ExtendsNode" not in html


def test_thread_page_of_another_institution_does_not_exist(client, focal_b, submitted_answer):
    client.force_login(focal_b)
    assert client.get(f"/responses/{submitted_answer.pk}/thread/").status_code == 404
