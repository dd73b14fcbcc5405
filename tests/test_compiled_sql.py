"""config/compiled_sql.py: a `.values()` query compiled once gives the rows the ORM gives,
for every set of parameters and each shape (language) it was compiled for."""

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
