"""Permission-walk rows for the archive of a round (see tests/url_table_assessments.py).

{approved_assessment} is the approved national test assessment and {round_archive_done} an
archive of it, built (tests/conftest.py). Its coordinators (the national coordinator) and
administrators ask for and download archives; its facilitator sees the assessment's profiles
but not its archives (403); focal points and the provincial coordinator of Central Java do
not see the assessment at all (404).
"""

from .url_table_assessments import LOGIN, statuses

API_ANONYMOUS = 401

ARCHIVERS = statuses(
    default=200,
    anonymous=LOGIN,
    facilitator=403,
    provincial_coordinator=404,
    focal_a=404,
    focal_b=404,
)
API_ARCHIVERS = {**ARCHIVERS, "anonymous": API_ANONYMOUS}
POST_ONLY = statuses(default=405, anonymous=LOGIN)
A = "/archives/{round_archive_done}"

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    # POST only: a GET is refused before anything is looked up.
    "round_archive_request_view": ("/assessments/1/archives/", POST_ONLY),
    "round_archive_status": (f"{A}/status/", ARCHIVERS),
    "round_archive_download": (f"{A}/download/", ARCHIVERS),
    "api-assessment-archives": (
        "/api/v1/assessments/{approved_assessment}/archives/",
        API_ARCHIVERS,
    ),
    "api-archive": (f"/api/v1{A}/", API_ARCHIVERS),
    "api-archive-file": (f"/api/v1{A}/file/", API_ARCHIVERS),
}


# --- the mutating walk (tests/url_walk.py): (url name, method) -> Mutation -----------------

from .url_walk import Mutation  # noqa: E402

MUTATIONS: dict[tuple[str, str], Mutation] = {
    # Queued, then back to the assessment page (302); the build runs once the request
    # commits, which the walk's rolled-back transaction never does.
    ("round_archive_request_view", "POST"): Mutation(
        "/assessments/{approved_assessment}/archives/",
        {**ARCHIVERS, "coordinator": 302, "administrator": 302},
    ),
    ("api-assessment-archives", "POST"): Mutation(
        "/api/v1/assessments/{approved_assessment}/archives/",
        {**API_ARCHIVERS, "coordinator": 202, "administrator": 202},
    ),
}
FUNCTION_VIEWS: dict[str, tuple[str, ...]] = {
    "round_archive_request_view": ("POST",),
    "round_archive_status": (),
    "round_archive_download": (),
}
