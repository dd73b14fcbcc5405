"""The OpenAPI schema states every status an operation can answer (drf-spectacular hook).

`add_error_responses` runs after the schema is generated (SPECTACULAR_SETTINGS
POSTPROCESSING_HOOKS) and adds, where a view did not state them itself:

- 401 and 403 to every operation that needs a signed-in user (its `security` has no empty
  requirement): 401 without credentials, 403 for a member without the right;
- 404 to every operation on a path with a parameter (strangers get 404, never 403) and to
  every paginated list (a page past the last);
- 400 and 409 to every write (POST, PUT, PATCH, DELETE): bad input, and a request the
  state of things refuses (config/exceptions.py maps the service errors).

Each uses the one `Error` schema: `{"detail": ...}` or messages per field. No catch-all
`default` response is kept. Generated clients and schemathesis rely on this.
"""

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: `detail` (a message, or a list of messages), or a list of "
    "messages per input field, or the errors of a workbook, by sheet, row and column.",
    "properties": {
        "detail": {
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        },
    },
    "additionalProperties": {},
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
DESCRIPTIONS = {
    "400": "The request is malformed or its input is refused (messages per field).",
    "401": "No valid credentials (a token or a signed-in session).",
    "403": "Signed in, but without the right to do this.",
    "404": "The object does not exist, or not for this user.",
    "409": "The state of things refuses the request (for example a stale version).",
}
WRITES = ("post", "put", "patch", "delete")
METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


def _needs_sign_in(operation: dict[str, Any]) -> bool:
    security = operation.get("security")
    if security is None:
        return True
    return bool(security) and all(requirement for requirement in security)


def _statuses(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    statuses = []
    if _needs_sign_in(operation):
        statuses += ["401", "403"]
    paginated = any(p.get("name") == "page" for p in operation.get("parameters", []))
    if "{" in path or paginated:  # a page number past the last one is 404 too
        statuses.append("404")
    filtered = any(p.get("in") == "query" for p in operation.get("parameters", []))
    if method in WRITES:
        statuses += ["400", "409"]
    elif filtered:  # a filter value that is not one of its choices
        statuses.append("400")
    return statuses


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: Any) -> Any:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            responses.pop("default", None)
            for status in _statuses(path, method, operation):
                if status in responses:
                    continue
                responses[status] = {
                    "description": DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": ERROR_REF}},
                }
    return result
