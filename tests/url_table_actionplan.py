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
}
