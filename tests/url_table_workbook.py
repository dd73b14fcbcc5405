"""Permission-walk rows for the Excel round trip: url name -> (path template, status per persona).

Path placeholders: {assessment}, {response_a}, {response_b}, {kemnaker}, {bp2mi}.
"""

ROWS: dict[str, tuple[str, dict[str, int]]] = {}
