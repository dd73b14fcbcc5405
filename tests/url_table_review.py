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
