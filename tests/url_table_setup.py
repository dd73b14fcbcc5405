"""Permission-walk rows for the setup pages: url name -> (path template, status per persona).

Path placeholders: {assessment}, {response_a}, {response_b}, {kemnaker}, {bp2mi}.
"""

ROWS: dict[str, tuple[str, dict[str, int]]] = {}
