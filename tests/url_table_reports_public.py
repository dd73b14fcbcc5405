"""Permission-walk rows for the profiles' public pages (see tests/url_table_assessments.py).

The public side has no login: every persona gets the same answer. {published_profile} is a
published version (200 for all); {draft_profile} is unpublished, so its public URLs are 404
for everyone, staff included (staff read drafts on their own pages). Each side has both
cases: the data rows ask for a draft's files, the others for the published version. Both
cases of every URL are tested in tests/reports/test_public_*.py.
"""

from .url_table_assessments import statuses

EVERYONE_200 = statuses(default=200)
EVERYONE_404 = statuses(default=404)

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "public_profiles": ("/profiles/", EVERYONE_200),
    "public_profile": ("/profiles/{published_profile}/", EVERYONE_200),
    "public_profile_pdf": ("/profiles/{published_profile}/en.pdf", EVERYONE_200),
    "public_profile_data": ("/profiles/{draft_profile}/data.csv", EVERYONE_404),
    "public-profile-list": ("/api/v1/public/profiles/", EVERYONE_200),
    "public-profile-detail": ("/api/v1/public/profiles/{published_profile}/", EVERYONE_200),
    "public-profile-data": ("/api/v1/public/profiles/{draft_profile}/data.json", EVERYONE_404),
}


# --- the mutating walk (tests/url_walk.py): the public side only reads (require_safe) ------

from .url_walk import Mutation  # noqa: E402

MUTATIONS: dict[tuple[str, str], Mutation] = {}
FUNCTION_VIEWS: dict[str, tuple[str, ...]] = {
    "public_profiles": (),
    "public_profile": (),
    "public_profile_pdf": (),
    "public_profile_data": (),
}
