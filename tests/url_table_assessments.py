"""Permission-walk rows for the focal points' pages and the assessments API.

Path placeholders name fixtures of tests/conftest.py: {national_assessment}, {response_a},
{response_b}; {kemnaker} and {bp2mi} are acronyms.
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


def statuses(**by_persona: int) -> dict[str, int]:
    default = by_persona.pop("default")
    return {p: by_persona.get(p, default) for p in ALL}


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "assessment_list": ("/assessments/", statuses(default=200, anonymous=LOGIN)),
    "entry": (
        "/assessments/{national_assessment}/entry/",
        # Only focal points have an entry page; the provincial coordinator cannot see the
        # national assessment at all.
        statuses(default=404, anonymous=LOGIN, focal_a=200, focal_b=200),
    ),
    "institution_entry": (
        "/assessments/{national_assessment}/institutions/{kemnaker}/",
        statuses(default=200, anonymous=LOGIN, provincial_coordinator=404, focal_b=404),
    ),
    "evidence_library": (
        "/assessments/{national_assessment}/evidence/",
        statuses(default=404, anonymous=LOGIN, focal_a=200, focal_b=200),
    ),
    "submit": (
        "/assessments/{national_assessment}/submit/",
        statuses(default=405, anonymous=LOGIN),
    ),
    "response_save": ("/responses/{response_a}/save/", statuses(default=405, anonymous=LOGIN)),
    "response_confirm": (
        "/responses/{response_a}/confirm/",
        statuses(default=405, anonymous=LOGIN),
    ),
    "confirm_carried": (
        "/assessments/{national_assessment}/confirm-carried/",
        statuses(default=405, anonymous=LOGIN),
    ),
    "api-response-confirm": (
        "/api/v1/responses/{response_a}/confirm/",
        statuses(default=405, anonymous=401),
    ),
    "response_evidence": (
        "/responses/{response_a}/evidence/",
        # GET gives the forms to the institution's focal points; others who see it may not add.
        statuses(
            default=403, anonymous=LOGIN, focal_a=200, focal_b=404, provincial_coordinator=404
        ),
    ),
    "response_history": (
        "/responses/{response_a}/history/",
        statuses(default=200, anonymous=LOGIN, provincial_coordinator=404, focal_b=404),
    ),
    "api-assessment-list": ("/api/v1/assessments/", statuses(default=200, anonymous=401)),
    "api-assessment-detail": (
        "/api/v1/assessments/{national_assessment}/",
        statuses(default=200, anonymous=401, provincial_coordinator=404),
    ),
    "api-assessment-responses": (
        "/api/v1/assessments/{national_assessment}/responses/",
        statuses(default=200, anonymous=401, provincial_coordinator=404),
    ),
    "api-assessment-submissions": (
        "/api/v1/assessments/{national_assessment}/submissions/",
        statuses(default=405, anonymous=401),  # POST only; the method is refused first
    ),
    "api-response-detail": (
        "/api/v1/responses/{response_a}/",
        statuses(default=200, anonymous=401, provincial_coordinator=404, focal_b=404),
    ),
    "api-response-history": (
        "/api/v1/responses/{response_a}/history/",
        statuses(default=200, anonymous=401, provincial_coordinator=404, focal_b=404),
    ),
    "api-response-evidence": (
        "/api/v1/responses/{response_a}/evidence/",
        statuses(default=200, anonymous=401, provincial_coordinator=404, focal_b=404),
    ),
}


# --- the mutating walk (tests/url_walk.py): (url name, method) -> Mutation -----------------

from .url_walk import Mutation  # noqa: E402

API_ANONYMOUS = 401
A = "/assessments/{national_assessment}"
# Kemnaker's answer: its focal point may change it; BP2MI's focal point and the provincial
# coordinator do not see it (404); the others see it without the right to answer (403).
ANSWER = statuses(
    default=403, anonymous=LOGIN, focal_a=302, focal_b=404, provincial_coordinator=404
)
LINK = {"kind": "link", "url": "https://example.org/uu-18-2017", "title": "Law 18/2017"}

MUTATIONS: dict[tuple[str, str], Mutation] = {
    ("evidence_library", "POST"): Mutation(
        f"{A}/evidence/",
        # Each focal point adds to their own institution's library; for the others the page
        # does not exist, as on GET.
        statuses(default=404, anonymous=LOGIN, focal_a=302, focal_b=302),
        LINK,
    ),
    ("submit", "POST"): Mutation(
        f"{A}/submit/",
        # The confirmed POST: focal points are sent back to their entry page with the
        # reason (answers missing). Without `confirmed` they get the confirmation page.
        statuses(default=404, anonymous=LOGIN, focal_a=302, focal_b=302),
        {"confirmed": "yes"},
    ),
    ("response_confirm", "POST"): Mutation(
        "/responses/{response_a}/confirm/",
        # Kemnaker's own answer is no carried-forward draft: 409 with the block and reason.
        {**ANSWER, "focal_a": 409},
        {"version": "{response_a.version}"},
    ),
    ("confirm_carried", "POST"): Mutation(
        f"{A}/confirm-carried/",
        # Each focal point confirms their own institution's (none here); 404 for the others.
        statuses(default=404, anonymous=LOGIN, focal_a=302, focal_b=302),
    ),
    ("api-response-confirm", "POST"): Mutation(
        "/api/v1/responses/{response_a}/confirm/",
        {**ANSWER, "anonymous": API_ANONYMOUS, "focal_a": 409},
    ),
    ("response_save", "POST"): Mutation(
        "/responses/{response_a}/save/",
        ANSWER,
        {"answer": "yes", "justification": "Law 13/2003.", "version": "{response_a.version}"},
    ),
    ("response_evidence", "POST"): Mutation(
        "/responses/{response_a}/evidence/",
        ANSWER,
        {**LINK, "version": "{response_a.version}"},
    ),
    ("api-assessment-submissions", "POST"): Mutation(
        "/api/v1/assessments/{national_assessment}/submissions/",
        # 409: not every lead indicator is answered yet. Members who are not focal points
        # get 403 here, where the submit page (like the entry page) is 404 for them.
        statuses(
            default=403,
            anonymous=API_ANONYMOUS,
            provincial_coordinator=404,
            focal_a=409,
            focal_b=409,
        ),
    ),
    ("api-response-detail", "PATCH"): Mutation(
        "/api/v1/responses/{response_a}/",
        {**ANSWER, "anonymous": API_ANONYMOUS, "focal_a": 200},
        {"answer": "yes", "justification": "Law 13/2003.", "version": "{response_a.version}"},
    ),
    ("api-response-evidence", "POST"): Mutation(
        "/api/v1/responses/{response_a}/evidence/",
        {**ANSWER, "anonymous": API_ANONYMOUS, "focal_a": 201},
        LINK,
    ),
}
FUNCTION_VIEWS: dict[str, tuple[str, ...]] = {
    "assessment_list": (),
    "entry": (),
    "institution_entry": (),
    "evidence_library": ("POST",),  # GET the library, POST a new item
    "submit": ("POST",),
    "response_save": ("POST",),
    "response_confirm": ("POST",),
    "confirm_carried": ("POST",),
    "response_evidence": ("POST",),
    "response_history": (),
}
