"""Permission-walk rows for the review queue and the answer threads."""

from .url_table_assessments import LOGIN, statuses

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "review_queue": (
        "/review/",
        statuses(default=200, anonymous=LOGIN, focal_a=403, focal_b=403),
    ),
    "response_thread": (
        "/responses/{response_a}/thread/",
        statuses(default=200, anonymous=LOGIN, provincial_coordinator=404, focal_b=404),
    ),
    "response_review": ("/responses/{response_a}/review/", statuses(default=405, anonymous=LOGIN)),
    "review_accept_bulk": ("/review/accept/", statuses(default=405, anonymous=LOGIN)),
    "api-review-accept": ("/api/v1/review/accept/", statuses(default=405, anonymous=401)),
    "response_comment": (
        "/responses/{response_a}/comments/",
        statuses(default=405, anonymous=LOGIN),
    ),
    "response_resubmit": (
        "/responses/{response_a}/resubmit/",
        statuses(default=405, anonymous=LOGIN),
    ),
    "api-response-review": (
        "/api/v1/responses/{response_a}/review/",
        statuses(default=405, anonymous=401),
    ),
    "api-response-resubmit": (
        "/api/v1/responses/{response_a}/resubmit/",
        statuses(default=405, anonymous=401),
    ),
    "api-response-comments": (
        "/api/v1/responses/{response_a}/comments/",
        statuses(default=200, anonymous=401, provincial_coordinator=404, focal_b=404),
    ),
}


# --- the mutating walk (tests/url_walk.py): (url name, method) -> Mutation -----------------

from .url_walk import Mutation  # noqa: E402

API_ANONYMOUS = 401
# Kemnaker's submitted answer in the cross-check (tests/url_walk.py): BP2MI's focal point and
# the provincial coordinator do not see it (404).
STRANGERS = {"focal_b": 404, "provincial_coordinator": 404}
CROSS_CHECK = "cross_check"
COMMENT = {"body": "Please cite the article of the law."}

MUTATIONS: dict[tuple[str, str], Mutation] = {
    # Only facilitators review: the facilitator accepts the submitted answer.
    ("response_review", "POST"): Mutation(
        "/responses/{response_a}/review/",
        statuses(default=403, anonymous=LOGIN, facilitator=302, **STRANGERS),
        {"decision": "accept"},
        world=CROSS_CHECK,
    ),
    # The institution's focal point, facilitators and coordinators write in the thread;
    # administrators read it without the right to write (403).
    ("response_comment", "POST"): Mutation(
        "/responses/{response_a}/comments/",
        statuses(default=302, anonymous=LOGIN, administrator=403, **STRANGERS),
        COMMENT,
        world=CROSS_CHECK,
    ),
    # The institution's focal point resubmits (refused with a message: nothing was returned).
    ("response_resubmit", "POST"): Mutation(
        "/responses/{response_a}/resubmit/",
        statuses(default=403, anonymous=LOGIN, focal_a=302, **STRANGERS),
        world=CROSS_CHECK,
    ),
    # Only facilitators accept in bulk; the first POST is the confirmation page (200).
    ("review_accept_bulk", "POST"): Mutation(
        "/review/accept/",
        statuses(default=403, anonymous=LOGIN, facilitator=200),
        {"assessment": "{cross_check_assessment}"},
        world=CROSS_CHECK,
    ),
    ("api-review-accept", "POST"): Mutation(
        "/api/v1/review/accept/",
        statuses(default=403, anonymous=API_ANONYMOUS, facilitator=200),
        {"responses": [{"id": "{response_a}", "version": "{response_a.version}"}]},
        world=CROSS_CHECK,
    ),
    ("api-response-review", "POST"): Mutation(
        "/api/v1/responses/{response_a}/review/",
        statuses(default=403, anonymous=API_ANONYMOUS, facilitator=200, **STRANGERS),
        {"decision": "accept"},
        world=CROSS_CHECK,
    ),
    ("api-response-comments", "POST"): Mutation(
        "/api/v1/responses/{response_a}/comments/",
        statuses(default=201, anonymous=API_ANONYMOUS, administrator=403, **STRANGERS),
        COMMENT,
        world=CROSS_CHECK,
    ),
    ("api-response-resubmit", "POST"): Mutation(
        "/api/v1/responses/{response_a}/resubmit/",
        # 409: the answer was not returned or queried.
        statuses(default=403, anonymous=API_ANONYMOUS, focal_a=409, **STRANGERS),
        world=CROSS_CHECK,
    ),
}
FUNCTION_VIEWS: dict[str, tuple[str, ...]] = {
    "review_queue": (),
    "response_thread": (),
    "response_review": ("POST",),
    "review_accept_bulk": ("POST",),
    "response_comment": ("POST",),
    "response_resubmit": ("POST",),
}
