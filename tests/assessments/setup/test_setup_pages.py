"""The coordinators' setup: a new assessment, its page, its workflow and its participants."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.collection import services as collection_services
from assessments.models import Assessment, AssessmentStatusChange
from assessments.setup import services as setup_services
from indicators.models import FrameworkVersion
from ministries.models import Institution
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW = "/assessments/new/"


@pytest.fixture
def setup_assessment(coordinator):
    """A national assessment still in setup: KEMLU leads everything but 1.1.1 and 1.1.2."""
    framework = FrameworkVersion.objects.get(code="mgi-national-2023")
    assessment = setup_services.assessment_create(
        actor=coordinator,
        framework=framework,
        year=2031,
        title_en="Setup assessment",
        title_id="Asesmen persiapan",
    )
    inst = {i.acronym: i for i in Institution.objects.filter(acronym__in=["KEMLU", "KEMNAKER"])}
    setup_services.assessment_set_participants(
        assessment=assessment, actor=coordinator, institutions=inst.values()
    )
    cells = {
        (i.pk, inst["KEMLU"].pk): "lead"
        for i in framework.indicators.exclude(code__in=["1.1.1", "1.1.2"])
    }
    setup_services.matrix_apply(assessment=assessment, actor=coordinator, cells=cells)
    return assessment


def form_data(framework: FrameworkVersion, **extra) -> dict:
    return {
        "framework": framework.pk,
        "year": 2032,
        "round": 1,
        "title_en": "Indonesia 2032",
        "title_id": "Indonesia 2032",
        "data_collection_deadline": "2032-06-30",
        **extra,
    }


# --- creating an assessment ---------------------------------------------------------------


def test_national_coordinator_creates_a_national_assessment(client, coordinator):
    client.force_login(coordinator)
    page = client.get(NEW).content.decode()
    assert "mgi-national-2023" in page and "mgi-local-2023" not in page
    framework = FrameworkVersion.objects.get(code="mgi-national-2023")
    result = client.post(NEW, form_data(framework))
    assessment = Assessment.objects.get(year=2032)
    assert result.status_code == 302
    assert result["Location"] == f"/assessments/{assessment.pk}/"
    assert assessment.scope == Assessment.Scope.NATIONAL and assessment.province is None
    assert assessment.created_by == coordinator
    assert assessment.data_collection_deadline == datetime.date(2032, 6, 30)
    assert assessment.status == Assessment.Status.SETUP


def test_provincial_coordinator_creates_an_assessment_of_their_province(
    client, provincial_coordinator, central_java
):
    client.force_login(provincial_coordinator)
    page = client.get(NEW).content.decode()
    assert "mgi-local-2023" in page and "mgi-national-2023" not in page
    assert "Central Java" in page and 'name="province"' not in page
    framework = FrameworkVersion.objects.get(code="mgi-local-2023")
    result = client.post(NEW, form_data(framework, province="99"))  # ignored: fixed
    assert result.status_code == 302
    assessment = Assessment.objects.get(year=2032)
    assert assessment.scope == Assessment.Scope.PROVINCIAL
    assert assessment.province == central_java


def test_provincial_coordinator_cannot_use_a_national_framework(client, provincial_coordinator):
    client.force_login(provincial_coordinator)
    framework = FrameworkVersion.objects.get(code="mgi-national-2023")
    result = client.post(NEW, form_data(framework))
    assert result.status_code == 200
    assert "Select a valid choice" in result.content.decode()
    assert not Assessment.objects.filter(year=2032).exists()


def test_previous_round_must_be_of_the_same_scope(
    client, coordinator, provincial_coordinator, central_java
):
    national = setup_services.assessment_create(
        actor=coordinator,
        framework=FrameworkVersion.objects.get(code="mgi-national-2023"),
        year=2031,
        title_en="N",
        title_id="N",
    )
    earlier = setup_services.assessment_create(
        actor=provincial_coordinator,
        framework=FrameworkVersion.objects.get(code="mgi-local-2023"),
        province=central_java,
        year=2031,
        title_en="P",
        title_id="P",
    )
    client.force_login(provincial_coordinator)
    local = FrameworkVersion.objects.get(code="mgi-local-2023")
    refused = client.post(NEW, form_data(local, previous=national.pk))
    assert refused.status_code == 200 and not Assessment.objects.filter(year=2032).exists()
    accepted = client.post(NEW, form_data(local, previous=earlier.pk))
    assert accepted.status_code == 302
    assert Assessment.objects.get(year=2032).previous == earlier


def test_a_second_assessment_of_the_same_round_is_refused_with_a_message(client, coordinator):
    client.force_login(coordinator)
    framework = FrameworkVersion.objects.get(code="mgi-national-2023")
    assert client.post(NEW, form_data(framework)).status_code == 302
    again = client.post(NEW, form_data(framework, title_en="Again"))
    assert again.status_code == 200
    assert 'role="alert"' in again.content.decode()
    assert Assessment.objects.filter(year=2032).count() == 1


@pytest.mark.parametrize("who", ["facilitator", "focal_a"])
def test_only_coordinators_create_assessments(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(NEW).status_code == 403
    framework = FrameworkVersion.objects.get(code="mgi-national-2023")
    assert client.post(NEW, form_data(framework)).status_code == 403
    assert not Assessment.objects.filter(year=2032).exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    result = client.get(NEW)
    assert result.status_code == 302 and "/accounts/login/" in result["Location"]


# --- the assessment page ------------------------------------------------------------------


def test_assessment_page_shows_the_gaps_that_block_data_collection(
    client, coordinator, setup_assessment
):
    client.force_login(coordinator)
    html = client.get(f"/assessments/{setup_assessment.pk}/").content.decode()
    assert "Setup assessment" in html and "mgi-national-2023" in html
    assert "2 indicators have no lead institution." in html
    assert "Data collection cannot open until every indicator has a lead institution." in html
    assert '<span class="code">1.1.1</span>' in html and '<span class="code">1.1.2</span>' in html
    assert "Open data collection" in html  # the allowed move, as a button
    assert f'href="/assessments/{setup_assessment.pk}/matrix/"' in html


def test_opening_data_collection_is_refused_while_an_indicator_has_no_lead(
    client, coordinator, setup_assessment
):
    client.force_login(coordinator)
    result = client.post(
        f"/assessments/{setup_assessment.pk}/transition/",
        {"to": Assessment.Status.DATA_COLLECTION},
        follow=True,
    )
    html = result.content.decode()
    # The confirmation page is shown blocked: the guard's reason, and no button that acts.
    assert "2 indicators have no lead institution: 1.1.1, 1.1.2." in html
    assert 'name="confirmed"' not in html
    setup_assessment.refresh_from_db()
    assert setup_assessment.status == Assessment.Status.SETUP
    assert not AssessmentStatusChange.objects.filter(assessment=setup_assessment).exists()


def test_opening_data_collection_works_once_every_indicator_has_a_lead(
    client, coordinator, setup_assessment, kemnaker
):
    gaps = setup_assessment.framework.indicators.filter(code__in=["1.1.1", "1.1.2"])
    setup_services.matrix_apply(
        assessment=setup_assessment,
        actor=coordinator,
        cells={(i.pk, kemnaker.pk): "lead" for i in gaps},
    )
    client.force_login(coordinator)
    # First the confirmation: what opens, who is told; nothing moves yet.
    first = client.post(
        f"/assessments/{setup_assessment.pk}/transition/",
        {"to": Assessment.Status.DATA_COLLECTION, "note": "Kick-off meeting held."},
    )
    page = first.content.decode()
    assert "Data collection opens: the focal points of the 2 assigned institutions" in page
    assert "The focal points of the assigned institutions (" not in page  # none has an account
    assert 'name="confirmed" value="yes"' in page and 'value="Kick-off meeting held."' in page
    setup_assessment.refresh_from_db()
    assert setup_assessment.status == Assessment.Status.SETUP
    result = client.post(
        f"/assessments/{setup_assessment.pk}/transition/",
        {
            "to": Assessment.Status.DATA_COLLECTION,
            "note": "Kick-off meeting held.",
            "confirmed": "yes",
        },
        follow=True,
    )
    html = result.content.decode()
    setup_assessment.refresh_from_db()
    assert setup_assessment.status == Assessment.Status.DATA_COLLECTION
    assert "Every indicator has a lead institution." in html
    change = AssessmentStatusChange.objects.get(assessment=setup_assessment)
    assert (change.actor, change.from_status, change.to_status, change.note) == (
        coordinator,
        "setup",
        "data_collection",
        "Kick-off meeting held.",
    )
    # The history on the page: who, from, to, note.
    history = html.split('id="history-heading"')[1]
    assert "t-coordinator" in history and "Kick-off meeting held." in history
    assert "Setup" in history and "Data collection" in history


@pytest.mark.parametrize("who, status", [("facilitator", 403), ("focal_a", 403)])
def test_members_without_the_right_cannot_move_the_workflow(
    client, request, national_assessment, who, status
):
    client.force_login(request.getfixturevalue(who))
    result = client.post(
        f"/assessments/{national_assessment.pk}/transition/", {"to": "cross_check"}
    )
    assert result.status_code == status


def test_provincial_coordinator_does_not_see_the_national_assessment(
    client, provincial_coordinator, national_assessment
):
    client.force_login(provincial_coordinator)
    base = f"/assessments/{national_assessment.pk}"
    for path in ("/", "/participants/", "/matrix/", "/matrix/export.xlsx", "/matrix/import/"):
        assert client.get(base + path).status_code == 404, path
    assert client.post(base + "/transition/", {"to": "cross_check"}).status_code == 404


def test_provincial_coordinator_manages_their_provinces_assessment(
    client, provincial_coordinator, central_java
):
    assessment = setup_services.assessment_create(
        actor=provincial_coordinator,
        framework=FrameworkVersion.objects.get(code="mgi-local-2023"),
        province=central_java,
        year=2031,
        title_en="Central Java 2031",
        title_id="Jawa Tengah 2031",
    )
    client.force_login(provincial_coordinator)
    html = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Open data collection" in html and "63 indicators have no lead institution." in html
    page = client.get(f"/assessments/{assessment.pk}/participants/").content.decode()
    assert "DISNAKERTRANS-JATENG" in page and "KEMNAKER" not in page


def test_focal_point_sees_the_assessment_without_its_management(
    client, focal_a, national_assessment
):
    client.force_login(focal_a)
    html = client.get(f"/assessments/{national_assessment.pk}/").content.decode()
    assert "Test national assessment" in html
    assert "/transition/" not in html and "/participants/" not in html
    assert "/matrix/" not in html and 'id="gaps-heading"' not in html
    progress = html.split('id="progress-heading"')[1].split("</section>")[0]
    assert "KEMNAKER" in progress and "BP2MI" not in progress and "KEMLU" not in progress
    assert f'href="/assessments/{national_assessment.pk}/entry/"' in progress


def test_progress_table_counts_each_institutions_answers_and_submission(
    client, coordinator, focal_b, national_assessment, bp2mi
):
    for response in national_assessment.responses.filter(institution=bp2mi):
        collection_services.response_update(
            response=response, actor=focal_b, version=1, answer="yes"
        )
    collection_services.submission_create(
        assessment=national_assessment, institution=bp2mi, actor=focal_b
    )
    client.force_login(coordinator)
    html = client.get(f"/assessments/{national_assessment.pk}/").content.decode()
    progress = html.split('id="progress-heading"')[1].split("</section>")[0]
    rows = {
        row.split("</abbr>")[0].rsplit(">", 1)[1]: row
        for row in progress.split("<tr>")[2:]
        if "</abbr>" in row
    }
    assert set(rows) == {"BP2MI", "KEMLU", "KEMNAKER"}
    # BP2MI: 3 assigned (4.1.2, 2.3.2 as lead, 1.3.1 as contributor), all answered, submitted.
    # (The submitted column was "Yes, <date>" / "No"; it now counts what was sent.)
    assert "<td>3</td>" in rows["BP2MI"] and "3 of 3 (100%)" in rows["BP2MI"]
    assert "3 of 3 <span" in rows["BP2MI"] and "last on" in rows["BP2MI"]
    assert "0 of 4 (0%)" in rows["KEMNAKER"] and "0 of 4</td>" in rows["KEMNAKER"]
    assert (
        f'href="/assessments/{national_assessment.pk}/institutions/KEMNAKER/"' in rows["KEMNAKER"]
    )


def test_assessment_page_queries_do_not_grow_with_institutions_or_history(
    client, coordinator, national_assessment
):
    """Queries: session, user, assessment (with framework and province), status changes
    with their actors, gaps, institutions with their responses counted, submissions, and
    the earlier rounds answers can be carried forward from (8; was 7 before that choice)."""
    client.force_login(coordinator)
    url = f"/assessments/{national_assessment.pk}/"
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    more = list(Institution.objects.filter(level="national").exclude(acronym="KEMLU")[:12])
    setup_services.assessment_set_participants(
        assessment=national_assessment,
        actor=coordinator,
        institutions=[*national_assessment.participants.all(), *more],
    )
    indicators = list(national_assessment.framework.indicators.all()[:12])
    setup_services.matrix_apply(
        assessment=national_assessment,
        actor=coordinator,
        cells={(i.pk, inst.pk): "contributor" for i, inst in zip(indicators, more, strict=True)},
    )
    for n in range(5):  # a longer history, by several people
        AssessmentStatusChange.objects.create(
            assessment=national_assessment,
            from_status="setup",
            to_status="data_collection",
            actor=UserFactory(username=f"t-coordinator-{n}", role="national_coordinator"),
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) == 8, [q["sql"] for q in many.captured_queries]


# --- participants -------------------------------------------------------------------------


def test_coordinator_chooses_the_participating_institutions(client, coordinator, setup_assessment):
    client.force_login(coordinator)
    url = f"/assessments/{setup_assessment.pk}/participants/"
    page = client.get(url).content.decode()
    kemlu = Institution.objects.get(acronym="KEMLU")
    bp2mi = Institution.objects.get(acronym="BP2MI")
    assert f'value="{kemlu.pk}" id="inst-{kemlu.pk}" checked' in page
    assert "DISNAKERTRANS-JATENG" not in page  # not eligible for a national assessment
    result = client.post(url, {"institutions": [kemlu.pk, bp2mi.pk]})
    assert result.status_code == 302
    assert set(setup_assessment.participants.values_list("acronym", flat=True)) == {
        "KEMLU",
        "BP2MI",
    }


def test_an_ineligible_participant_is_refused(client, coordinator, setup_assessment):
    client.force_login(coordinator)
    provincial = Institution.objects.get(acronym="DISNAKERTRANS-JATENG")
    result = client.post(
        f"/assessments/{setup_assessment.pk}/participants/", {"institutions": [provincial.pk]}
    )
    assert result.status_code == 200 and "Select a valid choice" in result.content.decode()
    assert setup_assessment.participants.count() == 2


@pytest.mark.parametrize("who", ["facilitator", "focal_a"])
def test_members_cannot_change_participants(client, request, national_assessment, who):
    client.force_login(request.getfixturevalue(who))
    url = f"/assessments/{national_assessment.pk}/participants/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"institutions": []}).status_code == 403
    assert national_assessment.participants.count() == 3


# --- the workflow API ---------------------------------------------------------------------


def api(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_api_refuses_a_move_with_the_guards_reason(coordinator, setup_assessment):
    result = api(coordinator).post(
        f"/api/v1/assessments/{setup_assessment.pk}/transitions/",
        {"to": "data_collection"},
        content_type="application/json",
    )
    assert result.status_code == 409
    assert result.json() == {"detail": "2 indicators have no lead institution: 1.1.1, 1.1.2."}
    setup_assessment.refresh_from_db()
    assert setup_assessment.status == "setup"


def test_api_opens_data_collection_once_the_matrix_is_complete(
    coordinator, setup_assessment, kemnaker
):
    gaps = setup_assessment.framework.indicators.filter(code__in=["1.1.1", "1.1.2"])
    setup_services.matrix_apply(
        assessment=setup_assessment,
        actor=coordinator,
        cells={(i.pk, kemnaker.pk): "lead" for i in gaps},
    )
    result = api(coordinator).post(
        f"/api/v1/assessments/{setup_assessment.pk}/transitions/",
        {"to": "data_collection", "note": "Go"},
        content_type="application/json",
    )
    assert result.status_code == 200
    assert result.json() == {
        "id": setup_assessment.pk,
        "status": "data_collection",
        "status_label": "Data collection",
    }
    assert AssessmentStatusChange.objects.get(assessment=setup_assessment).note == "Go"


def test_api_transition_permissions(
    facilitator, focal_a, provincial_coordinator, coordinator, national_assessment
):
    url = f"/api/v1/assessments/{national_assessment.pk}/transitions/"
    body = {"to": "setup"}
    assert api().post(url, body, content_type="application/json").status_code == 401
    for user, status in ((facilitator, 403), (focal_a, 403), (provincial_coordinator, 404)):
        assert api(user).post(url, body, content_type="application/json").status_code == status
    assert (
        api(coordinator).post(url, {"to": "nowhere"}, content_type="application/json").status_code
        == 400
    )
    refused = api(coordinator).post(url, body, content_type="application/json")
    assert refused.status_code == 409 and "cannot move" in refused.json()["detail"]


def test_api_token_user_moves_the_workflow(setup_assessment, coordinator, kemnaker):
    from ministries.tokens import token_create

    gaps = setup_assessment.framework.indicators.filter(code__in=["1.1.1", "1.1.2"])
    setup_services.matrix_apply(
        assessment=setup_assessment,
        actor=coordinator,
        cells={(i.pk, kemnaker.pk): "lead" for i in gaps},
    )
    _, token = token_create(user=coordinator)
    result = Client().post(
        f"/api/v1/assessments/{setup_assessment.pk}/transitions/",
        {"to": "data_collection"},
        content_type="application/json",
        headers={"Authorization": f"Token {token}"},
    )
    assert result.status_code == 200


def test_administrator_creates_a_provincial_assessment_by_choosing_the_province(
    client, central_java
):
    admin = UserFactory(username="t-admin-2", role="administrator")
    client.force_login(admin)
    framework = FrameworkVersion.objects.get(code="mgi-local-2023")
    result = client.post(NEW, form_data(framework, province=central_java.pk))
    assert result.status_code == 302
    assert Assessment.objects.get(year=2032).province == central_java
    national = client.post(NEW, form_data(framework, year=2033))
    assert national.status_code == 200  # a local framework needs a province
    assert "A national assessment needs a national framework." in national.content.decode()


# --- page guarantees ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/assessments/new/",
        "/assessments/{pk}/",
        "/assessments/{pk}/participants/",
        "/assessments/{pk}/matrix/",
        "/assessments/{pk}/matrix/import/",
    ],
)
def test_setup_pages_have_one_heading_labelled_fields_and_no_inline_code(
    client, coordinator, setup_assessment, path
):
    from tests.test_pages_security_a11y import PageAudit

    client.force_login(coordinator)
    client.cookies["django_language"] = "id"
    response = client.get(path.format(pk=setup_assessment.pk))
    assert response.status_code == 200
    page = PageAudit()
    page.feed(response.content.decode())
    assert page.html_lang == "id" and page.h1 == 1
    unlabelled = [
        f for f in page.fields if f.get("id") not in page.labels and not f.get("aria-label")
    ]
    assert unlabelled == []
    assert page.inline_scripts == 0 and page.inline_styles == 0


def test_coordinator_names_the_facilitators_on_the_participants_page(
    client, coordinator, facilitator, setup_assessment
):
    other = UserFactory(username="t-facilitator-2", role="facilitator")
    client.force_login(coordinator)
    url = f"/assessments/{setup_assessment.pk}/participants/"
    page = client.get(url).content.decode()
    assert "IOM facilitators of this assessment" in page
    assert f'name="facilitators" value="{facilitator.pk}"' in page
    kemlu = Institution.objects.get(acronym="KEMLU")
    response = client.post(url, {"institutions": [kemlu.pk], "facilitators": [facilitator.pk]})
    assert response.status_code == 302
    assert list(setup_assessment.facilitators.all()) == [facilitator]
    assert list(setup_assessment.participants.all()) == [kemlu]
    page = client.get(url).content.decode()
    assert f'value="{facilitator.pk}" id="facilitator-{facilitator.pk}" checked' in page
    assert f'value="{other.pk}" id="facilitator-{other.pk}">' in page
