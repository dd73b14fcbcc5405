"""The entry page's navigation and progress list rendered in Python (entry_nav_html.py) give
what the templates they replace gave (reference/: the templates as they were), in English
and Indonesian, for the page's real navigation and for values that need escaping or
grouping. Whitespace runs count as one space: where the template had any, so must the
output, since between inline elements it shows.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.http import QueryDict
from django.template import engines
from django.test import override_settings
from django.utils import translation

from assessments.collection.entry_nav import DimensionMark, EntryNav, FilterLink, SubAreaMark
from assessments.collection.entry_nav import entry_nav as build_nav
from assessments.collection.entry_nav_html import nav_html, progress_html
from assessments.collection.entry_rows import EntryIndicator, EntryRow, entry_page
from assessments.collection.selectors import DimensionProgress
from assessments.models import Response
from indicators.models import Dimension

REFERENCE = Path(__file__).with_name("reference")
LANGUAGES = ["en", "id"]


def reference(name: str, **context: object) -> str:
    template = engines["django"].from_string((REFERENCE / name).read_text())
    return template.render(context)


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def assert_same(python: str, template: str) -> None:
    assert squash(python) == squash(template)


@pytest.fixture
def page(national_assessment, kemnaker, focal_a):
    """Kemnaker's answers: 1.3.1 answered, 1.3.2 with nothing to add (dimension 1
    complete), 4.1.2 queried, 4.1.1 blank."""
    mine = national_assessment.responses.filter(institution=kemnaker)
    mine.filter(indicator__code="1.3.1").update(answer="yes", updated_by=focal_a)
    mine.filter(indicator__code="1.3.2").update(nothing_to_add=True)
    mine.filter(indicator__code="4.1.2").update(review_state=Response.ReviewState.QUERIED)
    return entry_page(national_assessment, kemnaker.pk)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "query",
    [
        "",
        "dimension=4",
        "dimension=1",
        "show=unanswered",
        "dimension=4&show=queried",
        "show=changed",
    ],
)
def test_navigation_is_what_the_template_gave(page, focal_a, language, query):
    nav = build_nav(page, QueryDict(query), focal_a.pk)
    with translation.override(language):
        assert_same(nav_html(nav), reference("entry_nav.html", nav=nav))


@pytest.mark.parametrize("language", LANGUAGES)
def test_progress_list_is_what_the_template_gave(page, language):
    with translation.override(language):
        html = progress_html(page.progress)
        assert_same(html, reference("progress_list.html", progress=page.progress))
    assert "1 nothing to add" in squash(progress_html(page.progress))


def hostile_nav(next_unanswered: EntryRow | None) -> EntryNav:
    odd = "<b>\"R&D\"</b> 'x'"
    return EntryNav(
        dimensions=[
            DimensionMark(
                1234,
                odd,
                '?dimension=1234&show=a"b',
                True,
                1000,
                1000,
                [SubAreaMark("1.<1>", odd, "?dimension=1#response-1", 2000, 3000)],
            ),
            DimensionMark(2, "Two", "?dimension=2", False, 0, 1, []),
        ],
        filters=[
            FilterLink("all", odd, 1500, "?a=1&b=<2>", True),  # type: ignore[arg-type]
            FilterLink("x", "X", 0, "?", False),  # type: ignore[arg-type]
        ],
        groups=[],
        dimension=1234,
        show='un"answered',
        all_url="?",
        next_unanswered=next_unanswered,
        next_url="?dimension=1&show=<x>#response-1",
    )


def hostile_row() -> EntryRow:
    indicator = EntryIndicator(
        code='<1.1>&"', question="q", guidance="", allows_not_applicable=False, has_coverage=False
    )
    return EntryRow(
        pk=1,
        indicator=indicator,
        role="lead",
        answer="",
        coverage="",
        justification="",
        state="draft",
        review_state="",
        version=1,
        updated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        updated_by_id=None,
        updated_by_name="",
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("grouping", [False, True])
def test_escaping_and_numbers_are_the_templates(language, grouping):
    progress = [
        DimensionProgress(
            Dimension(number=1234, name_en="<x> & 'y'", name_id='<x> & "i"'),
            assigned=2000,
            answered=1000,
            nothing_to_add=2,
        ),
        DimensionProgress(Dimension(number=2, name_en="Two", name_id="Dua"), assigned=3),
    ]
    with translation.override(language), override_settings(USE_THOUSAND_SEPARATOR=grouping):
        for nav in (hostile_nav(None), hostile_nav(hostile_row())):
            html = nav_html(nav)
            assert_same(html, reference("entry_nav.html", nav=nav))
            assert "<b>" not in html and "<1" not in html
        html = progress_html(progress)
        assert_same(html, reference("progress_list.html", progress=progress))
        assert "<x>" not in html
        if grouping:
            assert "1,234" in html or "1.234" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_latest_submission_and_its_submitter_as_the_template_gave_them(
    client, national_assessment, kemnaker, focal_a, coordinator, language
):
    """The facts' "Submitted … by …" line: the latest submission (the model's order), its
    submitter's name as `person` gave it from the whole user row."""
    from django.conf import settings

    from assessments.models import Submission
    from tests.factories import UserFactory

    colleague = UserFactory(
        username="t-colleague", first_name="Sri <&>", last_name="Dewi", institution=kemnaker
    )
    older = Submission.objects.create(
        assessment=national_assessment,
        institution=kemnaker,
        submitted_by=focal_a,
        response_count=1,
    )
    latest = Submission.objects.create(
        assessment=national_assessment,
        institution=kemnaker,
        submitted_by=colleague,
        response_count=2,
    )
    Submission.objects.filter(pk=older.pk).update(
        submitted_at=latest.submitted_at - datetime.timedelta(days=3)
    )
    client.force_login(focal_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(f"/assessments/{national_assessment.pk}/entry/").content.decode()
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    read_only = client.get(
        f"/assessments/{national_assessment.pk}/institutions/KEMNAKER/"
    ).content.decode()
    latest.refresh_from_db()
    with translation.override(language):
        expected = (
            engines["django"]
            .from_string(
                "{% load i18n people %}{% blocktranslate with when=submission.submitted_at"
                '|date:"j F Y H:i" who=submission.submitted_by|person %}{{ when }} by {{ who }}'
                "{% endblocktranslate %}"
            )
            .render({"submission": latest})
        )
    assert "Sri &lt;&amp;&gt; Dewi" in expected
    assert expected in html and expected in read_only
