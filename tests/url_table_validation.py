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


# --- the mutating walk (tests/url_walk.py): (url name, method) -> Mutation -----------------

from .url_walk import Mutation  # noqa: E402

# Coordinators of the scope and administrators record; the facilitator reads without the
# right (403); focal points and the provincial coordinator do not see the records (404).
RECORDERS = {**READERS, "coordinator": 302, "administrator": 302, "facilitator": 403}
API_RECORDERS = {**RECORDERS, "anonymous": API_ANONYMOUS, "coordinator": 201, "administrator": 201}
SESSION = {"held_on": "2031-03-05", "format": "online", "participant_count": 12}
CONFIRMED = {"indicator": "1.3.1", "decision": "confirmed"}

MUTATIONS: dict[tuple[str, str], Mutation] = {
    ("validation_sessions", "POST"): Mutation(f"{V}/", RECORDERS, SESSION),
    ("validation_session", "POST"): Mutation(f"{S}/", RECORDERS, SESSION),
    ("validation_decide", "POST"): Mutation(f"{S}/decide/", RECORDERS, CONFIRMED),
    ("validation_confirm_rest", "POST"): Mutation(f"{S}/confirm-rest/", RECORDERS),
    ("api-validation-sessions", "POST"): Mutation(
        f"{API}/{{validation_assessment}}/validation-sessions/", API_RECORDERS, SESSION
    ),
    ("api-validation-decisions", "POST"): Mutation(
        f"{API}/{{validation_assessment}}/validation-sessions/{{validation_session}}/decisions/",
        API_RECORDERS,
        CONFIRMED,
    ),
}
FUNCTION_VIEWS: dict[str, tuple[str, ...]] = {
    "validation_sessions": ("POST",),  # record a session
    "validation_session": ("POST",),  # change its facts
    "validation_decide": ("POST",),
    "validation_confirm_rest": ("POST",),
    "validation_minutes_pdf": (),
    "validation_minutes_xlsx": (),
    "snapshot_list": (),
    "snapshot_detail": (),
}
