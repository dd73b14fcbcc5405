"""Many rows of one model in one statement: what a survey-matrix import creates (up to a few
thousand assignments and as many empty responses, each response with its history row).

On PostgreSQL the rows are inserted from arrays (`unnest`), the history rows from what that
same statement returned: two round trips' worth of work become one statement, and no model
instance is built per row (building them was most of a large import's time). The columns
and their values come from the models themselves (a template instance gives every column
that does not vary, with its default, `auto_now` included), so a new field needs nothing
here. Elsewhere (SQLite, for `make run` without services) the ORM's bulk_create does the
same, row by row in Python.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ministries.models import User


def _columns(
    template: models.Model, varying: Sequence[str]
) -> tuple[list[models.Field], list[Any], list[models.Field]]:
    """(the fixed fields, their values from the template, the varying fields)."""
    meta = template._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    vary = [by_attname[name] for name in varying]
    fixed = [f for f in meta.concrete_fields if not f.primary_key and f.attname not in varying]
    values = [f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in fixed]
    return fixed, values, vary


def _instances(
    template: models.Model, rows: Sequence[Sequence[Any]], varying: Sequence[str]
) -> list[models.Model]:
    """The rows as unsaved model instances (the ORM path, off PostgreSQL)."""
    fixed, _values, _vary = _columns(template, varying)
    base = {f.attname: getattr(template, f.attname) for f in fixed}
    model = type(template)
    return [model(**base, **dict(zip(varying, row, strict=True))) for row in rows]


def _insert_sql(
    template: models.Model, varying: Sequence[str], returning: str = ""
) -> tuple[str, list[Any], list[models.Field], list[models.Field]]:
    fixed, values, vary = _columns(template, varying)
    qn = connection.ops.quote_name
    table = qn(template._meta.db_table)
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in vary)
    names = ", ".join(qn(f.column) for f in vary + fixed)
    selected = ", ".join(
        [f"t.{qn(f.column)}" for f in vary] + [f"%s::{f.db_type(connection)}" for f in fixed]
    )
    # Only quoted model names and casts are formatted in; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({names}) SELECT {selected} "  # noqa: S608
        f"FROM unnest({arrays}) AS t({', '.join(qn(f.column) for f in vary)}){returning}"
    )
    return sql, values, vary, fixed


def insert_many(
    template: models.Model, rows: Sequence[Sequence[Any]], varying: Sequence[str]
) -> None:
    """Insert one row per item of `rows` (the values of the `varying` attnames, in order),
    every other column as in `template`."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model = type(template)
        model.objects.bulk_create(_instances(template, rows, varying))  # type: ignore[attr-defined]
        return
    sql, values, _vary, _fixed = _insert_sql(template, varying)
    with connection.cursor() as cursor:
        # The fixed values come first in the statement (SELECT), the arrays after (FROM).
        cursor.execute(sql, values + [list(column) for column in zip(*rows, strict=True)])


def insert_many_with_history(
    template: models.Model,
    rows: Sequence[Sequence[Any]],
    varying: Sequence[str],
    *,
    user: User,
    reason: str,
) -> None:
    """`insert_many` for a model with django-simple-history: each row gets its creation
    history row ("+", the user, the reason code), as `bulk_create_with_history` gives it."""
    if not rows:
        return
    model = type(template)
    if connection.vendor != "postgresql":
        bulk_create_with_history(
            _instances(template, rows, varying),
            model,
            default_user=user,
            default_change_reason=reason,
        )
        return
    qn = connection.ops.quote_name
    sql, values, _vary, _fixed = _insert_sql(template, varying, returning=" RETURNING *")
    history = model.history.model  # type: ignore[attr-defined]
    copied = [qn(f.column) for f in model._meta.concrete_fields]
    statement = (
        f"WITH created AS ({sql}) "  # noqa: S608
        f"INSERT INTO {qn(history._meta.db_table)} ({', '.join(copied)}, history_date, "
        "history_change_reason, history_type, history_user_id) "
        f"SELECT {', '.join(copied)}, %s, %s, '+', %s FROM created"
    )
    params = values + [list(column) for column in zip(*rows, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, timezone.now(), reason, user.pk])
