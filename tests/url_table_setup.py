"""Permission-walk rows for the setup pages: url name -> (path template, status per persona).

Path placeholders name fixtures of tests/conftest.py: {national_assessment}, {response_a},
{response_b}; {kemnaker} and {bp2mi} are acronyms. The national assessment is visible to the
national coordinator, the administrator, its facilitator and the focal points of its
participating institutions; the provincial coordinator does not see it (404).
"""

ALL = [
    "anonymous",
    "coordinator",
    "provincial_coordinator",
    "facilitator",
    "focal_a",
    "focal_b",
    "administrator",
]
LOGIN = 302  # anonymous visitors are sent to the login page
API_ANONYMOUS = 401


def statuses(**by_persona: int) -> dict[str, int]:
    default = by_persona.pop("default")
    return {p: by_persona.get(p, default) for p in ALL}


A = "/assessments/{national_assessment}"
MANAGERS_ONLY = statuses(
    default=200,
    anonymous=LOGIN,
    provincial_coordinator=404,
    facilitator=403,
    focal_a=403,
    focal_b=403,
)
# The survey matrix: coordinators and facilitators; focal points do not see it (404).
MATRIX_READERS = statuses(
    default=200, anonymous=LOGIN, provincial_coordinator=404, focal_a=404, focal_b=404
)

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "assessment_create": (
        "/assessments/new/",
        statuses(
            default=403,
            anonymous=LOGIN,
            coordinator=200,
            provincial_coordinator=200,
            administrator=200,
        ),
    ),
    "assessment_detail": (
        f"{A}/",
        statuses(default=200, anonymous=LOGIN, provincial_coordinator=404),
    ),
    "assessment_transition": (f"{A}/transition/", statuses(default=405, anonymous=LOGIN)),
    "assessment_participants": (f"{A}/participants/", MANAGERS_ONLY),
    "matrix_grid": (f"{A}/matrix/", MATRIX_READERS),
    "matrix_cell": (f"{A}/matrix/cell/", statuses(default=405, anonymous=LOGIN)),
    "matrix_export": (f"{A}/matrix/export.xlsx", MATRIX_READERS),
    "matrix_import": (
        f"{A}/matrix/import/",
        statuses(
            default=200,
            anonymous=LOGIN,
            provincial_coordinator=404,
            facilitator=403,
            focal_a=404,
            focal_b=404,
        ),
    ),
    "assessment-survey-matrix-export": (
        "/api/v1/assessments/{national_assessment}/survey-matrix.xlsx",
        {**MATRIX_READERS, "anonymous": API_ANONYMOUS},
    ),
    "assessment-survey-matrix-import": (
        "/api/v1/assessments/{national_assessment}/survey-matrix/import/",
        statuses(default=405, anonymous=API_ANONYMOUS),  # POST only
    ),
    "assessment-transitions": (
        "/api/v1/assessments/{national_assessment}/transitions/",
        statuses(default=405, anonymous=API_ANONYMOUS),  # POST only
    ),
}
