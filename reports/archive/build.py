"""The round archive's payload, section by section; then the bag and its zip.

Layout of the payload (the bag's `data/` folder):

    index.en.html  index.id.html  index.en.csv  index.id.csv   what is where (index.py)
    assessment/    the assessment, its participants and workflow
    matrix/        the survey matrix
    answers/       every answer with its history and comment thread (JSON), and as tables
    evidence/      the evidence list; files/<institution>/<indicator>/<original name>
    legal-instruments/   the register's entries the evidence cites (when the register exists)
    consolidation/ the consolidated answers
    validation/    the sessions and their decisions; minutes/ (PDF/A and Excel, both languages)
    snapshots/     each validated snapshot (JSON)
    profiles/      v<N>/: each version's PDFs (PDF/A) and data files (CSV, JSON, Excel)

PDFs are rendered again as PDF/A-3b (`ARCHIVE_PDF_VARIANT`) by the same functions that made
the originals, rather than copied: the published files stay as they were; the index gives
each original's SHA-256 beside its PDF/A copy. Evidence files are copied as uploaded (a
ministry's document is kept as it was received, whatever its format).
"""

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bagit
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Evidence, Response
from assessments.validation import minutes

from .. import exports, services
from ..models import Profile, ProfileRender
from ..pdf import ARCHIVE_PDF_VARIANT, render_document
from . import index, records
from .writer import Entry, PayloadWriter, safe_name, zip_bag

# The bagit library reports every file it hashes at INFO; keep its warnings only.
logging.getLogger("bagit").setLevel(logging.WARNING)

LANGUAGES = ("en", "id")
LANGUAGE_NAMES = {"en": _("English"), "id": _("Bahasa Indonesia")}
UNATTACHED = "no-indicator"


def bag_name(assessment: Assessment) -> str:
    place = assessment.province.name_en if assessment.province else "indonesia"
    return safe_name(f"mgi-round-archive-{assessment.year}-r{assessment.round}-{place}").lower()


def _assessment(writer: PayloadWriter, assessment: Assessment) -> None:
    record = records.assessment_record(assessment)
    path = "assessment/assessment.json"
    writer.file(
        path,
        writer.write_json(path, record),
        "assessment",
        _("The assessment: its facts, participating institutions, facilitators and workflow"),
    )
    path = "assessment/workflow.csv"
    rows = [[m["when"], m["from"], m["to"], m["by"], m["note"]] for m in record["workflow"]]
    written = writer.write_csv(path, ["when", "from", "to", "by", "note"], rows)
    writer.file(path, written, "workflow", _("Every move of the workflow: who, when and why"))


def _matrix(writer: PayloadWriter, assessment: Assessment) -> None:
    rows = records.matrix_rows(assessment)
    path = "matrix/survey-matrix.csv"
    header = list(rows[0]) if rows else ["indicator", "institution", "role"]
    written = writer.write_csv(path, header, [list(r.values()) for r in rows])
    writer.file(
        path, written, "matrix", _("The survey matrix: which institution answers which indicator")
    )


def _answers(writer: PayloadWriter, assessment: Assessment) -> None:
    """The answers as JSON (each with its history and thread) and as three tables."""
    rows = records.response_records(assessment)
    path = "answers/responses.json"
    written = writer.write_json(path, rows)
    writer.file(
        path, written, "answers", _("Every answer with its whole history and its comment thread")
    )
    answers = dict(Response.Answer.choices)
    for r in rows:
        writer.add(
            Entry(
                kind="response",
                path=path,
                record=str(r["id"]),
                institution=r["institution"],
                indicator=r["indicator"],
                label=_("Answer of %(institution)s to %(indicator)s: %(answer)s"),
                params={
                    "institution": r["institution"],
                    "indicator": r["indicator"],
                    "answer": answers.get(r["answer"], _("not answered")),
                },
            )
        )
    fields = [*records.RESPONSE_FIELDS, "reviewed_by", "updated_by", "updated_at"]
    table = [
        [
            r["id"],
            r["indicator"],
            r["institution"],
            *[r[f] for f in fields],
            "; ".join(map(str, r["evidence"])),
            len(r["history"]),
            len(r["comments"]),
        ]
        for r in rows
    ]
    path = "answers/responses.csv"
    header = ["id", "indicator", "institution", *fields, "evidence", "history", "comments"]
    writer.file(
        path, writer.write_csv(path, header, table), "answers_table", _("The answers as a table")
    )
    _history_table(writer, rows)


def _history_table(writer: PayloadWriter, rows: list[dict[str, Any]]) -> None:
    history, comments = [], []
    for r in rows:
        for h in r["history"]:
            reason = h["reason"] or {}
            values = h["values"]
            history.append(
                [
                    r["id"],
                    h["history_id"],
                    h["when"],
                    h["who"],
                    h["type"],
                    h["reason_code"],
                    reason.get("en", ""),
                    reason.get("id", ""),
                    "; ".join(h["changed"]),
                    *[values[k] for k in ("answer", "coverage", "justification", "state")],
                    values["review_state"],
                    "; ".join(map(str, h["evidence"])),
                ]
            )
        comments += [
            [r["id"], c["id"], c["when"], c["author"], c["kind"], c["body"]] for c in r["comments"]
        ]
    path = "answers/history.csv"
    header = ["response", "history_id", "when", "who", "type", "reason_code", "reason_en"]
    header += ["reason_id", "changed", "answer", "coverage", "justification", "state"]
    header += ["review_state", "evidence"]
    written = writer.write_csv(path, header, history)
    writer.file(path, written, "history", _("Every change to every answer, oldest first"))
    path = "answers/comments.csv"
    written = writer.write_csv(path, ["response", "id", "when", "author", "kind", "body"], comments)
    writer.file(path, written, "comments", _("The comment threads and review decisions"))


def _evidence_file(writer: PayloadWriter, item: Evidence) -> tuple[str, str]:
    """Copy one evidence file to files/<institution>/<first indicator>/<name>, in chunks;
    (its path in the bag, its SHA-256), or ("", "") when the storage has lost it."""
    codes = item.indicator_codes  # type: ignore[attr-defined]
    folder = f"evidence/files/{item.institution.acronym}/{codes[0] if codes else UNATTACHED}"
    path = writer.unique(folder, item.download_name)
    try:
        handle = item.file.storage.open(item.file.name, "rb")
    except FileNotFoundError:
        return "", ""
    with handle:
        size, sha256 = writer.copy_stream(handle, path)
    writer.file(
        path,
        (size, sha256),
        "evidence_file",
        _("Evidence of %(institution)s: %(title)s (uploaded as %(name)s)"),
        params={
            "institution": item.institution.acronym,
            "title": item.title,
            "name": item.original_name,
        },
        record=str(item.pk),
        institution=item.institution.acronym,
        indicator=", ".join(codes),
    )
    return path, sha256


def _evidence(writer: PayloadWriter, assessment: Assessment) -> None:
    """Every evidence item in one table, with its files copied in and its citations."""
    items = records.evidence_items(assessment)
    cites_register = records.has_instruments()
    rows = []
    for item in items:
        path, sha256 = _evidence_file(writer, item) if item.file else ("", "")
        codes = item.indicator_codes  # type: ignore[attr-defined]
        if not path:
            kind = "evidence_missing" if item.file else f"evidence_{item.kind}"
            writer.add(
                Entry(
                    kind=kind,
                    path="evidence/evidence.csv",
                    record=str(item.pk),
                    institution=item.institution.acronym,
                    indicator=", ".join(codes),
                    label=_("Evidence of %(institution)s: %(label)s"),
                    params={"institution": item.institution.acronym, "label": item.label},
                )
            )
        row = [item.pk, item.institution.acronym, item.kind, item.label, item.instrument_type]
        row += [item.number, item.year, item.title, item.article, item.url, item.original_name]
        row += [item.content_type, item.size, path, sha256, "; ".join(codes)]
        row += [records.person(item.created_by), item.created_at]
        if cites_register:
            cited = records.citations(item)
            row += [getattr(item, "instrument_id", None), cited.get("en"), cited.get("id")]
        rows.append(row)
    header = ["id", "institution", "kind", "label", "instrument_type", "number", "year", "title"]
    header += ["article", "url", "original_name", "content_type", "size", "file", "sha256"]
    header += ["indicators", "created_by", "created_at"]
    if cites_register:
        header += ["instrument", "citation_en", "citation_id"]
    path = "evidence/evidence.csv"
    written = writer.write_csv(path, header, rows)
    writer.file(path, written, "evidence", _("Every piece of evidence: citations, files, links"))
    if cites_register:
        instruments = records.instrument_rows(items)
        path = "legal-instruments/legal-instruments.json"
        written = writer.write_json(path, instruments)
        writer.file(path, written, "instruments", _("The laws and regulations the evidence cites"))


def _consolidation(writer: PayloadWriter, assessment: Assessment) -> None:
    rows = records.consolidated_rows(assessment)
    path = "consolidation/consolidated-answers.json"
    written = writer.write_json(path, rows)
    writer.file(path, written, "consolidated", _("The consolidated answer of each indicator"))


def _validation(writer: PayloadWriter, assessment: Assessment) -> None:
    """The sessions (JSON) and, per session and language, the minutes as PDF/A and Excel."""
    sessions = records.validation_sessions(assessment)
    path = "validation/sessions.json"
    written = writer.write_json(path, [records.session_record(s) for s in sessions])
    writer.file(path, written, "sessions", _("The validation sessions and their decisions"))
    for session in sessions:
        for language in LANGUAGES:
            params = {"date": session.held_on.isoformat(), "language": LANGUAGE_NAMES[language]}
            for extension, make in (
                (
                    "pdf",
                    lambda s, lang: minutes.minutes_pdf(s, lang, pdf_variant=ARCHIVE_PDF_VARIANT),
                ),
                ("xlsx", minutes.minutes_xlsx),
            ):
                name = minutes.minutes_filename(session, language, extension)
                path = writer.unique("validation/minutes", name)
                written = writer.write_bytes(path, make(session, language))
                label = (
                    _("Minutes of the validation session of %(date)s, %(language)s (PDF/A)")
                    if extension == "pdf"
                    else _("Minutes of the validation session of %(date)s, %(language)s (Excel)")
                )
                writer.file(path, written, f"minutes_{extension}", label, params=params)


def _snapshots(writer: PayloadWriter, assessment: Assessment) -> None:
    for snapshot in records.snapshots(assessment):
        path = f"snapshots/snapshot-{snapshot.number}.json"
        payload = {
            "number": snapshot.number,
            "approved_by": records.person(snapshot.approved_by),
            "approved_at": snapshot.created_at,
            "data": snapshot.data,
        }
        writer.file(
            path,
            writer.write_json(path, payload),
            "snapshot",
            _("Validated snapshot no. %(number)s, as frozen at approval"),
            params={"number": snapshot.number},
        )


def profile_pdf(profile: Profile, language: str) -> bytes:
    """A profile version's PDF in `language`, rendered by the profile's own functions as
    PDF/A-3b."""
    document = render_document(services.profile_html(profile, language))
    return bytes(document.write_pdf(pdf_variant=ARCHIVE_PDF_VARIANT))


def _profiles(writer: PayloadWriter, assessment: Assessment) -> None:
    """Each version: its PDFs (PDF/A) where it was rendered, and its data files."""
    for profile in assessment.profiles.select_related("snapshot", "assessment__province").order_by(
        "version"
    ):
        folder = f"profiles/v{profile.version}"
        status = Profile.Status(profile.status).label
        done = {
            r.language: r
            for r in profile.renders.filter(status=ProfileRender.Status.DONE).exclude(file="")
        }
        for language in LANGUAGES:
            if language not in done:
                continue
            path = writer.unique(folder, exports.filename(profile, f"-{language}.pdf"))
            written = writer.write_bytes(path, profile_pdf(profile, language))
            writer.file(
                path,
                written,
                "profile_pdf",
                _(
                    "Profile version %(version)s (%(status)s), %(language)s, PDF/A; the SHA-256 "
                    "of the PDF the portal served: %(original)s"
                ),
                params={
                    "version": profile.version,
                    "status": status,
                    "language": LANGUAGE_NAMES[language],
                    "original": done[language].checksum,
                },
                record=str(profile.pk),
            )
        _profile_data(writer, profile, folder, status)


def _profile_data(writer: PayloadWriter, profile: Profile, folder: str, status: Any) -> None:
    data = exports.profile_data(profile)
    files: list[tuple[str, str, Callable[[exports.ProfileData], bytes]]] = [
        ("csv", "en", exports.to_csv),
        ("json", "en", exports.to_json),
        ("xlsx", "en", exports.to_xlsx),
        ("xlsx", "id", exports.to_xlsx),
    ]
    for fmt, language, write in files:
        suffix = f"-{language}.{fmt}" if fmt == "xlsx" else f".{fmt}"
        path = writer.unique(folder, exports.filename(profile, suffix))
        with translation.override(language):
            body = write(data)
        writer.file(
            path,
            writer.write_bytes(path, body),
            "profile_data",
            _("Data of profile version %(version)s (%(status)s), %(format)s"),
            params={"version": profile.version, "status": status, "format": fmt.upper()},
            record=str(profile.pk),
        )


SECTIONS = (_assessment, _matrix, _answers, _evidence, _consolidation, _validation, _snapshots)


def build_payload(writer: PayloadWriter, assessment: Assessment) -> None:
    for section in SECTIONS:
        section(writer, assessment)
    _profiles(writer, assessment)
    index.write_index(writer, assessment)


def bag_info(assessment: Assessment, archive_id: int, requested_by: Any) -> dict[str, str]:
    return {
        "Source-Organization": "MGI Portal (Migration Governance Indicators, Indonesia)",
        "External-Identifier": f"mgi-assessment-{assessment.pk}-archive-{archive_id}",
        "External-Description": f"{assessment.title_en} / {assessment.title_id}",
        "Internal-Sender-Identifier": str(archive_id),
        "Contact-Name": records.person(requested_by) or "MGI Portal",
        "Bag-Group-Identifier": f"mgi-assessment-{assessment.pk}",
        "Bagging-Date": timezone.localdate().isoformat(),
    }


def build_archive(
    assessment: Assessment, *, work_dir: Path, archive_id: int, requested_by: Any
) -> tuple[Path, int]:
    """Write the payload, make it a bag (SHA-256 manifests) and zip it, all under
    `work_dir`; (the zip's path, the number of payload files)."""
    bag_dir = work_dir / bag_name(assessment)
    bag_dir.mkdir()
    writer = PayloadWriter(bag_dir)
    build_payload(writer, assessment)
    bag = bagit.make_bag(
        str(bag_dir), bag_info(assessment, archive_id, requested_by), checksums=["sha256"]
    )
    target = work_dir / f"{bag_dir.name}.zip"
    zip_bag(bag_dir, target)
    return target, len(bag.payload_entries())
