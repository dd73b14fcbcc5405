"""Taking over the lead institution's answer: offered only where it can succeed, and in bulk
for every accepted, uncontested lead answer (confirmed first), leaving conflicts for
side-by-side work.

The cross-check fixture: Kemnaker answered yes (leads 1.3.1, 1.3.2, 4.1.1; contributes to
4.1.2), BP2MI partial (leads 4.1.2, 2.3.2; contributes to 1.3.1), KEMLU (lead of the other
93 indicators) never answered. Here every submitted answer but 4.1.1 is accepted, and 2.3.2
already has a consolidated answer: so only 1.3.2 can be taken over in bulk.
"""

from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from assessments.consolidation import services as consolidation_services
from assessments.consolidation import takeover
from assessments.history_reasons import reason_code_of, reason_params_of
from assessments.models import ConsolidatedAnswer
from assessments.review import services as review_services
from indicators.models import Indicator

pytestmark = pytest.mark.django_db


def bulk_url(assessment):
    return f"/assessments/{assessment.pk}/indicators/take-over-all/"


@pytest.fixture
def reviewed(cross_check_assessment, facilitator):
    """Every submitted answer accepted but Kemnaker's on 4.1.1; 2.3.2 consolidated as No."""
    for r in cross_check_assessment.responses.filter(state="submitted").exclude(
        indicator__code="4.1.1"
    ):
        review_services.response_review(response=r, actor=facilitator, decision="accept")
    consolidation_services.consolidated_save(
        assessment=cross_check_assessment,
        indicator=Indicator.objects.get(framework=cross_check_assessment.framework, code="2.3.2"),
        actor=facilitator,
        answer="no",
    )
    return cross_check_assessment


def consolidated(assessment):
    return dict(
        ConsolidatedAnswer.objects.filter(assessment=assessment).values_list(
            "indicator__code", "answer"
        )
    )


# --- one indicator: offered only where it can succeed -----------------------------------------


def test_indicator_page_says_why_the_take_over_is_not_offered(client, facilitator, reviewed):
    client.force_login(facilitator)
    base = f"/assessments/{reviewed.pk}/indicators"
    reasons = {
        "1.1.1": "KEMLU, the lead institution, has not submitted an answer on this indicator.",
        "4.1.1": "The answer of KEMNAKER, the lead institution, is not accepted yet "
        "(Pending review): review it first.",
        "1.3.1": "The institutions disagree (KEMNAKER: Yes, BP2MI: Partially)",
    }
    for code, reason in reasons.items():
        html = client.get(f"{base}/{code}/").content.decode()
        assert "take-over-form" not in html, code
        assert reason in html, code
    html = client.get(f"{base}/1.3.2/").content.decode()
    assert 'class="take-over-form"' in html
    assert f'action="{base}/1.3.2/take-over/"' in html


def test_take_over_check_rules():
    """Pure rules: nothing-to-add and agreeing answers do not contest; an unconfirmed draft
    is no answer; a different answer contests whatever its review state."""

    def r(pk, role, answer="yes", review="accepted", **extra):
        values = {
            "pk": pk,
            "role": role,
            "answer": answer,
            "review_state": review,
            "state": "submitted",
            "nothing_to_add": False,
            "confirmed": True,
            "institution": SimpleNamespace(acronym=f"I{pk}"),
        }
        return SimpleNamespace(**{**values, **extra})

    lead = r(1, "lead")
    agreeing = r(2, "contributor")
    silent = r(3, "contributor", answer="", nothing_to_add=True)
    check = takeover.take_over_check([lead, agreeing, silent])
    assert check.possible and check.agreeing == [agreeing]
    pending_other = r(4, "contributor", answer="no", review="pending")
    assert takeover.take_over_check([lead, pending_other]).problem == takeover.CONTESTED
    draft_other = r(5, "contributor", answer="no", state="draft")
    assert takeover.take_over_check([lead, draft_other]).possible
    unconfirmed = r(1, "lead", confirmed=False)
    assert takeover.take_over_check([unconfirmed]).problem == takeover.LEAD_UNANSWERED
    assert takeover.take_over_check([agreeing]).problem == takeover.NO_LEAD
    queried = r(1, "lead", review="queried")
    assert takeover.take_over_check([queried]).problem == takeover.LEAD_NOT_ACCEPTED


# --- in bulk -----------------------------------------------------------------------------------


def test_list_offers_the_bulk_take_over_with_its_count_to_facilitators_only(
    client, facilitator, coordinator, reviewed
):
    client.force_login(facilitator)
    html = client.get(f"/assessments/{reviewed.pk}/indicators/").content.decode()
    assert "Take over every accepted, uncontested lead answer (1)" in html
    assert f'action="{bulk_url(reviewed)}"' in html
    # Filters do not change the count: it is over every indicator.
    html = client.get(f"/assessments/{reviewed.pk}/indicators/?dimension=6").content.decode()
    assert "Take over every accepted, uncontested lead answer (1)" in html
    client.force_login(coordinator)
    html = client.get(f"/assessments/{reviewed.pk}/indicators/").content.decode()
    assert "take-over-all" not in html


def test_first_post_asks_for_confirmation_and_changes_nothing(client, facilitator, reviewed):
    client.force_login(facilitator)
    result = client.post(bulk_url(reviewed))
    assert result.status_code == 200
    html = result.content.decode()
    assert "Take over every accepted, uncontested lead answer" in html
    assert (
        "1 indicator gets the answer of its lead institution (answer, justification and "
        "evidence) as its consolidated answer: 1.3.2."
    ) in html
    assert (
        "2 indicators stay for side-by-side work because the institutions disagree: 1.3.1, 4.1.2."
    ) in html
    assert "not accepted yet (1, left until it is reviewed): 4.1.1." in html
    assert "has not submitted an answer (93, left for side-by-side work): 1.1.1, 1.1.2" in html
    assert "1 indicator already has a consolidated answer and stays as it is." in html
    assert "Nobody is notified by email." in html
    assert 'name="confirmed" value="yes"' in html
    assert "Take over 1 lead answer" in html
    assert consolidated(reviewed) == {"2.3.2": "no"}


def test_confirmed_post_takes_over_only_accepted_uncontested_leads(client, facilitator, reviewed):
    client.force_login(facilitator)
    result = client.post(bulk_url(reviewed), {"confirmed": "yes"})
    assert result.status_code == 302
    assert consolidated(reviewed) == {"2.3.2": "no", "1.3.2": "yes"}  # conflicts left
    taken = ConsolidatedAnswer.objects.get(assessment=reviewed, indicator__code="1.3.2")
    lead = reviewed.responses.get(indicator__code="1.3.2", institution__acronym="KEMNAKER")
    assert list(taken.sources.all()) == [lead] and taken.narrative_en == "KEMNAKER: yes"
    records = list(taken.history.all())
    assert records and all(
        reason_code_of(record.history_change_reason) == "taken_over" for record in records
    )
    assert reason_params_of(records[0].history_change_reason) == {"institution": "KEMNAKER"}
    html = client.get(result.url).content.decode()
    assert "1 lead answer taken over; 97 indicators left as they were." in html
    # Nothing left to take over: a second run takes nothing and changes nothing.
    done = consolidation_services.consolidated_take_over_bulk(
        assessment=reviewed, actor=facilitator
    )
    assert (done.taken, done.skipped) == ([], 98)
    assert taken.history.count() == len(records)


def test_bulk_take_over_is_refused_to_coordinators_and_hidden_from_focal_points(
    client, coordinator, focal_a, reviewed
):
    client.force_login(coordinator)
    assert client.post(bulk_url(reviewed), {"confirmed": "yes"}).status_code == 403
    client.force_login(focal_a)
    assert client.post(bulk_url(reviewed), {"confirmed": "yes"}).status_code == 404
    assert consolidated(reviewed) == {"2.3.2": "no"}


def test_confirmation_is_blocked_when_nothing_can_be_taken_over(
    client, facilitator, cross_check_assessment
):
    client.force_login(facilitator)  # nothing accepted yet
    html = client.post(bulk_url(cross_check_assessment)).content.decode()
    assert "No indicator has an accepted, uncontested lead answer to take over." in html
    assert 'name="confirmed"' not in html


def test_api_takes_over_in_bulk_and_reports_what_it_left(facilitator, coordinator, reviewed):
    api = APIClient()
    url = f"/api/v1/assessments/{reviewed.pk}/indicators/take-over-all/"
    api.force_authenticate(coordinator)
    assert api.post(url).status_code == 403
    api.force_authenticate(facilitator)
    body = api.post(url).json()
    assert body["taken"] == ["1.3.2"] and body["taken_count"] == 1
    assert body["skipped_count"] == 97
    assert body["contested"] == ["1.3.1", "4.1.2"]
    assert body["without_usable_lead_answer"]["lead_not_accepted"] == ["4.1.1"]
    assert len(body["without_usable_lead_answer"]["lead_unanswered"]) == 93
    assert consolidated(reviewed)["1.3.2"] == "yes"


def test_bulk_confirmation_in_indonesian(client, facilitator, reviewed, settings):
    client.force_login(facilitator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = client.post(bulk_url(reviewed)).content.decode()
    assert 'lang="id"' in html
    assert "Ambil alih setiap jawaban lembaga utama yang diterima dan tidak diperselisihkan" in html
    assert "Tidak ada yang diberi tahu lewat email." in html
