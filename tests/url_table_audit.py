"""Permission-walk rows for the audit trail: coordinators (within their scope) and
administrators read it; nobody writes to it through a URL."""

from .url_table_assessments import LOGIN, statuses

READERS = statuses(default=403, anonymous=LOGIN, coordinator=200, provincial_coordinator=200)
READERS["administrator"] = 200

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "audit_list": ("/audit/", READERS),
    "audit_export": ("/audit/export.csv", READERS),
}

MUTATIONS: dict = {}

FUNCTION_VIEWS: dict[str, tuple[str, ...]] = {
    "audit_list": (),
    "audit_export": (),
}
