"""Permission-walk rows for the validation pages, minutes, snapshots and their API.

Placeholders name fixtures of tests/conftest.py: {validation_assessment} (in validation),
{validation_session} (a session of it), {approved_assessment} (approved: snapshot 1).
Coordinators of the scope, the assessment's facilitator and administrators read these
records; focal points and the provincial coordinator do not see them (404).
"""

from .url_table_assessments import LOGIN, statuses

API_ANONYMOUS = 401

V = "/assessments/{validation_assessment}/validation"
S = V + "/{validation_session}"
READERS = statuses(
    default=200, anonymous=LOGIN, provincial_coordinator=404, focal_a=404, focal_b=404
)
POST_ONLY = statuses(default=405, anonymous=LOGIN)
API = "/api/v1/assessments"
API_READERS = {**READERS, "anonymous": API_ANONYMOUS}

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "validation_sessions": (f"{V}/", READERS),
    "validation_session": (f"{S}/", READERS),
    "validation_decide": (f"{S}/decide/", POST_ONLY),
    "validation_confirm_rest": (f"{S}/confirm-rest/", POST_ONLY),
    "validation_minutes_pdf": (f"{S}/minutes.pdf", READERS),
    "validation_minutes_xlsx": (f"{S}/minutes.xlsx?lang=id", READERS),
    "snapshot_list": ("/assessments/{approved_assessment}/snapshots/", READERS),
    "snapshot_detail": ("/assessments/{approved_assessment}/snapshots/1/", READERS),
    "api-validation-sessions": (
        f"{API}/{{validation_assessment}}/validation-sessions/",
        API_READERS,
    ),
    "api-validation-session": (
        f"{API}/{{validation_assessment}}/validation-sessions/{{validation_session}}/",
        API_READERS,
    ),
    "api-validation-decisions": (
        f"{API}/{{validation_assessment}}/validation-sessions/{{validation_session}}/decisions/",
        statuses(default=405, anonymous=API_ANONYMOUS),  # POST only; the method is refused first
    ),
    "api-snapshots": (f"{API}/{{approved_assessment}}/snapshots/", API_READERS),
    "api-snapshot": (f"{API}/{{approved_assessment}}/snapshots/1/", API_READERS),
}
