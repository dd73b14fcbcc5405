"""Permission-walk rows for the action plan (see tests/url_table_assessments.py).

GET rows: {action_plan_assessment} is the published national test assessment whose plan
holds {action_item}, led by Kemnaker (focal_a); BP2MI (focal_b) is a participant with no
item, so it sees the plan's pages empty and every item 404. The facilitator facilitates the
assessment: reads and comments, never edits (403). The provincial coordinator of Central
Java does not see the national assessment (404). {published_action_plan} is the public
profile once the plan is published.

Mutating rows run in the `action_plan` world (tests/url_walk.py): the same, built once.
"""

from .url_table_assessments import LOGIN, statuses
from .url_walk import Mutation

API_ANONYMOUS = 401

READERS = statuses(default=200, anonymous=LOGIN, provincial_coordinator=404)
MANAGERS = statuses(
    default=403, anonymous=LOGIN, coordinator=200, administrator=200, provincial_coordinator=404
)
ITEM_READERS = {**READERS, "focal_b": 404}
ITEM_MANAGERS = {**MANAGERS, "focal_b": 404}
POST_ONLY = statuses(default=405, anonymous=LOGIN)
PUBLIC = statuses(default=200)
A = "/assessments/{action_plan_assessment}/action-plan"
ITEM = "/action-plan/items/{action_item}"
REVIEW = "/action-plan/reviews/{steering_review}"
REVIEW_READERS = {**READERS, "focal_a": 404, "focal_b": 404}
REVIEW_MANAGERS = {**MANAGERS, "focal_a": 404, "focal_b": 404}

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "action_plan": (f"{A}/", READERS),
    "action_roadmap": (f"{A}/roadmap/", READERS),
    "action_summary": (f"{A}/summary/", READERS),
    "action_timeline": (f"{A}/timeline/", READERS),
    "action_new": (f"{A}/new/", MANAGERS),
    "action_from_finding": (f"{A}/from-finding/{{further_finding}}/", POST_ONLY),
    "action_plan_publish": (f"{A}/publish/", POST_ONLY),
    "action_item": (f"{ITEM}/", ITEM_READERS),
    "action_item_edit": (f"{ITEM}/edit/", ITEM_MANAGERS),
    "action_item_update": (f"{ITEM}/updates/", POST_ONLY),
    "public_action_plan_data": ("/profiles/{published_action_plan}/action-plan.csv", PUBLIC),
    "api-action-plan-items": (
        f"/api/v1{A}/items/",
        {**READERS, "anonymous": API_ANONYMOUS},
    ),
    "api-action-item": (f"/api/v1{ITEM}/", {**ITEM_READERS, "anonymous": API_ANONYMOUS}),
    "api-action-item-updates": (
        f"/api/v1{ITEM}/updates/",
        {**ITEM_READERS, "anonymous": API_ANONYMOUS},
    ),
    "public-profile-action-plan": (
        "/api/v1/public/profiles/{published_action_plan}/action-plan/",
        PUBLIC,
    ),
    # Steering committee reviews: the staff who read the plan's profiles; never focal points.
    "action_reviews": (f"{A}/reviews/", REVIEW_READERS),
    "action_review_new": (f"{A}/reviews/new/", REVIEW_MANAGERS),
    "action_review": (f"{REVIEW}/", REVIEW_READERS),
    "action_review_minutes_request": (f"{REVIEW}/minutes/en/render/", POST_ONLY),
    "action_review_minutes_status": (f"{REVIEW}/minutes/en/status/", REVIEW_READERS),
    # Not rendered yet: 404 for its readers too (tests/reports/actionplan/test_reviews*.py).
    "action_review_minutes_pdf": (
        f"{REVIEW}/minutes/en/pdf/",
        {**REVIEW_READERS, "coordinator": 404, "administrator": 404, "facilitator": 404},
    ),
    "action_review_minutes_xlsx": (f"{REVIEW}/minutes/id/xlsx/", REVIEW_READERS),
    "api-action-plan-reviews": (f"/api/v1{A}/reviews/", {**REVIEW_READERS, "anonymous": 401}),
    "api-action-review": (f"/api/v1{REVIEW}/", {**REVIEW_READERS, "anonymous": 401}),
    "api-action-review-minutes": (
        f"/api/v1{REVIEW}/minutes/",
        statuses(default=405, anonymous=API_ANONYMOUS),
    ),
}

# --- the mutating walk: the `action_plan` world ----------------------------------------------

WA = "/assessments/{plan_assessment}/action-plan"
WI = "/action-plan/items/{action_item}"
ITEM_FORM = {
    "title_en": "Train labour attachés",
    "title_id": "Melatih atase ketenagakerjaan",
    "kind": "programme",
    "lead": "{inst[KEMNAKER]}",
    "status": "planned",
    "public": "on",
}
MANAGE_WRITE = statuses(
    default=403, anonymous=LOGIN, coordinator=302, administrator=302, provincial_coordinator=404
)
API_MANAGE = {
    **statuses(
        default=403,
        anonymous=API_ANONYMOUS,
        coordinator=201,
        administrator=201,
        provincial_coordinator=404,
    )
}
WR = "/action-plan/reviews/{steering_review}"
REVIEW_FORM = {
    "held_on": "2025-03-10",
    "chair": "MOFA and UN Resident Coordinator",
    "participants": "{inst[KEMNAKER]}",
}
REVIEW_WRITE = {**MANAGE_WRITE, "focal_a": 404, "focal_b": 404}
REVIEW_API_WRITE = {**API_MANAGE, "focal_a": 404, "focal_b": 404}
# Progress from Kemnaker's focal point; comments from coordinators and the facilitator.
POSTERS = statuses(default=302, provincial_coordinator=404, focal_b=404)

MUTATIONS: dict[tuple[str, str], Mutation] = {
    ("action_new", "POST"): Mutation(f"{WA}/new/", MANAGE_WRITE, data=ITEM_FORM),
    ("action_from_finding", "POST"): Mutation(f"{WA}/from-finding/{{plan_finding}}/", MANAGE_WRITE),
    # Without `confirmed=yes`: the confirmation page, nothing published.
    ("action_plan_publish", "POST"): Mutation(
        f"{WA}/publish/", {**MANAGE_WRITE, "coordinator": 200, "administrator": 200}
    ),
    ("action_item_edit", "POST"): Mutation(
        f"{WI}/edit/",
        {**MANAGE_WRITE, "focal_b": 404},
        data={**ITEM_FORM, "version": "{action_item.version}"},
    ),
    ("action_item_update", "POST"): Mutation(
        f"{WI}/updates/", POSTERS, data={"text": "Draft regulation sent", "language": "en"}
    ),
    ("api-action-plan-items", "POST"): Mutation(
        f"/api/v1{WA}/items/",
        API_MANAGE,
        data={
            "title": {"en": "Train labour attachés", "id": "Melatih atase ketenagakerjaan"},
            "kind": "programme",
            "lead": "KEMNAKER",
        },
    ),
    ("api-action-item", "PATCH"): Mutation(
        f"/api/v1{WI}/",
        {**API_MANAGE, "coordinator": 200, "administrator": 200, "focal_b": 404},
        data={"version": "{action_item.version}", "status": "in_progress"},
    ),
    ("api-action-item-updates", "POST"): Mutation(
        f"/api/v1{WI}/updates/",
        statuses(default=201, anonymous=API_ANONYMOUS, provincial_coordinator=404, focal_b=404),
        data={"text": "Draft regulation sent", "language": "en"},
    ),
    # Steering committee reviews: coordinators of the scope record and decide; never focal
    # points (404); the facilitator reads only (403).
    ("action_review_new", "POST"): Mutation(
        f"{WA}/reviews/new/", REVIEW_WRITE, data=REVIEW_FORM, world="action_plan"
    ),
    ("action_review", "POST"): Mutation(
        f"{WR}/",
        REVIEW_WRITE,
        data={
            "version": "{steering_review.version}",
            "decision-{action_item}": "on_track",
            "note-{action_item}": "As planned",
        },
    ),
    ("action_review_minutes_request", "POST"): Mutation(f"{WR}/minutes/en/render/", REVIEW_WRITE),
    ("api-action-plan-reviews", "POST"): Mutation(
        f"/api/v1{WA}/reviews/",
        REVIEW_API_WRITE,
        data={
            "held_on": "2025-03-10",
            "chair": "MOFA and UN Resident Coordinator",
            "participants": ["KEMNAKER"],
        },
        world="action_plan",
    ),
    ("api-action-review", "PATCH"): Mutation(
        f"/api/v1{WR}/",
        {**REVIEW_API_WRITE, "coordinator": 200, "administrator": 200},
        data={
            "version": "{steering_review.version}",
            "decisions": [{"item": "{action_item}", "decision": "needs_attention"}],
        },
    ),
    ("api-action-review-minutes", "POST"): Mutation(
        f"/api/v1{WR}/minutes/",
        {**REVIEW_API_WRITE, "coordinator": 202, "administrator": 202},
        data={"language": "id"},
    ),
}
FUNCTION_VIEWS: dict[str, tuple[str, ...]] = {
    "action_plan": (),
    "action_roadmap": (),
    "action_summary": (),
    "action_timeline": (),
    "action_new": ("POST",),
    "action_from_finding": ("POST",),
    "action_plan_publish": ("POST",),
    "action_item": (),
    "action_item_edit": ("POST",),
    "action_item_update": ("POST",),
    "public_action_plan_data": (),
    "action_reviews": (),
    "action_review_new": ("POST",),
    "action_review": ("POST",),
    "action_review_minutes_request": ("POST",),
    "action_review_minutes_status": (),
    "action_review_minutes_pdf": (),
    "action_review_minutes_xlsx": (),
}
