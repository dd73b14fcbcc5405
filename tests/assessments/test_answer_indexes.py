"""The indexes of the answers and their history: those the reads use, and no more (every
save writes a history row, an import thousands of answers, history rows and assignments;
each index is written with each row)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _indexed_columns(table: str) -> set[tuple[str, ...]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {tuple(c["columns"]) for c in constraints.values() if c["index"] or c["unique"]}


def test_history_rows_are_indexed_by_what_reads_them_only() -> None:
    columns = _indexed_columns("assessments_historicalresponse")
    # An answer's history (`id`), in date order, an assessment's (archive, scale data), a
    # person's (a user's deletion sets it to null), and the row's own key.
    for read in [("id",), ("history_date",), ("assessment_id",), ("history_user_id",)]:
        assert read in columns
    assert ("history_id",) in columns
    for unread in ["indicator_id", "institution_id", "updated_by_id", "reviewed_by_id"]:
        assert (unread,) not in columns
    assert ("carried_from_id",) not in columns


def test_an_assessments_answers_and_cells_are_found_by_their_unique_index() -> None:
    for table in ("assessments_response", "assessments_assignment"):
        columns = _indexed_columns(table)
        assert ("assessment_id", "indicator_id", "institution_id") in columns
        assert ("assessment_id",) not in columns  # the unique index's first column serves
    with connection.cursor() as cursor:
        # As on a large table (this one is nearly empty): an index, and the unique one.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT id FROM assessments_response WHERE assessment_id = 1")
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "response_unique" in plan, plan
