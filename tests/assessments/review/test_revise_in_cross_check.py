"""A returned (or queried) answer is revised by its institution during the cross-check, then
resubmitted: the facilitators' return would otherwise ask for a change nobody can make."""

import pytest
from django.test import Client

from assessments.collection import services as collection_services
from assessments.errors import ServiceError
from assessments.review import services as review_services


@pytest.mark.django_db
def test_a_returned_answer_is_revised_and_resubmitted_in_the_cross_check(
    cross_check_assessment, facilitator, focal_a
):
    returned = cross_check_assessment.responses.get(
        institution=focal_a.institution, indicator__code="1.3.1"
    )
    review_services.response_review(
        response=returned, actor=facilitator, decision="return", comment="Cite the regulation."
    )
    returned.refresh_from_db()

    client = Client()
    client.force_login(focal_a)
    page = client.get(f"/assessments/{cross_check_assessment.pk}/entry/").content.decode()
    block = page[page.index(f'id="response-{returned.pk}"') :]
    block = block[: block.index('id="response-', 10)]
    textarea = block[block.index("<textarea") :]
    assert "readonly" not in textarea[: textarea.index(">")]
    assert "Resubmit for review" in block

    saved = client.post(
        f"/responses/{returned.pk}/save/",
        {
            "version": returned.version,
            "answer": "yes",
            "coverage": "all",
            "justification": "Permenaker 9/2019, article 4.",
        },
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    returned.refresh_from_db()
    assert returned.justification == "Permenaker 9/2019, article 4."
    review_services.response_resubmit(response=returned, actor=focal_a)

    # An answer that was not returned stays closed in the cross-check.
    other = cross_check_assessment.responses.get(
        institution=focal_a.institution, indicator__code="1.3.2"
    )
    with pytest.raises(ServiceError):
        collection_services.response_update(
            response=other, actor=focal_a, version=other.version, justification="Late change."
        )
