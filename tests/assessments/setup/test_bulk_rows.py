"""The survey matrix's bulk inserts (assessments/setup/bulk_rows.py): PostgreSQL's one-statement
path writes exactly what the ORM's bulk_create (and django-simple-history's) would."""

import pytest
from django.db import connection

from assessments.history_reasons import MATRIX_ASSIGNED, reason_code
from assessments.models import Assignment, Response
from assessments.setup.bulk_rows import insert_many, insert_many_with_history
from indicators.models import FrameworkVersion
from ministries.models import Institution

from ...conftest import build_national_assessment

FIELDS = [
    "assessment_id",
    "indicator_id",
    "institution_id",
    "answer",
    "coverage",
    "justification",
    "nothing_to_add",
    "confirmed",
    "carried_from_id",
    "state",
    "review_state",
    "reviewed_by_id",
    "reviewed_at",
    "version",
    "updated_by_id",
]


def _new_rows(assessment, institution):
    framework = FrameworkVersion.objects.get(code="mgi-national-2023")
    taken = set(assessment.responses.values_list("indicator_id", "institution_id"))
    return [
        (pk, institution.pk)
        for pk in framework.indicators.order_by("order").values_list("pk", flat=True)
        if (pk, institution.pk) not in taken
    ][:5]


def _written(assessment, rows):
    responses = Response.objects.filter(
        assessment=assessment, institution_id=rows[0][1], indicator_id__in=[r[0] for r in rows]
    ).order_by("indicator_id")
    history = Response.history.filter(id__in=responses.values("pk"))
    return (
        [tuple(getattr(r, f) for f in FIELDS) for r in responses],
        sorted(
            (h.indicator_id, h.history_type, h.history_user_id, h.history_change_reason)
            for h in history
        ),
        [r.updated_at is not None for r in responses],
    )


@pytest.mark.django_db
def test_postgresql_path_writes_what_the_orm_writes(coordinator, monkeypatch):
    assert connection.vendor == "postgresql"
    assessment = build_national_assessment(coordinator)
    reason = reason_code(MATRIX_ASSIGNED)
    fast_rows = _new_rows(assessment, Institution.objects.get(acronym="KEMENKUMHAM"))
    slow_rows = _new_rows(assessment, Institution.objects.get(acronym="BPS"))

    insert_many_with_history(
        Response(assessment=assessment),
        fast_rows,
        ["indicator_id", "institution_id"],
        user=coordinator,
        reason=reason,
    )
    monkeypatch.setattr(connection, "vendor", "sqlite")
    insert_many_with_history(
        Response(assessment=assessment),
        slow_rows,
        ["indicator_id", "institution_id"],
        user=coordinator,
        reason=reason,
    )
    monkeypatch.undo()

    fast, fast_history, fast_stamped = _written(assessment, fast_rows)
    slow, slow_history, slow_stamped = _written(assessment, slow_rows)
    assert len(fast) == len(fast_rows) == 5
    # Same defaults, column for column (the institution and indicators aside).
    assert [row[3:] for row in fast] == [row[3:] for row in slow]
    assert [h[1:] for h in fast_history] == [h[1:] for h in slow_history]
    assert [h[1:] for h in fast_history] == [("+", coordinator.pk, reason)] * 5
    assert all(fast_stamped) and all(slow_stamped)


@pytest.mark.django_db
def test_insert_many_varies_the_role_and_keeps_the_one_lead_rule(coordinator):
    from django.db import IntegrityError, transaction

    assessment = build_national_assessment(coordinator)
    kemlu = Institution.objects.get(acronym="KEMLU")
    bps = Institution.objects.get(acronym="BPS")
    indicator_ids = list(
        Assignment.objects.filter(assessment=assessment, institution=kemlu, role="lead")
        .order_by("indicator__order")
        .values_list("indicator_id", flat=True)[:3]
    )
    insert_many(
        Assignment(assessment=assessment, role=Assignment.Role.CONTRIBUTOR),
        [(pk, bps.pk, "contributor") for pk in indicator_ids],
        ["indicator_id", "institution_id", "role"],
    )
    assert set(
        Assignment.objects.filter(assessment=assessment, institution=bps).values_list(
            "indicator_id", "role"
        )
    ) == {(pk, "contributor") for pk in indicator_ids}
    # A second lead on an indicator breaks the database's rule: nothing is half-written.
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_many(
            Assignment(assessment=assessment, role=Assignment.Role.CONTRIBUTOR),
            [(indicator_ids[0], Institution.objects.get(acronym="BP2MI").pk, "lead")],
            ["indicator_id", "institution_id", "role"],
        )
