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
