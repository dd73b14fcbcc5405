"""The survey matrix grid: one page, whole-form save, single-cell saves (htmx), gaps."""

import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.collection import services as collection_services
from assessments.models import Assessment, Assignment, Response
from assessments.setup import services as setup_services
from indicators.models import FrameworkVersion, Indicator
from ministries.models import Institution

pytestmark = pytest.mark.django_db

SELECT = re.compile(r'<select id="(c-\d+-\d+)" name="\1" aria-label="([^"]+)"[^>]*>(.*?)</select>')
HTMX = {"HX-Request": "true"}


@pytest.fixture
def setup_assessment(coordinator):
    """A national assessment in setup: KEMLU leads everything but 1.1.1 and 1.1.2."""
    framework = FrameworkVersion.objects.get(code="mgi-national-2023")
    assessment = setup_services.assessment_create(
        actor=coordinator,
        framework=framework,
        year=2031,
        title_en="Setup assessment",
        title_id="Asesmen persiapan",
    )
    inst = {
        i.acronym: i for i in Institution.objects.filter(acronym__in=["KEMLU", "KEMNAKER", "BP2MI"])
    }
    setup_services.assessment_set_participants(
        assessment=assessment, actor=coordinator, institutions=inst.values()
    )
    cells = {
        (i.pk, inst["KEMLU"].pk): "lead"
        for i in framework.indicators.exclude(code__in=["1.1.1", "1.1.2"])
    }
    setup_services.matrix_apply(assessment=assessment, actor=coordinator, cells=cells)
    return assessment


def grid(client: Client, assessment: Assessment) -> tuple[str, dict[str, str], str]:
    """The page with every row editable, its cells {name: selected role} and the hidden
    `was` field."""
    html = client.get(f"/assessments/{assessment.pk}/matrix/?edit=all").content.decode()
    cells = {}
    for name, _label, options in SELECT.findall(html):
        selected = re.search(r'<option value="([^"]*)" selected>', options)
        cells[name] = selected[1] if selected else ""
    was = re.search(r'name="was" value="([^"]*)"', html)
    return html, cells, was[1] if was else ""


def cell(indicator: str, institution: Institution) -> str:
    pk = Indicator.objects.get(framework__code="mgi-national-2023", code=indicator).pk
    return f"c-{pk}-{institution.pk}"


def roles(assessment: Assessment, code: str) -> dict[str, str]:
    return dict(
        Assignment.objects.filter(assessment=assessment, indicator__code=code).values_list(
            "institution__acronym", "role"
        )
    )


def test_grid_shows_indicators_down_institutions_across_with_labelled_selects(
    client, coordinator, setup_assessment
):
    client.force_login(coordinator)
    html, cells, _was = grid(client, setup_assessment)
    assert len(cells) == 98 * 3
    assert 'aria-label="1.1.1 \u2013 KEMNAKER"' in html  # an en dash
    headers = re.findall(r'<th scope="col"><abbr title="[^"]+">([^<]+)</abbr></th>', html)
    assert headers == ["BP2MI", "KEMLU", "KEMNAKER"]
    assert html.count('class="dimension-row"') == 6
    # The two indicators without a lead are marked as gaps, in words and not only colour.
    gap_rows = re.findall(
        r'<tr id="row-\d+" class="gap">\s*<th scope="row"><span class="code">([\d.]+)', html
    )
    assert gap_rows == ["1.1.1", "1.1.2"]
    assert html.count("No lead</span>") == 2
    assert "2 indicators have no lead institution" in html


def test_saving_the_whole_grid_replaces_the_matrix(
    client, coordinator, setup_assessment, kemnaker, bp2mi
):
    client.force_login(coordinator)
    _html, cells, was = grid(client, setup_assessment)
    kemlu = Institution.objects.get(acronym="KEMLU")
    cells[cell("1.1.1", kemnaker)] = "lead"
    cells[cell("1.1.1", bp2mi)] = "contributor"
    cells[cell("1.1.2", bp2mi)] = "lead"
    cells[cell("6.4.1", kemlu)] = ""  # removed: 6.4.1 becomes a gap
    cells[cell("6.4.1", kemnaker)] = "contributor"
    result = client.post(
        f"/assessments/{setup_assessment.pk}/matrix/", {**cells, "was": was}, follow=True
    )
    html = result.content.decode()
    assert "Survey matrix saved: 4 added, 0 changed, 1 removed." in html
    assert roles(setup_assessment, "1.1.1") == {"KEMNAKER": "lead", "BP2MI": "contributor"}
    assert roles(setup_assessment, "6.4.1") == {"KEMNAKER": "contributor"}
    # Assigning created the answers to fill; removing deleted the empty one.
    assert setup_assessment.responses.filter(indicator__code="1.1.1").count() == 2
    assert not setup_assessment.responses.filter(
        indicator__code="6.4.1", institution=kemlu
    ).exists()
    assert "1 indicator has no lead institution" in html


def test_a_save_keeps_cells_someone_else_changed_meanwhile(
    client, coordinator, setup_assessment, kemnaker, bp2mi
):
    client.force_login(coordinator)
    _html, cells, was = grid(client, setup_assessment)
    # Meanwhile another coordinator gives 1.1.2 a lead.
    setup_services.matrix_apply(
        assessment=setup_assessment,
        actor=coordinator,
        cells={(int(cell("1.1.2", bp2mi).split("-")[1]), bp2mi.pk): "lead"},
    )
    cells[cell("1.1.1", kemnaker)] = "lead"
    result = client.post(
        f"/assessments/{setup_assessment.pk}/matrix/", {**cells, "was": was}, follow=True
    )
    assert "Survey matrix saved: 1 added" in result.content.decode()
    assert roles(setup_assessment, "1.1.2") == {"BP2MI": "lead"}
    assert roles(setup_assessment, "1.1.1") == {"KEMNAKER": "lead"}


def test_two_leads_for_one_indicator_are_refused_and_the_choices_kept(
    client, coordinator, setup_assessment, kemnaker
):
    client.force_login(coordinator)
    _html, cells, was = grid(client, setup_assessment)
    cells[cell("2.1.1", kemnaker)] = "lead"  # KEMLU leads it already
    cells[cell("1.1.1", kemnaker)] = "lead"
    result = client.post(f"/assessments/{setup_assessment.pk}/matrix/", {**cells, "was": was})
    html = result.content.decode()
    assert result.status_code == 200
    assert "2.1.1 has more than one lead: KEMLU, KEMNAKER." in html
    assert roles(setup_assessment, "1.1.1") == {}  # nothing written
    # The page shows the user's choices again, so nothing typed is lost.
    refused = dict((name, role) for name, role in grid_cells(html).items())
    assert refused[cell("1.1.1", kemnaker)] == "lead"


def grid_cells(html: str) -> dict[str, str]:
    cells = {}
    for name, _label, options in SELECT.findall(html):
        selected = re.search(r'<option value="([^"]*)" selected>', options)
        cells[name] = selected[1] if selected else ""
    return cells


def test_htmx_cell_save_returns_the_row_with_its_gap_state(
    client, coordinator, setup_assessment, kemnaker
):
    client.force_login(coordinator)
    url = f"/assessments/{setup_assessment.pk}/matrix/cell/"
    name = cell("1.1.1", kemnaker)
    result = client.post(url, {name: "lead"}, headers=HTMX)
    html = result.content.decode()
    assert result.status_code == 200
    assert html.lstrip().startswith('<tr id="row-') and "<html" not in html
    assert 'class="gap"' not in html and "Saved" in html
    assert f'name="{name}"' in html and '<option value="lead" selected>' in html
    assert roles(setup_assessment, "1.1.1") == {"KEMNAKER": "lead"}
    emptied = client.post(url, {name: ""}, headers=HTMX).content.decode()
    assert 'class="gap"' in emptied and "No lead" in emptied
    assert roles(setup_assessment, "1.1.1") == {}


def test_htmx_second_lead_is_refused_in_the_row(client, coordinator, setup_assessment, kemnaker):
    client.force_login(coordinator)
    result = client.post(
        f"/assessments/{setup_assessment.pk}/matrix/cell/",
        {cell("2.1.1", kemnaker): "lead"},
        headers=HTMX,
    )
    assert result.status_code == 409
    html = result.content.decode()
    assert "2.1.1 already has a lead institution, KEMLU. Make it a contributor first." in html
    assert roles(setup_assessment, "2.1.1") == {"KEMLU": "lead"}


def test_cell_endpoint_without_htmx_redirects_to_the_grid(
    client, coordinator, setup_assessment, kemnaker
):
    client.force_login(coordinator)
    result = client.post(
        f"/assessments/{setup_assessment.pk}/matrix/cell/", {cell("1.1.1", kemnaker): "lead"}
    )
    assert result.status_code == 302
    assert result["Location"] == f"/assessments/{setup_assessment.pk}/matrix/"


@pytest.mark.parametrize(
    "data",
    [
        {"c-1-2-3": "lead"},  # a name the grid never renders is ignored: no cell at all
        {"c-999999-1": "lead"},  # an indicator that does not exist
    ],
)
def test_cell_endpoint_refuses_what_the_grid_never_sends(
    client, coordinator, setup_assessment, data
):
    client.force_login(coordinator)
    result = client.post(f"/assessments/{setup_assessment.pk}/matrix/cell/", data, headers=HTMX)
    assert result.status_code == 400


def test_an_unknown_role_is_a_bad_request(client, coordinator, setup_assessment, kemnaker):
    client.force_login(coordinator)
    result = client.post(
        f"/assessments/{setup_assessment.pk}/matrix/cell/",
        {cell("1.1.1", kemnaker): "boss"},
        headers=HTMX,
    )
    assert result.status_code == 400


def test_removing_an_answered_assignment_is_refused(
    client, coordinator, focal_a, national_assessment, response_a, kemnaker
):
    collection_services.response_update(response=response_a, actor=focal_a, version=1, answer="yes")
    client.force_login(coordinator)
    name = cell("1.3.1", kemnaker)
    result = client.post(
        f"/assessments/{national_assessment.pk}/matrix/cell/", {name: ""}, headers=HTMX
    )
    assert result.status_code == 409
    assert "These responses hold content that the change would remove: 1.3.1 (KEMNAKER)." in (
        result.content.decode()
    )
    # The whole grid asks for a reason (the confirmation page), and changes nothing yet.
    _html, cells, was = grid(client, national_assessment)
    cells[name] = ""
    page = client.post(f"/assessments/{national_assessment.pk}/matrix/", {**cells, "was": was})
    text = page.content.decode()
    assert "Remove responses that hold content?" in text
    assert "1.3.1 (KEMNAKER)" in text
    assert 'name="confirm_reason"' in text
    assert roles(national_assessment, "1.3.1") == {"KEMNAKER": "lead", "BP2MI": "contributor"}
    assert Response.objects.get(pk=response_a.pk).answer == "yes"
    # Confirmed without a reason: still refused.
    page = client.post(
        f"/assessments/{national_assessment.pk}/matrix/",
        {**cells, "was": was, "confirmed": "yes", "confirm_reason": " "},
    )
    assert "Give the reason for removing these responses." in page.content.decode()
    assert Response.objects.filter(pk=response_a.pk).exists()
    # Confirmed with a reason: removed, and the history keeps the reason.
    page = client.post(
        f"/assessments/{national_assessment.pk}/matrix/",
        {**cells, "was": was, "confirmed": "yes", "confirm_reason": "Kemnaker is not concerned"},
    )
    assert page.status_code == 302
    assert roles(national_assessment, "1.3.1") == {"BP2MI": "contributor"}
    assert not Response.objects.filter(pk=response_a.pk).exists()
    last = Response.history.filter(id=response_a.pk).order_by("-history_date").first()
    assert last.history_type == "-"
    assert last.answer == "yes"
    assert "Kemnaker is not concerned" in last.history_change_reason


def test_facilitator_reads_the_grid_without_changing_it(
    client, facilitator, national_assessment, kemnaker
):
    client.force_login(facilitator)
    url = f"/assessments/{national_assessment.pk}/matrix/"
    html = client.get(url).content.decode()
    assert '<select id="c-' not in html and 'name="was"' not in html
    assert '<td class="r-lead">Lead</td>' in html
    name = cell("1.3.1", kemnaker)
    assert client.post(url, {name: ""}).status_code == 403
    assert client.post(url.replace("matrix/", "matrix/cell/"), {name: ""}).status_code == 403
    assert roles(national_assessment, "1.3.1")["KEMNAKER"] == "lead"


@pytest.mark.parametrize("who", ["focal_a", "focal_b"])
def test_focal_points_do_not_see_the_grid(client, request, national_assessment, who):
    client.force_login(request.getfixturevalue(who))
    url = f"/assessments/{national_assessment.pk}/matrix/"
    assert client.get(url).status_code == 404
    assert client.post(url.replace("matrix/", "matrix/cell/"), {}).status_code == 404


def test_grid_is_read_only_once_data_collection_is_over(client, coordinator, national_assessment):
    Assessment.objects.filter(pk=national_assessment.pk).update(status="validation")
    client.force_login(coordinator)
    html = client.get(f"/assessments/{national_assessment.pk}/matrix/").content.decode()
    assert '<select id="c-' not in html and '<td class="r-lead">Lead</td>' in html


def test_grid_queries_do_not_grow_with_the_number_of_institutions(
    client, coordinator, setup_assessment
):
    """Queries: session, user, assessment (with framework and province), participants,
    institutions assigned without taking part, assignments, indicators with dimensions."""
    client.force_login(coordinator)
    url = f"/assessments/{setup_assessment.pk}/matrix/?edit=all"
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    national = list(Institution.objects.filter(level="national"))
    setup_services.assessment_set_participants(
        assessment=setup_assessment, actor=coordinator, institutions=national[:20]
    )
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(SELECT.findall(html)) == 98 * 21  # 20 participants and KEMLU, assigned
    assert len(many) == len(few) == 7, [q["sql"] for q in many.captured_queries]


def test_whole_grid_of_every_national_institution_saves_past_the_default_field_limit(
    coordinator, setup_assessment, kemnaker
):
    """No participants chosen: all 38 national institutions, 3,724 cells in one form."""
    setup_assessment.participants.clear()
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    html, cells, was = grid(client, setup_assessment)
    assert len(cells) == 98 * 38
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    cells[cell("1.1.1", kemnaker)] = "lead"
    url = f"/assessments/{setup_assessment.pk}/matrix/"
    body = {**cells, "was": was}
    refused = client.post(url, urlencode(body), content_type="application/x-www-form-urlencoded")
    assert refused.status_code == 403  # the CSRF check still runs
    result = client.post(
        url,
        urlencode({**body, "csrfmiddlewaretoken": token}),
        content_type="application/x-www-form-urlencoded",
    )
    assert result.status_code == 302
    assert roles(setup_assessment, "1.1.1") == {"KEMNAKER": "lead"}


def test_the_demo_size_grid_is_a_light_page_with_an_edit_mode_per_row(
    client, coordinator, setup_assessment, kemnaker
):
    """98 indicators by 23 institutions: the roles as text, one "Edit" per row (issue 10,
    finding 11: a select per cell made the page 1 MB)."""
    national = list(Institution.objects.filter(level="national").order_by("acronym")[:23])
    setup_services.assessment_set_participants(
        assessment=setup_assessment, actor=coordinator, institutions=national
    )
    client.force_login(coordinator)
    url = f"/assessments/{setup_assessment.pk}/matrix/"
    page = client.get(url)
    html = page.content.decode()
    columns = html.count('<th scope="col"><abbr')
    assert columns >= 23 and html.count("<td") == 98 * columns
    assert len(page.content) < 300_000, len(page.content)
    assert not SELECT.findall(html) and html.count('class="matrix-edit"') == 98
    row = Indicator.objects.get(framework__code="mgi-national-2023", code="1.1.1")
    assert f'href="?edit={row.pk}#row-{row.pk}"' in html
    assert '<td class="r-lead">Lead</td>' in html

    # One row to edit, in place (htmx), or the page with that row's selects (no script).
    fragment = client.get(f"{url}?edit={row.pk}", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.strip().startswith(f'<tr id="row-{row.pk}"')
    assert len(SELECT.findall(fragment)) == columns
    plain = client.get(f"{url}?edit={row.pk}").content.decode()
    assert len(SELECT.findall(plain)) == columns and "Save the matrix" in plain
    result = client.post(
        f"{url}?edit={row.pk}",
        {
            cell("1.1.1", kemnaker): "lead",
            "was": re.search(r'name="was" value="([^"]*)"', plain)[1],
        },
    )
    assert result.status_code == 302
    assert roles(setup_assessment, "1.1.1") == {"KEMNAKER": "lead"}
    assert roles(setup_assessment, "2.1.1") == {"KEMLU": "lead"}  # untouched rows stay
