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

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, get_related_populators  # type: ignore[attr-defined]

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
    models: "_ModelPlan | None" = None


@dataclass(frozen=True)
class _ModelPlan:
    """How ModelIterable makes instances of a compiled query's rows."""

    model: Any
    db: str
    fields: tuple[int, int]
    init_list: list[str]
    related: list[Any]
    annotations: dict[str, int]


def _model_plan(compiler: Any, db: str) -> _ModelPlan:
    select, klass_info = compiler.select, compiler.klass_info
    positions = klass_info["select_fields"]
    start, end = positions[0], positions[-1] + 1
    return _ModelPlan(
        model=klass_info["model"],
        db=db,
        fields=(start, end),
        init_list=[f[0].target.attname for f in select[start:end]],
        related=get_related_populators(klass_info, select, db),
        annotations=dict(compiler.annotation_col_map or {}),
    )


class CompiledValues:
    """`build(**params)` gives the `.values()` queryset; `rows(shape, **params)` runs it."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]]) -> None:
        self.build = build
        self._compiled: dict[Hashable, _Compiled | None] = {}

    def rows(self, shape: Hashable, **params: int) -> list[dict[str, Any]]:
        compiled = self._compiled_for(shape, params)
        if compiled is None:
            return list(self.build(**params))
        count = compiled.col_count
        return [
            dict(zip(compiled.names, row[:count], strict=True))
            for row in self._execute(compiled, params)
        ]

    def _compiled_for(self, shape: Hashable, params: dict[str, int]) -> "_Compiled | None":
        if shape not in self._compiled:
            self._compiled[shape] = self._compile(sorted(params))
        return self._compiled[shape]

    @staticmethod
    def _execute(compiled: "_Compiled", params: dict[str, int]) -> Any:
        """The compiled SQL run with the request's values, its rows converted."""
        values = list(compiled.params)
        for name, slots in compiled.slots.items():
            for slot in slots:
                values[slot] = params[name]
        connection = connections[compiled.compiler.using]
        with _cursor(connection) as cursor:
            cursor.execute(compiled.sql, values)
            rows: Any = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        return rows

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
        models = None
        iterable = getattr(queryset, "_iterable_class", None)
        if iterable is ModelIterable and not getattr(queryset, "_known_related_objects", None):
            models = _model_plan(compiler, queryset.db)
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            names=tuple(query.selected or _legacy_names(query)),
            col_count=compiler.col_count,
            converters=compiler.get_converters(select),
            compiler=compiler,
            models=models,
        )


def _legacy_names(query: Any) -> list[str]:
    """The names `.values()` gives its columns when the query keeps no `selected` order
    (as django.db.models.query.ValuesIterable does)."""
    return [*query.extra_select, *query.values_select, *query.annotation_select]


class CompiledModels(CompiledValues):
    """The same for a queryset of model instances (`select_related`, annotations):
    `build(**params)` gives the queryset, `objects(shape, **params)` its instances, built
    from the compiled rows by the steps of Django's ModelIterable (each related object and
    annotation where the queryset would put it). A queryset with known related objects
    (from a related manager) is not compiled: it runs through the ORM each time."""

    def objects(self, shape: Hashable, **params: int) -> list[Any]:
        compiled = self._compiled_for(shape, params)
        if compiled is None or compiled.models is None:
            return list(self.build(**params))
        plan = compiled.models
        start, end = plan.fields
        out = []
        for row in self._execute(compiled, params):
            obj = plan.model.from_db(plan.db, plan.init_list, row[start:end])
            for populator in plan.related:
                populator.populate(row, obj)
            for name, position in plan.annotations.items():
                setattr(obj, name, row[position])
            out.append(obj)
        return out


def _cursor(connection: Any) -> Any:
    """A cursor for compiled SQL: on PostgreSQL with prepared statements allowed (the
    connection's `prepare_threshold`, DATABASES OPTIONS), one that binds parameters on the
    server, so that the same SQL with new values is a statement PostgreSQL has prepared:
    it parses and plans it once per connection instead of on every request (planning the
    entry page's answers query took about 1 ms, its run 0.5 ms). Django's own cursors bind
    on the client and are never prepared. Wrapped as Django wraps its cursors. Where queries
    are logged (DEBUG, a test counting them) the client-bound cursor is used: the log
    records a prepared statement's SQL as None."""
    if connection.vendor != "postgresql" or connection.queries_logged:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if getattr(raw, "prepare_threshold", None) is None:
        return connection.cursor()
    from psycopg.pq import Format

    base: Any = import_module("django.db.backends.postgresql.base")  # psycopg 3 names

    with connection.wrap_database_errors:
        cursor = base.ServerBindingCursor(raw)
        # As Django's create_cursor: its time zone where the connection's differs.
        tzloader = raw.adapters.get_loader(base.TIMESTAMPTZ_OID, Format.TEXT)
        if connection.timezone != tzloader.timezone:
            base.register_tzloader(connection.timezone, cursor)
        return connection._prepare_cursor(cursor)


def update_where(instance: Any, fields: Sequence[Any], **where: Any) -> int:
    """UPDATE the instance's table SET `fields` (the instance's values) WHERE each of
    `where` equals its value, in one statement; the number of rows written.

    For the hottest write (an autosave's claim of its version, 200 a second under load):
    QuerySet.update builds and compiles an UpdateQuery on every call, a millisecond of
    CPU; this SQL is the same on every call with these fields (and so prepared on
    PostgreSQL, see `_cursor`), and the values are prepared by each field as the ORM's
    update prepares them (`get_db_prep_save`)."""
    model: Any = type(instance)
    connection = connections[router.db_for_write(model)]
    name = connection.ops.quote_name
    meta = model._meta
    columns = {key: meta.pk if key == "pk" else meta.get_field(key) for key in where}
    # Names from the model's meta, quoted; every value a parameter.
    sql = (
        f"UPDATE {name(meta.db_table)} SET "  # noqa: S608
        + ", ".join(f"{name(f.column)} = %s" for f in fields)
        + " WHERE "
        + " AND ".join(f"{name(field.column)} = %s" for field in columns.values())
    )
    params = [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]
    params += [field.get_db_prep_value(where[key], connection) for key, field in columns.items()]
    with _cursor(connection) as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def insert_one(instance: Any) -> None:
    """INSERT one new instance as one statement whose SQL is the same for every instance of
    its model (prepared on PostgreSQL, see `_cursor`), and set its primary key: what
    `Model.save(force_insert=True)` writes, without the ORM building and compiling an
    InsertQuery each time (for the rows every save writes: its audit event and history
    row). For models without save signals or a `save()` of their own; values are prepared
    by each field as the ORM prepares them (`pre_save`, `get_db_prep_save`). Where the
    database cannot return the new key, or a value is an expression, `save()` does it."""
    model: Any = type(instance)
    connection = connections[router.db_for_write(model)]
    if not connection.features.can_return_columns_from_insert:
        instance.save(force_insert=True, using=connection.alias)
        return
    sql, fields = _insert_sql(model, connection.alias)
    values = [field.pre_save(instance, True) for field in fields]
    if any(hasattr(value, "resolve_expression") for value in values):
        instance.save(force_insert=True, using=connection.alias)
        return
    params = [
        f.get_db_prep_save(value, connection) for f, value in zip(fields, values, strict=True)
    ]
    with _cursor(connection) as cursor:
        cursor.execute(sql, params)
        (key,) = cursor.fetchone()
    setattr(instance, model._meta.pk.attname, key)
    instance._state.adding = False
    instance._state.db = connection.alias


@lru_cache(maxsize=64)
def _insert_sql(model: Any, alias: str) -> tuple[str, list[Any]]:
    """The INSERT … RETURNING of a new row of `model`, as Django's compiler writes it."""
    from django.db.models.sql import InsertQuery

    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
    fields = [f for f in fields if not getattr(f, "generated", False)]
    query = InsertQuery(model)
    query.insert_values(fields, [model()])
    compiler = query.get_compiler(using=alias)
    compiler.returning_fields = [meta.pk]
    [(sql, _params)] = compiler.as_sql()
    return sql, fields
