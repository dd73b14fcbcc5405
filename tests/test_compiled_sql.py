"""config/compiled_sql.py: a `.values()` query compiled once gives the rows the ORM gives,
for every set of parameters and each shape (language) it was compiled for."""

import itertools
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from assessments.collection import entry_rows
from assessments.models import Assessment, Response
from config.compiled_sql import CompiledValues
from ministries.models import Institution

pytestmark = pytest.mark.django_db


def test_compiled_rows_are_the_orms_rows_in_both_languages(
    national_assessment: Assessment, kemnaker: Institution, bp2mi: Institution
) -> None:
    for language in ("en", "id"):
        with translation.override(language):
            for institution in (kemnaker, bp2mi):
                ids = {"assessment_id": national_assessment.pk, "institution_id": institution.pk}
                rows = entry_rows._ROWS.rows(language, **ids)
                assert rows and rows == list(entry_rows._rows_query(**ids))
    # The Indonesian question where there is one, read by the Indonesian compilation.
    with translation.override("id"):
        ids = {"assessment_id": national_assessment.pk, "institution_id": kemnaker.pk}
        assert "indicator__question_id" in entry_rows._ROWS.rows("id", **ids)[0]


def test_compiled_once_then_one_query_a_call(
    national_assessment: Assessment, kemnaker: Institution
) -> None:
    built: list[dict[str, int]] = []

    def build(**ids: int) -> Any:
        built.append(ids)
        return Response.objects.filter(**ids).order_by("pk").values("pk", "updated_at")

    compiled = CompiledValues(build)
    ids = {"assessment_id": national_assessment.pk, "institution_id": kemnaker.pk}
    with CaptureQueriesContext(connection) as queries:
        first = compiled.rows("", **ids)
        second = compiled.rows("", **ids)
    assert len(built) == 1 and len(queries.captured_queries) == 2
    assert first == second == list(build(**ids))
    assert first[0]["updated_at"].tzinfo is not None  # converted as the ORM converts


def test_a_parameter_the_sql_inlines_falls_back_to_the_orm(
    national_assessment: Assessment,
) -> None:
    def build(*, limit: int) -> Any:
        return Response.objects.order_by("pk").values("pk")[: abs(limit)]

    compiled = CompiledValues(build)
    assert compiled.rows("", limit=3) == list(build(limit=3))
    assert compiled._compiled[""] is None  # LIMIT is written into the SQL: not cached


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_compiled_models_are_the_orms_instances_with_related_objects_and_annotations(
    national_assessment: Assessment, kemnaker: Institution, bp2mi: Institution
) -> None:
    """The autosave's read (permissions._FOCAL_POINT_SAVE_READ): each answer, its
    assessment, indicator and institution, and its role, as the ORM gives them."""
    from assessments import permissions

    compiled = permissions._FOCAL_POINT_SAVE_READ
    for institution in (kemnaker, bp2mi):
        for response in Response.objects.select_related(
            "assessment", "indicator", "institution"
        ).filter(assessment=national_assessment, institution=institution)[:3]:
            params = {"institution": institution.pk, "pk": response.pk}
            with CaptureQueriesContext(connection) as queries:
                [got] = compiled.objects(None, **params)
                for name in ("assessment", "indicator", "institution"):
                    assert _fields(getattr(got, name)) == _fields(getattr(response, name))
            assert len(queries.captured_queries) == 1  # the related objects came with it
            [orm] = compiled.build(**params)
            assert type(got) is Response and _fields(got) == _fields(orm)
            role = getattr(got, permissions.ROLE_ANNOTATION)
            assert role and role == getattr(orm, permissions.ROLE_ANNOTATION)
            assert not got._state.adding and got._state.db == "default"
    assert compiled._compiled[None] is not None and compiled._compiled[None].models
    # Another institution's answer is not found: the visibility filter is compiled in.
    other = Response.objects.filter(assessment=national_assessment, institution=bp2mi).first()
    assert other is not None
    assert compiled.objects(None, institution=kemnaker.pk, pk=other.pk) == []


def test_compiled_sql_is_prepared_on_postgresql_and_django_queries_are_not(
    national_assessment: Assessment, kemnaker: Institution
) -> None:
    """config/settings/base.tune_database allows prepared statements on the connection;
    compiled SQL is bound on the server and so prepared (planned once, then a generic
    plan), except where queries are logged (its text is then in the log); the ORM's own
    queries are bound on the client."""
    ids = {"assessment_id": national_assessment.pk, "institution_id": kemnaker.pk}
    expected = list(entry_rows._evidence_query(**ids))
    for _ in range(8):
        assert entry_rows._EVIDENCE.rows(tuple(sorted(ids)), **ids) == expected
    list(Response.objects.filter(assessment=national_assessment).values("pk"))
    with CaptureQueriesContext(connection) as queries:  # logged: bound on the client
        assert entry_rows._EVIDENCE.rows(tuple(sorted(ids)), **ids) == expected
    assert "FROM" in queries.captured_queries[0]["sql"]
    compiled = entry_rows._EVIDENCE._compiled[tuple(sorted(ids))]
    assert compiled is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        prepared = dict(cursor.fetchall())
    numbers = itertools.count(1)
    statement = re.sub("%s", lambda _match: f"${next(numbers)}", compiled.sql)
    assert prepared[statement] >= 8  # the statement psycopg prepared, run (at least) 8 times
    assert not any('"assessments_response"."id" AS "pk" FROM' in s for s in prepared)


@pytest.mark.parametrize("switch", ["on", "off"])
def test_tune_database_sqlite_for_a_web_server_and_postgresql_prepared_unless_off(
    monkeypatch: pytest.MonkeyPatch, switch: str
) -> None:
    from config.settings.base import tune_database

    monkeypatch.setenv("MGI_DB_PREPARED_STATEMENTS", switch)
    sqlite = tune_database({"ENGINE": "django.db.backends.sqlite3", "NAME": "x"})
    assert sqlite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]
    postgresql = tune_database({"ENGINE": "django.db.backends.postgresql", "NAME": "x"})
    assert postgresql["CONN_HEALTH_CHECKS"] is True
    assert postgresql.get("OPTIONS", {}).get("prepare_threshold") == (0 if switch == "on" else None)


def test_update_where_writes_what_the_orms_update_writes_and_only_on_a_match(
    national_assessment: Assessment, kemnaker: Institution, coordinator: Any
) -> None:
    from django.utils import timezone

    from assessments.collection.claims import _saved_fields
    from config.compiled_sql import update_where

    response = Response.objects.filter(assessment=national_assessment, institution=kemnaker).first()
    assert response is not None
    version = response.version
    response.justification = "Perpres 130/2024 'quoted' \\ text"
    response.nothing_to_add, response.confirmed = False, True
    response.updated_by, response.updated_at = coordinator, timezone.now()
    response.version = version + 1
    # A stale version matches no row and writes nothing.
    assert update_where(response, _saved_fields(), pk=response.pk, version=version - 1) == 0
    assert Response.objects.get(pk=response.pk).version == version
    assert update_where(response, _saved_fields(), pk=response.pk, version=version) == 1
    stored = Response.objects.get(pk=response.pk)
    assert (stored.justification, stored.version) == (response.justification, version + 1)
    assert (stored.updated_by_id, stored.updated_at) == (coordinator.pk, response.updated_at)
    # The same version again: already claimed.
    assert update_where(response, _saved_fields(), pk=response.pk, version=version) == 0


def test_a_saves_history_row_is_simple_historys_row_and_its_audit_event_is_written(
    national_assessment: Assessment, kemnaker: Institution, coordinator: Any
) -> None:
    """claims.history_rows writes one answer's row with insert_one: the same row as
    simple_history's bulk_history_create (every column but the row's own id); and
    audit_record's event through insert_one reads back as written."""
    from django.utils import timezone

    from assessments.collection.claims import history_manager, history_rows
    from audit.models import AuditEvent
    from audit.services import Action, audit_record

    response = Response.objects.filter(assessment=national_assessment, institution=kemnaker).first()
    assert response is not None
    response.justification = "UU 18/2017 Pasal 7 'dikutip'"
    at = timezone.now()
    [ours] = history_rows([response], actor=coordinator, reason="saved", at=at)
    [theirs] = history_manager().bulk_history_create(
        [response],
        update=True,
        default_user=coordinator,
        default_change_reason="saved",
        default_date=at,
    )
    columns = [f.attname for f in type(ours)._meta.concrete_fields if f.attname != "history_id"]
    stored = type(ours).objects.get(history_id=ours.history_id)
    assert ours.history_id and ours.history_id != theirs.history_id
    assert {c: getattr(stored, c) for c in columns} == {
        c: getattr(type(theirs).objects.get(history_id=theirs.history_id), c) for c in columns
    }
    assert stored.history_type == "~" and stored.history_user_id == coordinator.pk
    event = audit_record(
        action=Action.ANSWERS_SAVED, actor=coordinator, obj=response, details={"a": [1, "b"]}
    )
    assert event.pk and not event._state.adding
    read = AuditEvent.objects.get(pk=event.pk)
    assert (read.actor_id, read.action, read.details) == (
        coordinator.pk,
        "answers_saved",
        {"a": [1, "b"]},
    )
    assert (read.assessment_id, read.institution_id) == (national_assessment.pk, kemnaker.pk)
    assert read.object_id == str(response.pk) and read.at == event.at


def test_one_blocks_evidence_read_compiled_is_what_its_instances_give(
    national_assessment: Assessment, kemnaker: Institution, focal_a: Any, evidence_file_a: Any
) -> None:
    """An answer block's evidence (a refused save, the review page) is read by the entry
    page's compiled evidence query with the answer's id: the same items, in the same
    order, as the block built from the answer's Evidence instances (a file by its name)."""
    from assessments.collection import services as collection_services

    response = Response.objects.filter(assessment=national_assessment, institution=kemnaker).first()
    assert response is not None
    items = [
        evidence_file_a,
        collection_services.evidence_create(
            assessment=national_assessment,
            institution=kemnaker,
            actor=focal_a,
            kind="citation",
            instrument_type="law",
            number="18",
            year=2017,
            title="PPMI",
        ),
    ]
    collection_services.response_update(response=response, actor=focal_a, version=1, evidence=items)
    read = entry_rows.EntryRow.from_response(response, "lead")
    given = entry_rows.EntryRow.from_response(response, "lead", evidence=items)
    assert [e.title for e in read.evidence] == [evidence_file_a.title, "PPMI"]
    stored: Any = given.evidence[0].file  # the instance's FieldFile
    assert read.evidence[0].file and read.evidence[0].file == stored.name
    given.evidence[0].file = stored.name
    assert read.evidence == given.evidence
    assert entry_rows._EVIDENCE._compiled[("pk",)] is not None
