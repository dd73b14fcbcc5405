"""The coordinator dashboard: progress by institution and dimension, conflicts, history."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.consolidation import services as consolidation_services
from assessments.dashboard import selectors as dashboard_selectors
from assessments.dashboard.selectors import consolidation_url
from assessments.models import Assessment
from assessments.review import services as review_services
from assessments.setup import services as setup_services
from indicators.models import FrameworkVersion, Indicator
from ministries.models import Institution, Province, User
from tests.conftest import submit_institution
from tests.factories import UserFactory
from tests.test_pages_security_a11y import PageAudit

pytestmark = pytest.mark.django_db


def page(client, assessment) -> str:
    response = client.get(f"/assessments/{assessment.pk}/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def api(client, assessment) -> dict:
    response = client.get(f"/api/v1/assessments/{assessment.pk}/dashboard/")
    assert response.status_code == 200
    return response.json()


def by_acronym(data: dict) -> dict[str, dict]:
    return {row["acronym"]: row for row in data["institutions"]}


def counts(row: dict) -> tuple[int, ...]:
    keys = ("assigned", "answered", "submitted", "accepted", "returned", "overdue")
    return tuple(row[k] for k in keys)


def set_deadline(assessment: Assessment, day: datetime.date) -> None:
    # Test setup: there is no service for moving a deadline yet.
    Assessment.objects.filter(pk=assessment.pk).update(data_collection_deadline=day)
    assessment.refresh_from_db()


# --- the numbers ------------------------------------------------------------------------


def test_progress_by_institution_on_the_cross_check(client, coordinator, cross_check_assessment):
    client.force_login(coordinator)
    rows = by_acronym(api(client, cross_check_assessment))
    assert counts(rows["KEMNAKER"]) == (4, 4, 4, 0, 0, 0)
    assert counts(rows["BP2MI"]) == (3, 3, 3, 0, 0, 0)
    assert counts(rows["KEMLU"]) == (93, 0, 0, 0, 0, 0)


def test_institutions_are_listed_alphabetically_not_by_progress(
    client, coordinator, cross_check_assessment
):
    client.force_login(coordinator)
    data = api(client, cross_check_assessment)
    assert [row["acronym"] for row in data["institutions"]] == ["BP2MI", "KEMLU", "KEMNAKER"]
    html = page(client, cross_check_assessment)
    table = html[html.index('id="institutions-heading"') :]
    assert table.index(">BP2MI<") < table.index(">KEMLU<") < table.index(">KEMNAKER<")


def test_accepted_returned_and_queried_answers_are_counted(
    client, coordinator, facilitator, cross_check_assessment, kemnaker, bp2mi
):
    a = cross_check_assessment
    ours = a.responses.filter(institution=kemnaker).order_by("indicator__order")
    first, second = ours[0], ours[1]
    review_services.response_review(response=first, actor=facilitator, decision="accept")
    review_services.response_review(
        response=second, actor=facilitator, decision="return", comment="Cite the article."
    )
    theirs = a.responses.filter(institution=bp2mi).first()
    review_services.response_review(
        response=theirs, actor=facilitator, decision="query", comment="Which regulation?"
    )
    client.force_login(coordinator)
    rows = by_acronym(api(client, a))
    # The returned answer is no longer submitted; the queried one still is.
    assert counts(rows["KEMNAKER"]) == (4, 4, 3, 1, 1, 0)
    assert counts(rows["BP2MI"]) == (3, 3, 3, 0, 1, 0)


def test_overdue_counts_what_is_not_submitted_once_the_deadline_has_passed(
    client, coordinator, national_assessment, kemnaker, focal_a
):
    submit_institution(national_assessment, kemnaker, focal_a, "yes")
    client.force_login(coordinator)
    today = timezone.localdate()

    set_deadline(national_assessment, today)  # the deadline day itself is not overdue yet
    rows = by_acronym(api(client, national_assessment))
    assert [rows[a]["overdue"] for a in ("BP2MI", "KEMLU", "KEMNAKER")] == [0, 0, 0]

    set_deadline(national_assessment, today - datetime.timedelta(days=1))
    data = api(client, national_assessment)
    rows = by_acronym(data)
    assert data["deadline_passed"] is True
    assert [rows[a]["overdue"] for a in ("BP2MI", "KEMLU", "KEMNAKER")] == [3, 93, 0]
    assert sum(d["overdue"] for d in data["dimensions"]) == 96
    assert "passed" in page(client, national_assessment)


def test_progress_by_dimension_adds_up_to_the_institutions(
    client, coordinator, cross_check_assessment
):
    client.force_login(coordinator)
    data = api(client, cross_check_assessment)
    dimensions = {d["number"]: d for d in data["dimensions"]}
    assert sorted(dimensions) == list(range(1, len(dimensions) + 1))
    for key in ("assigned", "answered", "submitted"):
        assert sum(d[key] for d in data["dimensions"]) == sum(i[key] for i in data["institutions"])
    # Answers in dimension 4: Kemnaker's 4.1.1 and 4.1.2, BP2MI's 4.1.2.
    assert dimensions[4]["answered"] == 3
    framework = cross_check_assessment.framework
    in_four = Indicator.objects.filter(framework=framework, dimension__number=4).count()
    assert dimensions[4]["assigned"] == in_four + 1  # 4.1.2 is assigned twice
    assert dimensions[4]["name"]["en"] and dimensions[4]["name"]["id"]


def test_conflicts_list_indicators_answered_differently_until_consolidated(
    client, coordinator, facilitator, cross_check_assessment
):
    client.force_login(coordinator)
    assert api(client, cross_check_assessment)["conflicts"] == ["1.3.1", "4.1.2"]
    html = page(client, cross_check_assessment)
    assert "On 2 indicators the institutions" in html
    # Grouped by answer, in the order of the answers.
    assert "Yes: KEMNAKER; Partially: BP2MI" in html

    indicator = Indicator.objects.get(framework=cross_check_assessment.framework, code="1.3.1")
    consolidation_services.consolidated_save(
        assessment=cross_check_assessment,
        indicator=indicator,
        actor=facilitator,
        answer="partial",
        sources=list(cross_check_assessment.responses.filter(indicator=indicator)),
    )
    assert api(client, cross_check_assessment)["conflicts"] == ["4.1.2"]


def test_conflicts_link_to_the_consolidation_page_when_it_exists(
    client, coordinator, cross_check_assessment
):
    """The consolidation page is built separately: without it, the code is shown unlinked."""
    client.force_login(coordinator)
    html = page(client, cross_check_assessment)
    url = consolidation_url(cross_check_assessment, "4.1.2")
    if url:
        assert f'href="{url}">4.1.2</a>' in html
    else:
        assert '<span class="code">4.1.2</span>' in html


def test_conflicts_beyond_the_first_are_counted_and_linked_not_listed(
    client, coordinator, cross_check_assessment, monkeypatch
):
    """The page lists the first CONFLICTS_SHOWN conflicts with who answered what, and counts
    the others with a link to the consolidation list (a national round of 38 provinces'
    size has ~100); the API still names every conflict."""
    monkeypatch.setattr(dashboard_selectors, "CONFLICTS_SHOWN", 1)
    client.force_login(coordinator)
    html = page(client, cross_check_assessment)
    assert "On 2 indicators the institutions" in html
    assert "Yes: KEMNAKER; Partially: BP2MI" in html  # 1.3.1, first in framework order
    assert html.count('<span class="conflict-answers">') == 1
    assert f'href="{consolidation_url(cross_check_assessment, "4.1.2")}"' not in html
    assert "1 more indicator in conflict is not listed here." in html
    consolidation_list = reverse("consolidation_list", args=[cross_check_assessment.pk])
    assert f'href="{consolidation_list}?conflicts=1"' in html
    assert api(client, cross_check_assessment)["conflicts"] == ["1.3.1", "4.1.2"]

    monkeypatch.setattr(dashboard_selectors, "CONFLICTS_SHOWN", 2)
    html = page(client, cross_check_assessment)
    assert html.count('<span class="conflict-answers">') == 2
    assert "more indicator" not in html


def test_workflow_history_shows_every_move(client, coordinator, cross_check_assessment):
    client.force_login(coordinator)
    history = api(client, cross_check_assessment)["history"]
    assert [(h["from"], h["to"], h["by"]) for h in history] == [
        ("setup", "data_collection", "t-coordinator"),
        ("data_collection", "cross_check", "t-coordinator"),
    ]
    html = page(client, cross_check_assessment)
    section = html[html.index('id="history-heading"') :]
    assert "Data collection" in section and "Cross-check" in section


# --- the charts -------------------------------------------------------------------------


def test_charts_are_accessible_svg_without_inline_styles(
    client, coordinator, cross_check_assessment
):
    client.force_login(coordinator)
    response = client.get(f"/assessments/{cross_check_assessment.pk}/dashboard/")
    html = response.content.decode()
    svgs = re.findall(r"<svg[^>]*>", html)
    assert len(svgs) == 2
    assert all('role="img"' in svg and "aria-label=" in svg for svg in svgs)
    assert html.count("<title>") >= 2 + 3  # one per chart, one per bar
    # The descriptions now also say what is "nothing to add" and what is blank.
    assert (
        "KEMNAKER: 4 assigned, 4 answered, 0 nothing to add, 0 blank, 4 submitted, 0 accepted"
        in html
    )
    assert (
        "KEMLU: 93 assigned, 0 answered, 0 nothing to add, 93 blank, 0 submitted, 0 accepted"
        in html
    )
    assert "style=" not in html
    audit = PageAudit()
    audit.feed(html)
    assert audit.inline_styles == 0 and audit.inline_scripts == 0 and audit.h1 == 1
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_page_is_translated(client, coordinator, cross_check_assessment):
    coordinator.language = "id"
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)
    client.cookies["django_language"] = "id"
    html = page(client, cross_check_assessment)
    assert '<html lang="id">' in html


# --- who sees it ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "administrator", "facilitator"])
def test_coordinators_administrators_and_facilitators_see_the_dashboard(
    client, who, request, national_assessment
):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/assessments/{national_assessment.pk}/dashboard/").status_code == 200
    api(client, national_assessment)


@pytest.mark.parametrize("who", ["focal_a", "focal_b", "provincial_coordinator"])
def test_focal_points_and_other_provinces_get_404(client, who, request, national_assessment):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/assessments/{national_assessment.pk}/dashboard/").status_code == 404
    assert client.get(f"/api/v1/assessments/{national_assessment.pk}/dashboard/").status_code == 404


def test_a_facilitator_of_another_assessment_gets_404(client, national_assessment):
    stranger = UserFactory(username="t-other-facilitator", role=User.Role.FACILITATOR)
    client.force_login(stranger)
    assert client.get(f"/assessments/{national_assessment.pk}/dashboard/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, national_assessment):
    response = client.get(f"/assessments/{national_assessment.pk}/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/api/v1/assessments/{national_assessment.pk}/dashboard/").status_code == 401


def test_a_provincial_coordinator_sees_only_their_province(
    client, coordinator, provincial_coordinator, central_java
):
    assessment = setup_services.assessment_create(
        actor=provincial_coordinator,
        framework=FrameworkVersion.objects.get(code="mgi-local-2023"),
        province=central_java,
        year=2030,
        title_en="Central Java",
        title_id="Jawa Tengah",
    )
    url = f"/assessments/{assessment.pk}/dashboard/"
    client.force_login(provincial_coordinator)
    assert client.get(url).status_code == 200
    client.force_login(coordinator)  # national coordinators see every assessment
    assert client.get(url).status_code == 200
    other = UserFactory(
        username="t-other-province",
        role=User.Role.PROVINCIAL_COORDINATOR,
        province=Province.objects.exclude(pk=central_java.pk).first(),
    )
    client.force_login(other)
    assert client.get(url).status_code == 404


# --- queries ----------------------------------------------------------------------------


def test_dashboard_query_count_is_constant(
    client, coordinator, national_assessment, kemnaker, bp2mi, focal_a, focal_b
):
    client.force_login(coordinator)
    url = f"/assessments/{national_assessment.pk}/dashboard/"
    api_url = f"/api/v1/assessments/{national_assessment.pk}/dashboard/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    with CaptureQueriesContext(connection) as api_before:
        client.get(api_url)

    # More of everything: answers, submissions, conflicts, institutions and workflow moves.
    submit_institution(national_assessment, kemnaker, focal_a, "yes")
    submit_institution(national_assessment, bp2mi, focal_b, "no")
    extra = Institution.objects.filter(level=Institution.Level.NATIONAL).exclude(
        acronym__in=["KEMNAKER", "BP2MI", "KEMLU"]
    )[:3]
    indicators = list(national_assessment.framework.indicators.order_by("order")[:10])
    setup_services.matrix_apply(
        assessment=national_assessment,
        actor=coordinator,
        cells={(i.pk, inst.pk): "contributor" for i in indicators for inst in extra},
    )
    setup_services.assessment_transition(
        assessment=national_assessment, actor=coordinator, to=Assessment.Status.CROSS_CHECK
    )
    with CaptureQueriesContext(connection) as after:
        html = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as api_after:
        client.get(api_url)
    assert html.count('<g class="chart-row">') > 3
    # Who answered what, in the first conflict shown (its answers read by id).
    first = html.split('class="conflict-answers">', 1)[1].split("</span>", 1)[0]
    assert "KEMNAKER" in first and "BP2MI" in first
    # One more once a conflict is shown: the answers of those shown, read by their ids.
    assert len(after.captured_queries) == len(before.captured_queries) + 1
    assert len(api_after.captured_queries) == len(api_before.captured_queries)
    # session, user, assessment (with framework and province), institutions with their
    # counts, dimensions with their counts, the indicators in conflict, the answers of the
    # first CONFLICTS_SHOWN of them (with institution), workflow history (with who moved it).
    assert len(after.captured_queries) == 8
    # Without a session (token or session auth reads the user), and without the answers in
    # conflict: the API lists the codes only.
    assert len(api_after.captured_queries) == 7


def test_dashboard_selector_runs_in_five_queries(django_assert_num_queries, cross_check_assessment):
    assessment = Assessment.objects.get(pk=cross_check_assessment.pk)
    # institutions with counts, dimensions with counts, indicators in conflict, their
    # answers, history
    with django_assert_num_queries(5):
        dashboard = dashboard_selectors.assessment_dashboard(assessment, today=timezone.localdate())
        groups = [(g.label, g.institutions) for c in dashboard.conflicts for g in c.groups]
        [h.actor.username for h in dashboard.history]
    assert groups[:2] == [("Yes", ["KEMNAKER"]), ("Partially", ["BP2MI"])]
