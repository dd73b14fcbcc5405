"""Permission-walk rows for the dashboard pages (see tests/url_table_assessments.py for helpers)."""

ROWS: dict[str, tuple[str, dict[str, int]]] = {}
