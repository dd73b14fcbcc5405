"""responses_update_bulk: the Excel import's write path, all or nothing, with history."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import errors
from assessments.collection import services as collection_services
from assessments.models import Response

pytestmark = pytest.mark.django_db


def citation(assessment, institution, actor, title):
    return collection_services.evidence_create(
        assessment=assessment,
        institution=institution,
        actor=actor,
        kind="citation",
        instrument_type="law",
        number="18",
        year=2017,
        title=title,
    )


def kemnaker_responses(assessment, kemnaker):
    return list(
        assessment.responses.filter(institution=kemnaker)
        .select_related("assessment", "indicator")
        .order_by("indicator__order")
    )


def test_bulk_writes_values_evidence_and_one_history_row_each(
    client, national_assessment, kemnaker, focal_a
):
    old = citation(national_assessment, kemnaker, focal_a, "Old source")
    new = citation(national_assessment, kemnaker, focal_a, "New source")
    first, second, *_ = kemnaker_responses(national_assessment, kemnaker)
    first = collection_services.response_add_evidence(
        response=first, actor=focal_a, version=first.version, evidence=old
    )
    history_before = {r.pk: r.history.count() for r in (first, second)}

    collection_services.responses_update_bulk(
        changes=[
            collection_services.ResponseChange(
                first, first.version, {"answer": "yes", "justification": "  Law 18/2017  "}, [new]
            ),
            collection_services.ResponseChange(second, second.version, {"answer": "no"}),
        ],
        actor=focal_a,
        reason="Excel import: kemnaker.xlsx",
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.answer, first.justification, first.updated_by) == ("yes", "Law 18/2017", focal_a)
    assert list(first.evidence.all()) == [new]
    assert second.answer == "no" and list(second.evidence.all()) == []
    assert first.version == 3 and second.version == 2
    for response in (first, second):
        assert response.history.count() == history_before[response.pk] + 1
        latest = response.history.order_by("-history_id").first()
        assert latest.history_user == focal_a
        assert latest.history_change_reason == "Excel import: kemnaker.xlsx"
        assert latest.version == response.version

    # The history page shows the change of evidence against the record before it.
    client.force_login(focal_a)
    html = client.get(f"/responses/{first.pk}/history/").content.decode()
    assert "Excel import: kemnaker.xlsx" in html
    assert "18/2017: Old source" in html and "18/2017: New source" in html
    latest = first.history.order_by("-history_id").first()
    delta = latest.diff_against(latest.prev_record)
    assert {c.field for c in delta.changes} >= {"answer", "justification", "evidence"}


def test_a_stale_change_is_refused_by_index_and_nothing_is_written(
    national_assessment, kemnaker, focal_a
):
    responses = kemnaker_responses(national_assessment, kemnaker)
    stale = responses[2]
    # Someone saves the third answer after the workbook was read.
    collection_services.response_update(
        response=Response.objects.get(pk=stale.pk), actor=focal_a, version=1, answer="partial"
    )
    history_before = sum(r.history.count() for r in responses)
    changes = [collection_services.ResponseChange(r, 1, {"answer": "yes"}) for r in responses]

    with pytest.raises(errors.ChangeRefused) as refused:
        collection_services.responses_update_bulk(changes=changes, actor=focal_a)

    assert refused.value.index == 2
    assert isinstance(refused.value.error, errors.StaleResponse)
    assert refused.value.error.current.answer == "partial"
    rows = {r.pk: (r.answer, r.version) for r in Response.objects.filter(institution=kemnaker)}
    assert rows[stale.pk] == ("partial", 2)
    assert all(v == ("", 1) for pk, v in rows.items() if pk != stale.pk)
    assert sum(r.history.count() for r in responses) == history_before


def test_of_two_saves_read_at_one_version_the_claim_refuses_the_second(
    national_assessment, kemnaker, focal_a
):
    """Two people read the answer at the same version (both pass the check against what
    they read); the first save wins and the second's claim finds no row: refused, with
    the answer read again, nothing of the second written."""
    [pk] = [kemnaker_responses(national_assessment, kemnaker)[0].pk]
    first, second = Response.objects.get(pk=pk), Response.objects.get(pk=pk)
    collection_services.response_update(
        response=first, actor=focal_a, version=1, justification="First"
    )
    with pytest.raises(errors.StaleResponse) as refused:
        collection_services.response_update(
            response=second, actor=focal_a, version=1, justification="Second"
        )
    assert (refused.value.current.justification, refused.value.current.version) == ("First", 2)
    stored = Response.objects.get(pk=pk)
    assert (stored.justification, stored.version, stored.history.count()) == ("First", 2, 2)


def test_a_version_behind_the_answer_as_read_is_refused_before_any_statement(
    national_assessment, kemnaker, focal_a
):
    """A save whose version is already behind the answer read for it is refused with that
    answer as the current one, without a statement (no transaction, no row lock)."""
    response = kemnaker_responses(national_assessment, kemnaker)[0]
    collection_services.response_update(
        response=response, actor=focal_a, version=1, justification="Saved first"
    )
    current = Response.objects.select_related("assessment", "indicator").get(pk=response.pk)
    with (
        CaptureQueriesContext(connection) as queries,
        pytest.raises(errors.StaleResponse) as refused,
    ):
        collection_services.response_update(
            response=current, actor=focal_a, version=1, justification="Typed later"
        )
    assert refused.value.current is current
    assert (current.justification, current.version) == ("Saved first", 2)
    # The test's own transaction makes atomic() a savepoint: taken and rolled back, no more.
    assert [q["sql"].split()[0] for q in queries.captured_queries] == [
        "SAVEPOINT",
        "ROLLBACK",
        "RELEASE",
    ]
    assert Response.objects.get(pk=response.pk).justification == "Saved first"


def test_an_invalid_value_is_refused_by_index_before_any_write(
    national_assessment, kemnaker, focal_a
):
    responses = kemnaker_responses(national_assessment, kemnaker)
    no_na = next(i for i, r in enumerate(responses) if not r.indicator.allows_not_applicable)
    changes = [collection_services.ResponseChange(r, 1, {"answer": "yes"}) for r in responses]
    changes[no_na].values = {"answer": "na"}

    with pytest.raises(errors.ChangeRefused) as refused:
        collection_services.responses_update_bulk(changes=changes, actor=focal_a)

    assert refused.value.index == no_na
    assert isinstance(refused.value.error, ValidationError)
    assert "answer" in refused.value.error.message_dict
    assert not Response.objects.filter(institution=kemnaker).exclude(answer="").exists()


def test_evidence_of_another_institution_is_refused(
    national_assessment, kemnaker, bp2mi, focal_a, focal_b
):
    foreign = citation(national_assessment, bp2mi, focal_b, "BP2MI's source")
    response = kemnaker_responses(national_assessment, kemnaker)[0]
    with pytest.raises(errors.ChangeRefused) as refused:
        collection_services.responses_update_bulk(
            changes=[collection_services.ResponseChange(response, 1, {"answer": "yes"}, [foreign])],
            actor=focal_a,
        )
    assert "evidence" in refused.value.error.message_dict
    assert not response.evidence.exists()


def test_query_count_does_not_grow_with_the_number_of_answers(
    national_assessment, focal_a, coordinator
):
    from ministries.models import Institution

    kemlu = Institution.objects.get(acronym="KEMLU")
    responses = list(
        national_assessment.responses.filter(institution=kemlu).select_related(
            "assessment", "indicator"
        )
    )
    assert len(responses) > 90
    item = citation(national_assessment, kemlu, coordinator, "Constitution")

    def write(batch, answer):
        changes = [
            collection_services.ResponseChange(r, r.version, {"answer": answer}, [item])
            for r in batch
        ]
        with CaptureQueriesContext(connection) as ctx:
            collection_services.responses_update_bulk(changes=changes, actor=coordinator)
        for r in batch:
            r.refresh_from_db()
        return len(ctx.captured_queries)

    few = write(responses[:5], "yes")
    many = write(responses[5:], "partial")
    assert few == many
    assert Response.objects.filter(institution=kemlu, answer="partial").count() == len(
        responses[5:]
    )
