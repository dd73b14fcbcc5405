"""A `.values()` query compiled to SQL once per process, then run with new parameters.

Building and compiling a queryset costs Django a few hundred microseconds to a millisecond
or more (joins, a subquery, thirty columns); a page that runs the same three queries on
every request for a different assessment and institution pays it every time. Here the
queryset is built once with sentinel values in place of the parameters, compiled, and the
SQL kept with the positions of the sentinels among its parameters; a request runs that SQL
with its own values and gets the same rows `.values()` would give (the same names, the
same converters). The shape of the SQL may depend on something other than the parameters
(the language of the columns read): that is the `shape` key, one compilation each.

A sentinel Django does not pass as a parameter (inlined in the SQL) cannot be replaced:
the query then runs through the ORM each time, as if nothing were cached.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Far from any id a table holds; one per parameter (`CompiledValues.rows` takes ints).
SENTINEL_BASE = -7_300_000_000


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: dict[str, tuple[int, ...]]
    names: tuple[str, ...]
    col_count: int
    converters: Any
    compiler: Any


class CompiledValues:
    """`build(**params)` gives the `.values()` queryset; `rows(shape, **params)` runs it."""

    def __init__(self, build: Callable[..., QuerySet[Any, dict[str, Any]]]) -> None:
        self.build = build
        self._compiled: dict[Hashable, _Compiled | None] = {}

    def rows(self, shape: Hashable, **params: int) -> list[dict[str, Any]]:
        if shape not in self._compiled:
            self._compiled[shape] = self._compile(sorted(params))
        compiled = self._compiled[shape]
        if compiled is None:
            return list(self.build(**params))
        values = list(compiled.params)
        for name, slots in compiled.slots.items():
            for slot in slots:
                values[slot] = params[name]
        connection = connections[compiled.compiler.using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, values)
            rows: Any = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        count = compiled.col_count
        return [dict(zip(compiled.names, row[:count], strict=True)) for row in rows]

    def _compile(self, names: list[str]) -> _Compiled | None:
        sentinels = {name: SENTINEL_BASE - i for i, name in enumerate(names)}
        queryset = self.build(**sentinels)
        query = queryset.query
        compiler = query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = {
            name: tuple(i for i, value in enumerate(params) if value == sentinel)
            for name, sentinel in sentinels.items()
        }
        if not all(slots.values()):
            return None
        select = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            names=tuple(query.selected or _legacy_names(query)),
            col_count=compiler.col_count,
            converters=compiler.get_converters(select),
            compiler=compiler,
        )


def _legacy_names(query: Any) -> list[str]:
    """The names `.values()` gives its columns when the query keeps no `selected` order
    (as django.db.models.query.ValuesIterable does)."""
    return [*query.extra_select, *query.values_select, *query.annotation_select]
