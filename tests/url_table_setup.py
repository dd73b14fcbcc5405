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
    "assessment_carry_forward": (
        f"{A}/carry-forward/",
        statuses(default=405, anonymous=LOGIN),
    ),
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


# --- the mutating walk (tests/url_walk.py): (url name, method) -> Mutation -----------------

from .url_walk import Mutation, Upload  # noqa: E402

# Coordinators of the scope and administrators manage; facilitators and focal points are
# members without the right (403); the provincial coordinator does not see it (404).
MANAGE = {**MANAGERS_ONLY, "coordinator": 302, "administrator": 302}
# The survey matrix: focal points do not see it at all (404), facilitators may not change it.
MATRIX = statuses(default=404, anonymous=LOGIN, coordinator=302, administrator=302, facilitator=403)
API = "/api/v1/assessments/{national_assessment}"

MUTATIONS: dict[tuple[str, str], Mutation] = {
    ("assessment_create", "POST"): Mutation(
        "/assessments/new/",
        # A national assessment: the provincial coordinator's form offers only local
        # frameworks, so theirs is refused with the form's message (200).
        statuses(
            default=403,
            anonymous=LOGIN,
            coordinator=302,
            provincial_coordinator=200,
            administrator=302,
        ),
        {
            "framework": "{framework}",
            "year": 2031,
            "round": 1,
            "title_en": "Walk assessment",
            "title_id": "Asesmen jalan",
        },
    ),
    # Confirmed: closing data collection first answers its confirmation page (200).
    ("assessment_transition", "POST"): Mutation(
        f"{A}/transition/",
        MANAGE,
        {"to": "cross_check", "note": "Collection closed.", "confirmed": "yes"},
    ),
    # No earlier round exists: managers are sent back with the reason.
    ("assessment_carry_forward", "POST"): Mutation(
        f"{A}/carry-forward/", MANAGE, {"source": "1", "confirmed": "yes"}
    ),
    ("assessment_participants", "POST"): Mutation(
        f"{A}/participants/",
        MANAGE,
        {"institutions": ["{inst[KEMNAKER]}", "{inst[BP2MI]}", "{inst[KEMLU]}"]},
    ),
    ("matrix_grid", "POST"): Mutation(f"{A}/matrix/", MATRIX, {"was": ""}),
    ("matrix_cell", "POST"): Mutation(
        f"{A}/matrix/cell/", MATRIX, {"c-{ind[1.3.2]}-{inst[BP2MI]}": "contributor"}
    ),
    ("matrix_import", "POST"): Mutation(
        f"{A}/matrix/import/",
        {**MATRIX, "coordinator": 200, "administrator": 200},  # the preview
        {"file": Upload("survey_matrix", "survey-matrix.xlsx")},
    ),
    ("assessment-survey-matrix-import", "POST"): Mutation(
        f"{API}/survey-matrix/import/",
        {**MATRIX, "anonymous": API_ANONYMOUS, "coordinator": 200, "administrator": 200},
        {"file": Upload("survey_matrix", "survey-matrix.xlsx"), "dry_run": "true"},
        json=False,
    ),
    ("assessment-transitions", "POST"): Mutation(
        f"{API}/transitions/",
        {**MANAGE, "anonymous": API_ANONYMOUS, "coordinator": 200, "administrator": 200},
        {"to": "cross_check", "note": "Collection closed."},
    ),
}
FUNCTION_VIEWS: dict[str, tuple[str, ...]] = {
    "assessment_create": ("POST",),
    "assessment_detail": (),
    "assessment_transition": ("POST",),
    "assessment_carry_forward": ("POST",),
    "assessment_participants": ("POST",),
    "matrix_grid": ("POST",),  # saving the whole grid
    "matrix_cell": ("POST",),
    "matrix_export": (),
    "matrix_import": ("POST",),  # upload, then apply
}
