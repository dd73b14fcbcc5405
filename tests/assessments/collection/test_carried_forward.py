"""Carried-forward drafts: a new round starts from an earlier round's answers, copied into
its blank drafts unconfirmed; they count as blank (for submission, review and progress)
until a focal point confirms or saves them."""

from html import unescape

import pytest
from rest_framework.test import APIClient

from assessments.collection import services as collection_services
from assessments.collection.carried import response_confirm
from assessments.dashboard.selectors import dashboard_institutions
from assessments.errors import ServiceError
from assessments.history_reasons import reason_code_of
from assessments.models import Assessment, Evidence, Response
from assessments.setup.carry_forward import assessment_carry_forward
from tests.conftest import build_national_assessment

pytestmark = pytest.mark.django_db

LEADS = ["1.3.1", "1.3.2", "4.1.1"]


@pytest.fixture
def earlier(coordinator, facilitator, kemnaker, focal_a):
    """A 2029 round in which Kemnaker answered its four indicators, one with a link."""
    assessment = build_national_assessment(coordinator, facilitator)
    Assessment.objects.filter(pk=assessment.pk).update(year=2029)
    assessment.refresh_from_db()
    link = collection_services.evidence_create(
        assessment=assessment,
        institution=kemnaker,
        actor=focal_a,
        kind="link",
        title="Manpower Act",
        url="https://example.org/uu-13-2003",
    )
    for r in assessment.responses.filter(institution=kemnaker):
        collection_services.response_update(
            response=r,
            actor=focal_a,
            version=r.version,
            answer="partial",
            justification=f"2029: {r.indicator.code}",
            evidence=[link] if r.indicator.code == "1.3.1" else None,
        )
    return assessment


@pytest.fixture
def carried(earlier, national_assessment, coordinator, kemnaker, focal_a):
    """The 2030 round with Kemnaker's 4.1.1 already answered, then carried forward."""
    own = national_assessment.responses.get(institution=kemnaker, indicator__code="4.1.1")
    collection_services.response_update(
        response=own, actor=focal_a, version=own.version, answer="yes", justification="Mine"
    )
    count = assessment_carry_forward(
        assessment=national_assessment, source=earlier, actor=coordinator
    )
    assert count == 3  # 1.3.1, 1.3.2, 4.1.2: 4.1.1 was not blank
    return national_assessment


def mine(assessment, kemnaker, code) -> Response:
    return assessment.responses.select_related("carried_from").get(
        institution=kemnaker, indicator__code=code
    )


def test_carry_forward_fills_blank_drafts_unconfirmed_with_their_evidence(
    carried, earlier, kemnaker
):
    r = mine(carried, kemnaker, "1.3.1")
    assert (r.answer, r.justification, r.confirmed, r.state) == (
        "partial",
        "2029: 1.3.1",
        False,
        "draft",
    )
    assert r.carried_from.assessment_id == earlier.pk
    (item,) = r.evidence.all()
    assert item.assessment_id == carried.pk and item.url == "https://example.org/uu-13-2003"
    assert Evidence.objects.filter(assessment=earlier).count() == 1  # the original stays
    assert reason_code_of(r.history.first().history_change_reason) == "carried_forward"
    own = mine(carried, kemnaker, "4.1.1")
    assert (own.answer, own.justification, own.confirmed, own.carried_from) == (
        "yes",
        "Mine",
        True,
        None,
    )


def test_unconfirmed_drafts_count_as_blank_and_are_not_submitted(carried, kemnaker, focal_a):
    (row,) = dashboard_institutions(carried, deadline_passed=False, institution_id=kemnaker.pk)
    assert (row.counts.answered, row.counts.blank) == (1, 3)
    with pytest.raises(ServiceError, match=r"1\.3\.1, 1\.3\.2"):
        collection_services.submission_create(
            assessment=carried, institution=kemnaker, actor=focal_a
        )
    for code in ("1.3.1", "1.3.2"):
        r = mine(carried, kemnaker, code)
        response_confirm(response=r, actor=focal_a, version=r.version)
    submission = collection_services.submission_create(
        assessment=carried, institution=kemnaker, actor=focal_a
    )
    assert submission.response_count == 3  # 4.1.2 carried but unconfirmed stays behind
    assert mine(carried, kemnaker, "4.1.2").state == "draft"


def test_the_entry_page_notes_carried_answers_and_confirms_them(client, carried, kemnaker, focal_a):
    client.force_login(focal_a)
    url = f"/assessments/{carried.pk}/entry/"
    html = unescape(client.get(url).content.decode())
    r = mine(carried, kemnaker, "1.3.2")
    block = html.split(f'id="response-{r.pk}"')[1].split("</article>")[0]
    assert "Carried forward from the 2029 assessment, round 1 — check and confirm." in block
    assert f'action="/responses/{r.pk}/confirm/"' in block
    assert "3 answers were carried forward from an earlier round." in html
    assert "Confirm all carried-forward answers" in html
    done = client.post(f"/responses/{r.pk}/confirm/", {"version": r.version}, follow=True)
    assert "Confirmed 1.3.2." in done.content.decode()
    assert mine(carried, kemnaker, "1.3.2").confirmed
    stale = mine(carried, kemnaker, "1.3.1")
    again = client.post(
        f"/responses/{stale.pk}/confirm/",
        {"version": stale.version - 1},
        headers={"HX-Request": "true"},
    )
    assert again.status_code == 409 and not mine(carried, kemnaker, "1.3.1").confirmed
    client.post(f"/assessments/{carried.pk}/confirm-carried/")
    assert not carried.responses.filter(institution=kemnaker, confirmed=False).exists()
    html = client.get(url).content.decode()
    assert "Confirm all carried-forward answers" not in html and "check and confirm" not in html


def test_saving_a_carried_answer_confirms_it(carried, kemnaker, focal_a):
    r = mine(carried, kemnaker, "4.1.2")
    collection_services.response_update(
        response=r, actor=focal_a, version=r.version, justification="Checked"
    )
    assert Response.objects.get(pk=r.pk).confirmed


def test_the_api_confirms_a_carried_answer(carried, kemnaker, focal_a, focal_b):
    r = mine(carried, kemnaker, "1.3.1")
    api = APIClient()
    api.force_authenticate(focal_b)
    assert api.post(f"/api/v1/responses/{r.pk}/confirm/").status_code == 404
    api.force_authenticate(focal_a)
    shown = api.get(f"/api/v1/responses/{r.pk}/").json()
    assert shown["confirmed"] is False and shown["carried_from"] == r.carried_from_id
    done = api.post(f"/api/v1/responses/{r.pk}/confirm/", {"version": r.version}, format="json")
    assert done.status_code == 200 and done.json()["confirmed"] is True
    assert api.post(f"/api/v1/responses/{r.pk}/confirm/").status_code == 409  # not any more


def test_the_setup_page_offers_earlier_rounds_and_asks_first(
    client, earlier, national_assessment, coordinator, kemnaker
):
    client.force_login(coordinator)
    page = client.get(f"/assessments/{national_assessment.pk}/").content.decode()
    assert "Start from an earlier round" in page
    assert f'<option value="{earlier.pk}"' in page
    url = f"/assessments/{national_assessment.pk}/carry-forward/"
    first = unescape(client.post(url, {"source": earlier.pk}).content.decode())
    assert "4 blank drafts will be filled" in first and "KEMNAKER (4)" in first
    assert "Nobody is emailed" in first
    assert not national_assessment.responses.filter(confirmed=False).exists()
    done = client.post(url, {"source": earlier.pk, "confirmed": "yes"}, follow=True)
    assert "4 answers carried forward" in done.content.decode()
    assert national_assessment.responses.filter(confirmed=False).count() == 4
    # A later round is not an earlier one: refused.
    client.get(f"/assessments/{earlier.pk}/")
    refused = client.post(
        f"/assessments/{earlier.pk}/carry-forward/",
        {"source": national_assessment.pk, "confirmed": "yes"},
        follow=True,
    )
    assert "Choose an earlier assessment of the same scope." in unescape(refused.content.decode())


def test_only_coordinators_carry_forward(
    client, earlier, national_assessment, focal_a, facilitator
):
    url = f"/assessments/{national_assessment.pk}/carry-forward/"
    for user in (focal_a, facilitator):
        client.force_login(user)
        assert client.post(url, {"source": earlier.pk, "confirmed": "yes"}).status_code in (
            403,
            404,
        )
    assert not national_assessment.responses.filter(confirmed=False).exists()
