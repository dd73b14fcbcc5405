"""Permission-walk rows for the profiles' public pages (see tests/url_table_assessments.py)."""

ROWS: dict[str, tuple[str, dict[str, int]]] = {}
