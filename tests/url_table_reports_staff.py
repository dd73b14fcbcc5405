"""Permission-walk rows for the profiles' staff pages (see tests/url_table_assessments.py)."""

ROWS: dict[str, tuple[str, dict[str, int]]] = {}
