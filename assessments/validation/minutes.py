"""The minutes of a validation session, as a PDF and as an Excel workbook.

Both are built from one `Minutes` value, in the language asked for (English or Bahasa
Indonesia), whatever the language of the page the user came from. They are small, so
they are made in the request.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from assessments.models import ConsolidatedAnswer, ValidationDecision, ValidationSession
from assessments.validation import selectors
from indicators.bilingual import LANGUAGES, active_language, localized
from indicators.models import Indicator
from indicators.spreadsheets import escape_cell, sheet_title, write_facts, write_header
from reports.pdf import page_counter_content, render_pdf

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class MinutesDecision:
    code: str
    question: str
    decision: str  # the label
    changed: bool
    previous: str
    answer: str
    coverage: str
    reason: str
    decided_by: str


@dataclass
class Minutes:
    language: str
    title: str
    assessment: str
    held_on: datetime.date
    ends_on: datetime.date | None
    dates: str
    format: str
    place: str
    participant_count: int
    institutions: list[tuple[str, str]]
    decisions: list[MinutesDecision]
    indicator_count: int
    notes: str
    recorded_by: str
    generated: str
    changes: list[MinutesDecision] = field(init=False)

    def __post_init__(self) -> None:
        self.changes = [d for d in self.decisions if d.changed]

    @property
    def confirmed(self) -> int:
        return len(self.decisions) - len(self.changes)

    @property
    def undecided(self) -> int:
        return self.indicator_count - len(self.decisions)


def language_of(requested: str | None) -> str:
    """`?lang=en|id`, else the active language (the user's)."""
    if requested and requested in LANGUAGES:
        return requested
    return active_language()


def _person(user: object) -> str:
    if user is None:
        return ""
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or getattr(user, "username", ""))


def session_dates(session: ValidationSession) -> str:
    """The day, or the first and last days, written out in the active language."""
    first = date_format(session.held_on, "j F Y")
    if session.ends_on and session.ends_on != session.held_on:
        return _("%(first)s to %(last)s") % {
            "first": first,
            "last": date_format(session.ends_on, "j F Y"),
        }
    return first


def minutes_content(session: ValidationSession) -> Minutes:
    """What the minutes say, in the active language; four queries."""
    lang = active_language()
    assessment = session.assessment
    answers = {value: str(label) for value, label in ConsolidatedAnswer.Answer.choices}
    coverages = {value: str(label) for value, label in Indicator.Coverage.choices}
    verdicts = {value: str(label) for value, label in ValidationDecision.Decision.choices}
    decisions = [
        MinutesDecision(
            code=d.indicator.code,
            question=localized(d.indicator, "question", lang),
            decision=verdicts.get(d.decision, d.decision),
            changed=d.decision == ValidationDecision.Decision.CHANGED,
            previous=answers.get(d.previous_answer, ""),
            answer=answers.get(d.answer, ""),
            coverage=coverages.get(d.coverage, ""),
            reason=d.reason,
            decided_by=_person(d.decided_by),
        )
        for d in selectors.validation_decisions(session)
    ]
    return Minutes(
        language=lang,
        title=_("Minutes of the validation session"),
        assessment=localized(assessment, "title", lang),
        held_on=session.held_on,
        ends_on=session.ends_on,
        dates=session_dates(session),
        format=str(ValidationSession.Format(session.format).label),
        place=session.place,
        participant_count=session.participant_count,
        institutions=[
            (i.acronym, localized(i, "name", lang))
            for i in session.institutions.order_by("acronym")
        ],
        decisions=decisions,
        indicator_count=assessment.framework.indicators.count(),
        notes=session.notes,
        recorded_by=_person(session.recorded_by),
        generated=date_format(timezone.localtime(), "j F Y H:i"),
    )


def minutes_filename(session: ValidationSession, language: str, extension: str) -> str:
    return (
        f"validation-minutes-{session.assessment.year}-{session.held_on:%Y%m%d}"
        f"-{session.pk}-{language}.{extension}"
    )


# --- PDF ------------------------------------------------------------------------------------


def minutes_pdf(
    session: ValidationSession, language: str, *, pdf_variant: str | None = None
) -> bytes:
    """`pdf_variant`: WeasyPrint's, e.g. PDF/A for the round archive (reports/archive/)."""
    with translation.override(language):
        minutes = minutes_content(session)
        html = render_to_string(
            "reports/pdf/minutes.html",
            {
                "minutes": minutes,
                # The footer is CSS: one translated sentence, its placeholders the counters.
                "page_footer": page_counter_content(_("Page %(page)s of %(pages)s")),
            },
        )
    return render_pdf(html, pdf_variant=pdf_variant)


# --- Excel ----------------------------------------------------------------------------------


def _session_sheet(ws: Worksheet, minutes: Minutes) -> None:
    """The session's facts, one label and value a line, under the title."""
    ws.title = sheet_title(_("Session"))
    facts: list[tuple[str, object]] = [
        (_("Assessment"), minutes.assessment),
        (_("First day"), minutes.held_on),
        (_("Last day"), minutes.ends_on or minutes.held_on),
        (_("Format"), minutes.format),
        (_("Place"), minutes.place),
        (_("Number of participants"), minutes.participant_count),
        (_("Institutions present"), len(minutes.institutions)),
        (_("Indicators confirmed"), minutes.confirmed),
        (_("Answers changed"), len(minutes.changes)),
        (_("Indicators without a decision"), minutes.undecided),
        (_("Notes"), minutes.notes),
        (_("Recorded by"), minutes.recorded_by),
        (_("Generated"), minutes.generated),
    ]
    write_facts(ws, minutes.title, facts)


def _institutions_sheet(ws: Worksheet, minutes: Minutes) -> None:
    write_header(ws, [_("Acronym"), _("Name")], [16, 80])
    for acronym, name in minutes.institutions:
        ws.append([escape_cell(acronym), escape_cell(name)])


def _decisions_sheet(ws: Worksheet, minutes: Minutes) -> None:
    write_header(
        ws,
        [
            _("Indicator"),
            _("Question"),
            _("Decision"),
            _("Answer before"),
            _("New answer"),
            _("New coverage"),
            _("Reason"),
            _("Decided by"),
        ],
        [10, 60, 14, 16, 16, 28, 60, 24],
    )
    for d in minutes.decisions:
        ws.append(
            [
                escape_cell(d.code),
                escape_cell(d.question),
                escape_cell(d.decision),
                escape_cell(d.previous),
                escape_cell(d.answer),
                escape_cell(d.coverage),
                escape_cell(d.reason),
                escape_cell(d.decided_by),
            ]
        )
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def minutes_xlsx(session: ValidationSession, language: str) -> bytes:
    """Three sheets: the session's facts, the institutions present, every decision."""
    with translation.override(language):
        minutes = minutes_content(session)
        wb = Workbook()
        wb.properties.title = minutes.title
        wb.properties.subject = minutes.assessment
        wb.properties.language = language
        wb.properties.creator = _("MGI Portal")
        ws = wb.active
        assert ws is not None
        _session_sheet(ws, minutes)
        _institutions_sheet(wb.create_sheet(sheet_title(_("Institutions"))), minutes)
        _decisions_sheet(wb.create_sheet(sheet_title(_("Decisions"))), minutes)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
