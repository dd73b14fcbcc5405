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
    "consolidation_take_over_bulk": (
        "/assessments/{cross_check_assessment}/indicators/take-over-all/",
        statuses(default=405, anonymous=LOGIN),  # POST only
    ),
    "api-consolidation-take-over-bulk": (
        "/api/v1/assessments/{cross_check_assessment}/indicators/take-over-all/",
        statuses(default=405, anonymous=401),  # POST only
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


# --- the mutating walk (tests/url_walk.py): (url name, method) -> Mutation -----------------

from .url_walk import Mutation  # noqa: E402

# Only facilitators write consolidated answers; coordinators and administrators read them.
WRITERS = statuses(default=403, anonymous=LOGIN, facilitator=302, **READERS)
C = "/assessments/{cross_check_assessment}/indicators/1.3.1"
CONSOLIDATED = {"answer": "partial", "narrative_en": "Partly.", "narrative_id": "Sebagian."}

MUTATIONS: dict[tuple[str, str], Mutation] = {
    ("consolidation_indicator", "POST"): Mutation(
        f"{C}/", WRITERS, {**CONSOLIDATED, "version": "0", "sources": ["{response_a}"]}
    ),
    ("consolidation_take_over", "POST"): Mutation(f"{C}/take-over/", WRITERS),
    # The first POST is the confirmation page (200); the confirmed one acts (302).
    ("consolidation_take_over_bulk", "POST"): Mutation(
        "/assessments/{cross_check_assessment}/indicators/take-over-all/",
        {**WRITERS, "facilitator": 200},
    ),
    ("api-consolidation-take-over-bulk", "POST"): Mutation(
        "/api/v1/assessments/{cross_check_assessment}/indicators/take-over-all/",
        {**WRITERS, "anonymous": 401, "facilitator": 200},
    ),
    ("api-consolidation-detail", "PUT"): Mutation(
        "/api/v1/assessments/{cross_check_assessment}/indicators/1.3.1/",
        {**WRITERS, "anonymous": 401, "facilitator": 200},
        {**CONSOLIDATED, "sources": ["{response_a}"]},
    ),
}
FUNCTION_VIEWS: dict[str, tuple[str, ...]] = {
    "consolidation_list": (),
    "consolidation_indicator": ("POST",),
    "consolidation_take_over": ("POST",),
    "consolidation_take_over_bulk": ("POST",),
}
