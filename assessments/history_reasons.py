"""Why a change was made, as the history keeps it: what the system writes is a code, shown in
the reader's language.

History rows (simple_history's `history_change_reason`) used to keep the reason as text in
the language of the person acting, so a facilitator reading in English met "Terkirim" beside
"Submitted". A reason the system writes is now stored as a code with its parameters, and put
into words when it is read, in the reader's active language:

    reason_code(SUBMITTED)                                -> 'submitted'
    reason_code(EXCEL_IMPORT, filename="kemnaker.xlsx")   -> 'excel_import|{"filename":"kemnaker.xlsx"}'
    reason_text('excel_import|{"filename":"kemnaker.xlsx"}')  -> 'Impor Excel (kemnaker.xlsx)'
                                                             (with Bahasa Indonesia active)

Whatever is not a known code (reasons stored before codes, a person's own words such as a
validation reason, which travels as a parameter) is shown as it was written. The migration
assessments/0007_history_reason_codes converted the known texts already stored.
"""

import json
import re
from types import SimpleNamespace
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assessments.models.collection import Evidence, evidence_label

SUBMITTED = "submitted"
RESUBMITTED = "resubmitted"
ACCEPTED = "accepted"
QUERIED = "queried"
RETURNED = "returned"
EVIDENCE_ADDED = "evidence_added"
EXCEL_IMPORT = "excel_import"
API = "api"
MATRIX_ASSIGNED = "matrix_assigned"
VALIDATION = "validation"
TAKEN_OVER = "taken_over"
DEMO = "demo"
DEMO_COLLECTION_OPEN = "demo_collection_open"
CARRIED_FORWARD = "carried_forward"
CONFIRMED = "confirmed"
ACCEPTED_IN_BULK = "accepted_in_bulk"
REMOVED_FROM_MATRIX = "removed_from_matrix"
RESTORED = "restored"
CORRECTION_REOPENED = "correction_reopened"

REASONS: dict[str, Promise] = {
    SUBMITTED: _("Submitted"),
    RESUBMITTED: _("Resubmitted"),
    ACCEPTED: _("Accepted"),
    QUERIED: _("Queried"),
    RETURNED: _("Returned for revision"),
    EVIDENCE_ADDED: _("Evidence added: %(label)s"),
    EXCEL_IMPORT: _("Excel import (%(filename)s)"),
    API: _("Saved through the API"),
    MATRIX_ASSIGNED: _("Assigned in the survey matrix"),
    VALIDATION: _("Validation %(date)s: %(reason)s"),
    TAKEN_OVER: _("Taken over from %(institution)s"),
    DEMO: _("Demonstration data"),
    DEMO_COLLECTION_OPEN: _("Demonstration data: survey matrix complete, data collection open."),
    CARRIED_FORWARD: _("Carried forward from the %(year)s assessment, round %(round)s"),
    CONFIRMED: _("Carried-forward answer confirmed"),
    ACCEPTED_IN_BULK: _("Accepted (with other answers of the review queue)"),
    REMOVED_FROM_MATRIX: _("Removed from the survey matrix: %(reason)s"),
    RESTORED: _("Restored after its removal from the survey matrix"),
    CORRECTION_REOPENED: _("Reopened to correct the published profile: %(reason)s"),
}

# The review decisions of `review.services.response_review`, by ResponseComment.Kind.
REVIEW_DECISIONS = {"accept": ACCEPTED, "query": QUERIED, "return": RETURNED}

STORED_RE = re.compile(r"^(?P<code>[a-z][a-z0-9_]*)(?:\|(?P<params>\{.*\}))?$", re.DOTALL)
EVIDENCE_FIELDS = ("kind", "instrument_type", "number", "year", "title", "article")


def reason_code(code: str, **params: Any) -> str:
    """The stored form of a system reason: the code, and its parameters as JSON if any."""
    if code not in REASONS:
        raise ValueError(f"Unknown history reason code: {code}")
    params = {k: v for k, v in params.items() if v not in (None, "")}
    if not params:
        return code
    encoded = json.dumps(params, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"{code}|{encoded}"


def evidence_added(evidence: Evidence) -> str:
    """The reason of attaching `evidence`: its fields, so that its label (instrument names
    included) is put into words in the reader's language."""
    params = {name: getattr(evidence, name) for name in EVIDENCE_FIELDS}
    return reason_code(EVIDENCE_ADDED, evidence=evidence.pk, **params)


def parse_reason(stored: str | None) -> tuple[str, dict[str, Any]] | None:
    """(code, parameters) of a stored reason, or None for free text."""
    match = STORED_RE.match(stored or "")
    if match is None or match["code"] not in REASONS:
        return None
    params: Any = {}
    if match["params"]:
        try:
            params = json.loads(match["params"])
        except ValueError:
            return None
        if not isinstance(params, dict):
            return None
    return match["code"], params


class _Params(dict[str, Any]):
    """A missing parameter reads as empty rather than failing the page."""

    def __missing__(self, key: str) -> str:
        return ""


def _evidence_label(params: dict[str, Any]) -> str:
    if "label" in params:  # converted from a text stored before codes
        return str(params["label"])
    item = SimpleNamespace(**{name: params.get(name, "") for name in EVIDENCE_FIELDS})
    return evidence_label(item, dict(Evidence.InstrumentType.choices))


def reason_text(stored: str | None) -> str:
    """A stored reason in the active language; free text as it was written."""
    parsed = parse_reason(stored)
    if parsed is None:
        return stored or ""
    code, params = parsed
    if code == EVIDENCE_ADDED:
        params = {**params, "label": _evidence_label(params)}
    text = str(REASONS[code])
    try:
        return text % _Params(params)
    except (TypeError, ValueError):
        return text


def reason_code_of(stored: str | None) -> str | None:
    """The code of a stored reason, or None for free text (the API's `reason_code`)."""
    parsed = parse_reason(stored)
    return parsed[0] if parsed else None


def reason_params_of(stored: str | None) -> dict[str, Any] | None:
    """The parameters of a stored code (the API's `reason_params`), None for free text."""
    parsed = parse_reason(stored)
    return parsed[1] if parsed else None
