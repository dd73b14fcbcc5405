"""The minutes of a steering committee review, as a PDF (rendered by the worker) and as an
Excel workbook (small: made in the request).

Both are built from one `ReviewMinutes` value, from the review's frozen snapshot (never the
plan as it stands now) and its decisions, in the language asked for (English or Bahasa
Indonesia), whatever the language of the page the user came from.
"""

import datetime
import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from indicators.bilingual import active_language, localized
from indicators.spreadsheets import escape_cell, sheet_title, write_facts, write_header
from ministries.templatetags.people import person
from reports.pdf import page_counter_content, render_pdf

from .models import ActionItem
from .review_models import ReviewDecision, SteeringReview


@dataclass
class ReviewRow:
    """One item of the snapshot with the committee's decision, in the active language."""

    key: int
    title: str
    kind: str
    status: str
    reason: str
    lead: str
    lead_name: str
    target_date: datetime.date | None
    percent: int | None
    gcm: str
    indicators: str
    decision_code: str
    decision: str
    note: str


@dataclass
class ReviewMinutes:
    language: str
    title: str
    assessment: str
    held_on: datetime.date
    date: str
    chair: str
    institutions: list[tuple[str, str]]
    minutes: str
    rows: list[ReviewRow]
    snapshot_taken: str
    recorded_by: str
    generated: str

    def count(self, code: str) -> int:
        return sum(1 for r in self.rows if r.decision_code == code)

    @property
    def on_track(self) -> int:
        return self.count(ReviewDecision.Decision.ON_TRACK)

    @property
    def needs_attention(self) -> int:
        return self.count(ReviewDecision.Decision.NEEDS_ATTENTION)

    @property
    def replanned(self) -> int:
        return self.count(ReviewDecision.Decision.REPLANNED)

    @property
    def undecided(self) -> int:
        return self.count("")


def review_rows(review: SteeringReview, language: str) -> list[ReviewRow]:
    """The snapshot's items in their frozen state with the decisions (one query)."""
    labels = {
        "kind": dict(ActionItem.Kind.choices),
        "status": dict(ActionItem.Status.choices),
        "reason": dict(ActionItem.Reason.choices),
        "decision": dict(ReviewDecision.Decision.choices),
    }
    decisions = {d.item_key: d for d in review.decisions.all()}
    rows = []
    for entry in review.snapshot_items:
        decision = decisions.get(entry["id"])
        code = decision.decision if decision else ""
        title = entry["title_id"] if language == "id" and entry.get("title_id") else ""
        lead_name = entry.get("lead_name_id") if language == "id" else ""
        target = entry.get("target_date")
        rows.append(
            ReviewRow(
                key=entry["id"],
                title=title or entry["title_en"],
                kind=str(labels["kind"].get(entry["kind"], entry["kind"])),
                status=str(labels["status"].get(entry["status"], entry["status"])),
                reason=str(labels["reason"].get(entry.get("status_reason") or "", "")),
                lead=entry.get("lead", ""),
                lead_name=lead_name or entry.get("lead_name_en", ""),
                target_date=datetime.date.fromisoformat(target) if target else None,
                percent=entry.get("percent"),
                gcm=", ".join(str(n) for n in entry.get("gcm") or []),
                indicators=", ".join(entry.get("indicators") or []),
                decision_code=code,
                decision=str(labels["decision"].get(code, "")) if code else "",
                note=decision.note if decision else "",
            )
        )
    return rows


def minutes_content(review: SteeringReview) -> ReviewMinutes:
    """What the minutes say, in the active language."""
    lang = active_language()
    taken = (review.snapshot or {}).get("taken_at")
    taken_at = datetime.datetime.fromisoformat(taken) if taken else review.created_at
    return ReviewMinutes(
        language=lang,
        title=_("Minutes of the steering committee review"),
        assessment=localized(review.plan.assessment, "title", lang),
        held_on=review.held_on,
        date=date_format(review.held_on, "j F Y"),
        chair=review.chair,
        institutions=[
            (i.acronym, localized(i, "name", lang)) for i in review.participants.order_by("acronym")
        ],
        minutes=review.minutes(lang),
        rows=review_rows(review, lang),
        snapshot_taken=date_format(timezone.localtime(taken_at), "j F Y H:i"),
        recorded_by=person(review.created_by),
        generated=date_format(timezone.localtime(), "j F Y H:i"),
    )


def minutes_filename(review: SteeringReview, language: str, extension: str) -> str:
    return (
        f"steering-review-{review.plan.assessment.year}-{review.held_on:%Y%m%d}"
        f"-{review.pk}-{language}.{extension}"
    )


def minutes_pdf(review: SteeringReview, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string(
            "reports/pdf/review_minutes.html",
            {
                "minutes": minutes_content(review),
                "page_footer": page_counter_content(_("Page %(page)s of %(pages)s")),
            },
        )
    return render_pdf(html)


# --- Excel ----------------------------------------------------------------------------------


def _meeting_sheet(ws: Worksheet, minutes: ReviewMinutes) -> None:
    ws.title = sheet_title(_("Meeting"))
    facts: list[tuple[str, object]] = [
        (_("Assessment"), minutes.assessment),
        (_("Date of the meeting"), minutes.held_on),
        (_("Chaired by"), minutes.chair),
        (_("Institutions present"), len(minutes.institutions)),
        (_("On track"), minutes.on_track),
        (_("Needs attention"), minutes.needs_attention),
        (_("Re-planned"), minutes.replanned),
        (_("Actions without a decision"), minutes.undecided),
        (_("Minutes"), minutes.minutes),
        (_("Status of the actions as of"), minutes.snapshot_taken),
        (_("Recorded by"), minutes.recorded_by),
        (_("Generated"), minutes.generated),
    ]
    write_facts(ws, minutes.title, facts)


def _participants_sheet(ws: Worksheet, minutes: ReviewMinutes) -> None:
    write_header(ws, [_("Acronym"), _("Name")], [16, 80])
    for acronym, name in minutes.institutions:
        ws.append([escape_cell(acronym), escape_cell(name)])


def _decisions_sheet(ws: Worksheet, minutes: ReviewMinutes) -> None:
    headers = [
        _("Action"),
        _("Kind"),
        _("Lead institution"),
        _("Target date"),
        _("Status at the review"),
        _("Reason"),
        _("Progress (%)"),
        _("GCM objectives"),
        _("Indicators"),
        _("Decision"),
        _("Note"),
    ]
    write_header(ws, headers, [60, 22, 18, 12, 18, 26, 10, 14, 14, 18, 60])
    for r in minutes.rows:
        values: list[object] = [
            r.title, r.kind, r.lead, r.target_date, r.status, r.reason, r.percent, r.gcm,
            r.indicators, r.decision, r.note,
        ]  # fmt: skip
        ws.append([escape_cell(v) for v in values])
        if r.target_date:
            ws.cell(row=ws.max_row, column=4).number_format = "yyyy-mm-dd"
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def minutes_xlsx(review: SteeringReview, language: str) -> bytes:
    """Three sheets: the meeting, the institutions present, the decision on every action."""
    with translation.override(language):
        minutes = minutes_content(review)
        wb = Workbook()
        wb.properties.title = minutes.title
        wb.properties.subject = minutes.assessment
        wb.properties.language = language
        wb.properties.creator = _("MGI Portal")
        ws = wb.active
        assert ws is not None
        _meeting_sheet(ws, minutes)
        _participants_sheet(wb.create_sheet(sheet_title(_("Participants"))), minutes)
        _decisions_sheet(wb.create_sheet(sheet_title(_("Decisions"))), minutes)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
