"""Permission-walk rows for the coordinator dashboard and the account settings page.

The dashboard is for coordinators of the assessment's scope, administrators and the
assessment's facilitators; focal points and the provincial coordinator (on the national
assessment) get 404: for them it does not exist.
"""

from .url_table_assessments import LOGIN, statuses

DASHBOARD_READERS = dict(provincial_coordinator=404, focal_a=404, focal_b=404)

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "assessment_dashboard": (
        "/assessments/{national_assessment}/dashboard/",
        statuses(default=200, anonymous=LOGIN, **DASHBOARD_READERS),
    ),
    "api-assessment-dashboard": (
        "/api/v1/assessments/{national_assessment}/dashboard/",
        statuses(default=200, anonymous=401, **DASHBOARD_READERS),
    ),
    "account_settings": ("/accounts/settings/", statuses(default=200, anonymous=LOGIN)),
}


# --- the mutating walk (tests/url_walk.py): (url name, method) -> Mutation -----------------

from .url_walk import Mutation  # noqa: E402

MUTATIONS: dict[tuple[str, str], Mutation] = {
    ("account_settings", "POST"): Mutation(
        "/accounts/settings/",
        statuses(default=302, anonymous=LOGIN),  # saved, and back to the page
        {"language": "en", "notifications_enabled": "on"},
    ),
}
FUNCTION_VIEWS: dict[str, tuple[str, ...]] = {
    "assessment_dashboard": (),
    "account_settings": ("POST",),
}
