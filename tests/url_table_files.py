"""Permission-walk rows for the stored files' downloads (see tests/url_table_assessments.py).

{evidence_file_a} (tests/conftest.py) is a PDF in Kemnaker's evidence library for the
national assessment. Its file goes to Kemnaker's focal point, the assessment's facilitator,
the national coordinator and the administrator; BP2MI's focal point and the provincial
coordinator (of Central Java) do not see it (404). Every persona and the cases the walk has
no persona for (another facilitator, a national coordinator on a provincial assessment)
are in tests/assessments/collection/test_evidence_files.py; the profile PDFs' rows are in
tests/url_table_reports_*.py.
"""

from .url_table_assessments import LOGIN, statuses

API_ANONYMOUS = 401
READERS = statuses(default=200, anonymous=LOGIN, provincial_coordinator=404, focal_b=404)

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "evidence_file": ("/evidence/{evidence_file_a}/file", READERS),
    "api-evidence-file": (
        "/api/v1/evidence/{evidence_file_a}/file/",
        {**READERS, "anonymous": API_ANONYMOUS},
    ),
}


# --- the mutating walk (tests/url_walk.py): downloads only read (require_safe, GET) --------

from .url_walk import Mutation  # noqa: E402

MUTATIONS: dict[tuple[str, str], Mutation] = {}
FUNCTION_VIEWS: dict[str, tuple[str, ...]] = {
    "evidence_file": (),
}
