"""The home inbox's newer items: carried-forward answers to confirm (focal points), answers
awaiting review per institution (facilitators); an overdue deadline is tagged on the entry
page and the assessments list too."""

import datetime

import pytest
from django.utils import timezone

from assessments.models import Assessment
from tests.conftest import submit_institution

pytestmark = pytest.mark.django_db


def test_focal_point_sees_carried_answers_to_confirm(
    client, national_assessment, kemnaker, focal_a
):
    national_assessment.responses.filter(
        institution=kemnaker, indicator__code__in=["1.3.1", "1.3.2"]
    ).update(answer="yes", confirmed=False)
    client.force_login(focal_a)
    html = client.get("/").content.decode()
    assert "2 carried-forward answers to check and confirm" in html
    assert f'href="/assessments/{national_assessment.pk}/entry/#carried-heading"' in html
    assert "0 of 2 answered" in html  # dimension 1's two unconfirmed count as blank


def test_facilitator_sees_answers_awaiting_review_per_institution(
    client, national_assessment, kemnaker, bp2mi, focal_a, focal_b, facilitator
):
    submit_institution(national_assessment, kemnaker, focal_a)
    submit_institution(national_assessment, bp2mi, focal_b)
    client.force_login(facilitator)
    html = client.get("/").content.decode()
    assert "7 answers await your review" in html
    assert f'?assessment={national_assessment.pk}&amp;institution=BP2MI">BP2MI</a>: 3' in html
    assert f'?assessment={national_assessment.pk}&amp;institution=KEMNAKER">KEMNAKER</a>: 4' in html


@pytest.mark.parametrize("language,tag", [("en", "Overdue"), ("id", "Melewati tenggat")])
def test_an_overdue_deadline_is_tagged_on_the_entry_page_and_the_list(
    client, national_assessment, focal_a, language, tag
):
    Assessment.objects.filter(pk=national_assessment.pk).update(
        data_collection_deadline=timezone.localdate() - datetime.timedelta(days=2)
    )
    client.force_login(focal_a)
    client.cookies["django_language"] = language
    badge = f'<span class="badge badge-overdue">{tag}</span>'
    entry = client.get(f"/assessments/{national_assessment.pk}/entry/").content.decode()
    assert badge in entry
    listing = client.get("/assessments/").content.decode()
    assert badge in listing


def test_no_overdue_tag_before_the_deadline(client, national_assessment, focal_a):
    Assessment.objects.filter(pk=national_assessment.pk).update(
        data_collection_deadline=timezone.localdate() + datetime.timedelta(days=2)
    )
    client.force_login(focal_a)
    assert (
        "badge-overdue"
        not in client.get(f"/assessments/{national_assessment.pk}/entry/").content.decode()
    )
    assert "badge-overdue" not in client.get("/assessments/").content.decode()


def test_after_submitting_everything_no_submit_nor_import_button(
    client, national_assessment, kemnaker, focal_a
):
    client.force_login(focal_a)
    url = f"/assessments/{national_assessment.pk}/entry/"
    html = client.get(url).content.decode()
    assert "Submit our answers" in html and "Import from Excel" in html
    submit_institution(national_assessment, kemnaker, focal_a)
    html = client.get(url).content.decode()
    assert "Submit our answers" not in html and "Import from Excel" not in html
    assert "Export to Excel" in html
    # One answer returned: editable again, so the buttons come back.
    r = national_assessment.responses.filter(institution=kemnaker).first()
    from assessments.review import services as review_services

    facilitator = national_assessment.facilitators.first()
    review_services.response_review(
        response=r, actor=facilitator, decision="return", comment="Revise"
    )
    html = client.get(url).content.decode()
    assert "Submit our answers" in html
