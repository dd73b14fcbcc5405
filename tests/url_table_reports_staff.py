"""Permission-walk rows for the profiles' staff pages and API (see tests/url_table_assessments.py).

Placeholders name fixtures of tests/conftest.py: {approved_assessment} (approved, no profile
yet), {draft_profile} (version 1, draft) and {profile_render_done} (its English PDF, done).
Coordinators of the scope, the assessment's facilitators and administrators see profiles in
preparation; focal points and the provincial coordinator (a national assessment) get 404.
"""

from .url_table_assessments import LOGIN, statuses

API_ANONYMOUS = 401

READERS = statuses(
    default=200, anonymous=LOGIN, provincial_coordinator=404, focal_a=404, focal_b=404
)
POST_ONLY = statuses(default=405, anonymous=LOGIN)
API_READERS = {**READERS, "anonymous": API_ANONYMOUS}
API_POST_ONLY = statuses(default=405, anonymous=API_ANONYMOUS)  # the method is refused first

P = "/profiles/{draft_profile}"
R = "/profiles/renders/{profile_render_done}"
API_R = "/api/v1/profiles/{profile_render_done}"
# POST-only URLs refuse a GET before looking anything up: their ids need no fixture.
P_POST = "/profiles/1"
API_R_POST = "/api/v1/profiles/1"

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "profile_manage": ("/assessments/{approved_assessment}/profiles/", READERS),
    "profile_create_view": ("/assessments/1/profiles/new/", POST_ONLY),
    "profile_findings": (f"{P}/findings/", READERS),
    "finding_update_view": (f"{P_POST}/findings/1/save/", POST_ONLY),
    "finding_delete_view": (f"{P_POST}/findings/1/delete/", POST_ONLY),
    "finding_confirm_view": (f"{P_POST}/findings/1/confirm/", POST_ONLY),
    "finding_translation_confirm_view": (f"{P_POST}/findings/1/translation/", POST_ONLY),
    "launch_handover_view": ("/assessments/1/profiles/launch/hand-over/", POST_ONLY),
    "launch_take_back_view": ("/assessments/1/profiles/launch/take-back/", POST_ONLY),
    "render_request_view": (f"{P_POST}/render/", POST_ONLY),
    "profile_approve_view": (f"{P_POST}/approve/", POST_ONLY),
    "profile_publish_view": (f"{P_POST}/publish/", POST_ONLY),
    "render_status": (f"{R}/status/", READERS),
    "render_pdf": (f"{R}/pdf", READERS),
    "api-assessment-profiles": ("/api/v1/assessments/{approved_assessment}/profiles/", API_READERS),
    "api-profile-render": (f"{API_R}/", API_READERS),
    "api-profile-pdf": (f"{API_R}/pdf", API_READERS),
    "api-profile-approve": (f"{API_R_POST}/approve/", API_POST_ONLY),
    "api-profile-publish": (f"{API_R_POST}/publish/", API_POST_ONLY),
    "profile_sections": (f"{P}/sections/", READERS),
    "section_update_view": (f"{P_POST}/sections/1/save/", POST_ONLY),
    "figure_create_view": (f"{P_POST}/figures/save/", POST_ONLY),
    "figure_update_view": (f"{P_POST}/figures/1/save/", POST_ONLY),
    "figure_delete_view": (f"{P_POST}/figures/1/delete/", POST_ONLY),
    "figures_upload_view": (f"{P_POST}/figures/upload/", POST_ONLY),
}


# --- the mutating walk (tests/url_walk.py): (url name, method) -> Mutation -----------------

from .url_walk import Mutation  # noqa: E402

# The profiles world of tests/url_walk.py: version 1 in draft, its English PDF queued.
# Coordinators of the scope and administrators manage versions; facilitators may not (403).
MANAGE = {**READERS, "coordinator": 302, "administrator": 302, "facilitator": 403}
# Findings and renders: coordinators, facilitators and administrators.
EDIT = {**READERS, "coordinator": 302, "administrator": 302, "facilitator": 302}
P_DRAFT = "/profiles/{draft_profile}"
NO_HANDOVER = {**READERS, "coordinator": 403, "administrator": 403, "facilitator": 403}
CONFIRMED = {"confirmed": "yes"}
FIGURE = {"label_en": "Migrants", "label_id": "Migran", "value": "2", "source": "BPS", "year": 2023}
NO_FILE = {**READERS, "coordinator": 422, "administrator": 422, "facilitator": 422}
API_RENDER = "/api/v1/profiles/{profile_render}"
# 409: version 1 is not rendered in both languages, so it can be neither approved nor
# published.
API_MANAGE = {**MANAGE, "anonymous": API_ANONYMOUS, "coordinator": 409, "administrator": 409}

MUTATIONS: dict[tuple[str, str], Mutation] = {
    # Refused with a message (302): version 1 is still in preparation.
    ("profile_create_view", "POST"): Mutation(
        "/assessments/{approved_assessment}/profiles/new/", MANAGE
    ),
    ("finding_update_view", "POST"): Mutation(
        f"{P_DRAFT}/findings/{{finding}}/save/",
        EDIT,
        {"text_en": "Migrant workers are protected.", "text_id": "Pekerja migran dilindungi."},
    ),
    ("finding_delete_view", "POST"): Mutation(f"{P_DRAFT}/findings/{{finding}}/delete/", EDIT),
    # Refused with a message (302): the finding is not stale; no language is named.
    ("finding_confirm_view", "POST"): Mutation(f"{P_DRAFT}/findings/{{finding}}/confirm/", EDIT),
    ("finding_translation_confirm_view", "POST"): Mutation(
        f"{P_DRAFT}/findings/{{finding}}/translation/", EDIT
    ),
    # A national round's launch is the national coordinator's: nobody hands it over (403).
    ("launch_handover_view", "POST"): Mutation(
        "/assessments/{approved_assessment}/profiles/launch/hand-over/", NO_HANDOVER, CONFIRMED
    ),
    ("launch_take_back_view", "POST"): Mutation(
        "/assessments/{approved_assessment}/profiles/launch/take-back/", NO_HANDOVER, CONFIRMED
    ),
    ("render_request_view", "POST"): Mutation(f"{P_DRAFT}/render/", EDIT, {"language": "id"}),
    # The confirmed POST (config/confirm.py), refused with a message: not rendered, not approved.
    ("profile_approve_view", "POST"): Mutation(f"{P_DRAFT}/approve/", MANAGE, CONFIRMED),
    ("profile_publish_view", "POST"): Mutation(f"{P_DRAFT}/publish/", MANAGE, CONFIRMED),
    ("api-assessment-profiles", "POST"): Mutation(
        "/api/v1/assessments/{approved_assessment}/profiles/",
        # Queued (202): the Indonesian PDF of the version in preparation.
        {
            **EDIT,
            "anonymous": API_ANONYMOUS,
            "coordinator": 202,
            "administrator": 202,
            "facilitator": 202,
        },
        {"language": "id"},
    ),
    ("api-profile-approve", "POST"): Mutation(f"{API_RENDER}/approve/", API_MANAGE),
    ("api-profile-publish", "POST"): Mutation(f"{API_RENDER}/publish/", API_MANAGE),
    # The publication editor: the same people as the findings.
    ("section_update_view", "POST"): Mutation(
        f"{P_DRAFT}/sections/{{section}}/save/",
        EDIT,
        {"text_en": "Acknowledgements.", "text_id": "Ucapan terima kasih."},
    ),
    ("figure_create_view", "POST"): Mutation(f"{P_DRAFT}/figures/save/", EDIT, FIGURE),
    ("figure_update_view", "POST"): Mutation(f"{P_DRAFT}/figures/{{figure}}/save/", EDIT, FIGURE),
    ("figure_delete_view", "POST"): Mutation(f"{P_DRAFT}/figures/{{figure}}/delete/", EDIT),
    # No file chosen: the editors get the page again with the problem (422).
    ("figures_upload_view", "POST"): Mutation(f"{P_DRAFT}/figures/upload/", NO_FILE),
}
FUNCTION_VIEWS: dict[str, tuple[str, ...]] = {
    "profile_manage": (),
    "profile_create_view": ("POST",),
    "profile_findings": (),
    "finding_update_view": ("POST",),
    "finding_delete_view": ("POST",),
    "finding_confirm_view": ("POST",),
    "finding_translation_confirm_view": ("POST",),
    "launch_handover_view": ("POST",),
    "launch_take_back_view": ("POST",),
    "render_request_view": ("POST",),
    "profile_approve_view": ("POST",),
    "profile_publish_view": ("POST",),
    "render_status": (),
    "render_pdf": (),
    "profile_sections": (),
    "section_update_view": ("POST",),
    "figure_create_view": ("POST",),
    "figure_update_view": ("POST",),
    "figure_delete_view": ("POST",),
    "figures_upload_view": ("POST",),
}
