"""Permission-walk rows for the register of legal instruments and the citations to resolve
(see tests/url_table_assessments.py).

Every signed-in person reads the register (focal points cite from it); administrators and
coordinators (national and provincial) add and correct instruments and link typed
citations; the others get 403. The API's register is public reference data. Each role's
case with real objects, and the provincial coordinator not seeing the national citations,
are in tests/assessments/register/test_register_pages.py; the mutating rows name objects no
walked world holds (999999), so editors get 404 and the others 403 before any lookup.
"""

from .url_table_assessments import LOGIN, statuses
from .url_walk import Mutation

EDITORS = statuses(
    default=403, anonymous=LOGIN, coordinator=200, provincial_coordinator=200, administrator=200
)

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "register_list": ("/instruments/", statuses(default=200, anonymous=LOGIN)),
    "register_add": ("/instruments/new/", EDITORS),
    "register_edit": ("/instruments/{legal_instrument}/edit/", EDITORS),
    "citations_resolve": ("/instruments/citations/", EDITORS),
    "citation_link": ("/instruments/citations/{typed_citation}/link/", statuses(default=405)),
    "legal-instrument-list": ("/api/v1/legal-instruments/", statuses(default=200)),
    "legal-instrument-detail": (
        "/api/v1/legal-instruments/{legal_instrument}/",
        statuses(default=200),
    ),
}

MUTATIONS: dict[tuple[str, str], Mutation] = {
    # An empty form: its errors for editors.
    ("register_add", "POST"): Mutation(
        "/instruments/new/", {**EDITORS, "coordinator": 422, "provincial_coordinator": 422,
                              "administrator": 422}
    ),
    ("register_edit", "POST"): Mutation(
        "/instruments/999999/edit/",
        statuses(default=403, anonymous=LOGIN, coordinator=404, provincial_coordinator=404,
                 administrator=404),
    ),
    ("citation_link", "POST"): Mutation(
        "/instruments/citations/999999/link/",
        statuses(default=403, anonymous=LOGIN, coordinator=404, provincial_coordinator=404,
                 administrator=404),
        {"instrument": "UU 18/2017"},
    ),
}  # fmt: skip

FUNCTION_VIEWS: dict[str, tuple[str, ...]] = {
    "register_list": (),
    "register_add": ("POST",),
    "register_edit": ("POST",),
    "citations_resolve": (),
    "citation_link": ("POST",),
}
