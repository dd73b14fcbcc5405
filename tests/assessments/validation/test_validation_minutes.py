"""The minutes of a validation session: PDF and Excel, in English and Bahasa Indonesia.

The PDF is read back with pypdf and the workbook with openpyxl. Translations of the
portal's own strings are added to the catalogue later, so the tests look up each expected
label through gettext in the language asked for: they hold before and after translation.
What does not depend on the catalogue is asserted directly: the data (institution names in
each language, the changed indicator and its reason), Django's month names, the document's
language.
"""

import io
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.validation import services as validation_services
from indicators.models import Indicator
from reports.pdf import RefusedURL, local_path, page_counter_content, render_pdf

pytestmark = pytest.mark.django_db

REASON = "Law 18/2017 protects all migrant workers."


@pytest.fixture
def decided_session(validation_session, coordinator):
    """The FGD changed 1.3.1 (partial → yes) with a reason and confirmed 1.1.1 and 2.3.2."""
    a = validation_session.assessment

    def decide(code, decision, **extra):
        validation_services.validation_decide(
            session=validation_session,
            indicator=Indicator.objects.get(framework=a.framework, code=code),
            actor=coordinator,
            decision=decision,
            **extra,
        )

    decide("1.3.1", "changed", answer="yes", reason=REASON)
    decide("1.1.1", "confirmed")
    decide("2.3.2", "confirmed")
    return validation_session


def minutes_url(session, fmt, lang=None):
    url = f"/assessments/{session.assessment_id}/validation/{session.pk}/minutes.{fmt}"
    return f"{url}?lang={lang}" if lang else url


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"\s+", " ", text)


def in_language(lang: str, message: str) -> str:
    with translation.override(lang):
        return gettext(message)


def answer_label(lang: str, value: str) -> str:
    with translation.override(lang):
        return str(Indicator.Answer(value).label)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_minutes_pdf_has_the_session_the_institutions_and_the_changed_answer(
    client, coordinator, decided_session, kemnaker, bp2mi, lang
):
    client.force_login(coordinator)
    response = client.get(minutes_url(decided_session, "pdf", lang))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Language"] == lang
    assert f"-{lang}.pdf" in response["Content-Disposition"]
    reader, text = pdf_text(response.content)

    assert reader.trailer["/Root"]["/Lang"] == lang
    title = in_language(lang, "Minutes of the validation session")
    assert reader.metadata.title.startswith(title)
    assert title in text
    # The data: the changed indicator with both answers and its reason, the facts of the
    # session, and the institutions present by their name in the chosen language.
    assert "1.3.1" in text and REASON in text
    assert answer_label(lang, "partial") in text and answer_label(lang, "yes") in text
    assert "Jakarta, Kemlu" in text and "18" in text
    for institution in (kemnaker, bp2mi):
        assert getattr(institution, f"name_{lang}") in text
    # Django's own catalogue names the month in either language.
    assert ("4 March 2031" if lang == "en" else "4 Maret 2031") in text
    # Footer on every page: "Page n of N", one translatable sentence.
    pages = len(reader.pages)
    footer = in_language(lang, "Page %(page)s of %(pages)s") % {"page": pages, "pages": pages}
    assert footer in text
    # Confirmed count (two) and one change, in the summary sentence.
    with translation.override(lang):
        confirmed = translation.ngettext(
            "%(counter)s indicator confirmed.", "%(counter)s indicators confirmed.", 2
        ) % {"counter": 2}
    assert confirmed in text


def test_minutes_pdf_differs_between_languages_where_the_content_does(
    client, coordinator, decided_session, kemnaker
):
    client.force_login(coordinator)
    _, english = pdf_text(client.get(minutes_url(decided_session, "pdf", "en")).content)
    _, indonesian = pdf_text(client.get(minutes_url(decided_session, "pdf", "id")).content)
    assert kemnaker.name_en in english and kemnaker.name_en not in indonesian
    assert kemnaker.name_id in indonesian
    # Portal strings differ only once the catalogue translates them.
    title_en = in_language("en", "Minutes of the validation session")
    title_id = in_language("id", "Minutes of the validation session")
    if title_id != title_en:
        assert title_en not in indonesian


def test_minutes_default_to_the_users_language(client, facilitator, decided_session):
    client.force_login(facilitator)
    client.cookies["django_language"] = "id"
    response = client.get(minutes_url(decided_session, "pdf"))
    assert response["Content-Language"] == "id"
    reader, _ = pdf_text(response.content)
    assert reader.trailer["/Root"]["/Lang"] == "id"
    # An unknown language falls back to the user's, too.
    assert client.get(minutes_url(decided_session, "xlsx", "fr"))["Content-Language"] == "id"


@pytest.mark.parametrize("lang", ["en", "id"])
def test_minutes_workbook_has_a_sheet_per_part(
    client, coordinator, decided_session, kemnaker, bp2mi, lang
):
    client.force_login(coordinator)
    response = client.get(minutes_url(decided_session, "xlsx", lang))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [
        in_language(lang, "Session"),
        in_language(lang, "Institutions"),
        in_language(lang, "Decisions"),
    ]
    assert wb.properties.language == lang

    session, institutions, decisions = (wb[name] for name in wb.sheetnames)
    facts = {row[0]: row[1] for row in session.iter_rows(min_row=3, values_only=True)}
    assert facts[in_language(lang, "Place")] == "Jakarta, Kemlu"
    assert facts[in_language(lang, "Number of participants")] == 18
    assert facts[in_language(lang, "Indicators confirmed")] == 2
    assert facts[in_language(lang, "Answers changed")] == 1
    assert facts[in_language(lang, "Indicators without a decision")] == 95
    assert facts[in_language(lang, "First day")].date().isoformat() == "2031-03-04"

    rows = list(institutions.iter_rows(min_row=2, values_only=True))
    assert rows == [
        ("BP2MI", getattr(bp2mi, f"name_{lang}")),
        ("KEMNAKER", getattr(kemnaker, f"name_{lang}")),
    ]

    by_code = {row[0]: row for row in decisions.iter_rows(min_row=2, values_only=True)}
    assert set(by_code) == {"1.1.1", "1.3.1", "2.3.2"}
    code, question, decision, before, after, coverage, reason, who = by_code["1.3.1"]
    with translation.override(lang):
        changed = gettext("Changed")
    assert (code, decision, before, after, coverage, reason) == (
        "1.3.1",
        changed,
        answer_label(lang, "partial"),
        answer_label(lang, "yes"),
        None,
        REASON,
    )
    a = decided_session.assessment
    indicator = Indicator.objects.get(framework=a.framework, code="1.3.1")
    assert question == getattr(indicator, f"question_{lang}")
    assert who == "t-coordinator"


def test_minutes_workbook_neutralises_formulas(client, coordinator, validation_session):
    a = validation_session.assessment
    validation_services.validation_decide(
        session=validation_session,
        indicator=Indicator.objects.get(framework=a.framework, code="1.3.1"),
        actor=coordinator,
        decision="changed",
        answer="yes",
        reason='=HYPERLINK("http://evil.example","x")',
    )
    client.force_login(coordinator)
    wb = load_workbook(io.BytesIO(client.get(minutes_url(validation_session, "xlsx")).content))
    decisions = wb.worksheets[2]
    reason = decisions.cell(row=2, column=7)
    assert reason.data_type == "s"
    assert reason.value == '\'=HYPERLINK("http://evil.example","x")'


def test_minutes_without_decisions_or_institutions(client, coordinator, validation_assessment):
    import datetime

    session = validation_services.validation_session_save(
        assessment=validation_assessment,
        actor=coordinator,
        held_on=datetime.date(2031, 3, 4),
        ends_on=datetime.date(2031, 3, 5),
        format="online",
        participant_count=4,
    )
    client.force_login(coordinator)
    _, text = pdf_text(client.get(minutes_url(session, "pdf", "en")).content)
    assert "No institution was recorded as present." in text
    assert "4 March 2031 to 5 March 2031" in text
    assert "98 indicators without a decision" in text


def test_minutes_are_for_those_who_see_validation(client, facilitator, focal_a, decided_session):
    client.force_login(facilitator)
    assert client.get(minutes_url(decided_session, "pdf", "en")).status_code == 200
    client.force_login(focal_a)
    assert client.get(minutes_url(decided_session, "pdf", "en")).status_code == 404
    assert client.get(minutes_url(decided_session, "xlsx", "en")).status_code == 404


# --- reports/pdf.py ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/style.css",
        "https://fonts.example/font.woff2",
        "ftp://example.com/a.png",
        "file:///etc/passwd",
        "file:///usr/share/fonts/../../../etc/passwd",
        "file://remote-host/share/a.css",
    ],
)
def test_pdf_fetcher_refuses_anything_but_local_files(url):
    with pytest.raises(RefusedURL):
        local_path(url)


def test_pdf_fetcher_serves_static_files_and_system_fonts(settings):
    from pathlib import Path

    assert local_path("file:///static/favicon.svg").name == "favicon.svg"
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if font.exists():
        assert local_path(font.as_uri()) == font.resolve()


def test_render_pdf_skips_network_resources_and_embeds_dejavu(monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the PDF renderer tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    html = (
        '<html lang="en"><head><title>T</title>'
        '<link rel="stylesheet" href="http://example.com/x.css"></head>'
        '<body><p>Hello Ā</p><img src="https://example.com/logo.png" alt="logo"></body></html>'
    )
    reader = PdfReader(io.BytesIO(render_pdf(html)))
    assert "Hello" in reader.pages[0].extract_text()
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert any("DejaVu" in name for name in fonts)


def test_page_counter_content_keeps_the_sentence_whole():
    assert page_counter_content("Page %(page)s of %(pages)s") == (
        '"Page " counter(page) " of " counter(pages)'
    )
    assert page_counter_content('%(page)s "</style>') == 'counter(page) " \\22 \\3C /style\\3E "'
