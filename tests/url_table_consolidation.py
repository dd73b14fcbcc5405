"""Permission-walk rows for the consolidation pages and API (see tests/url_table_assessments.py
for helpers). Only facilitators of the assessment and coordinators in scope see them; focal
points get 404 like strangers, since the pages show other institutions' answers."""

from .url_table_assessments import LOGIN, statuses

# Facilitators, the national coordinator and administrators; not the provincial coordinator
# (a national assessment), nor focal points.
READERS = {"provincial_coordinator": 404, "focal_a": 404, "focal_b": 404}

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "consolidation_list": (
        "/assessments/{cross_check_assessment}/indicators/",
        statuses(default=200, anonymous=LOGIN, **READERS),
    ),
    "consolidation_indicator": (
        "/assessments/{cross_check_assessment}/indicators/1.3.1/",
        statuses(default=200, anonymous=LOGIN, **READERS),
    ),
    "consolidation_take_over": (
        "/assessments/{cross_check_assessment}/indicators/1.3.1/take-over/",
        statuses(default=405, anonymous=LOGIN),  # POST only
    ),
    "api-consolidation-list": (
        "/api/v1/assessments/{cross_check_assessment}/indicators/",
        statuses(default=200, anonymous=401, **READERS),
    ),
    "api-consolidation-detail": (
        "/api/v1/assessments/{cross_check_assessment}/indicators/1.3.1/",
        statuses(default=200, anonymous=401, **READERS),
    ),
}
