"""The autosave's cost in queries, pinned (bench_load's autosave measures it under load):
a save answered 200 and a stale one answered 409, each with the answer block they send back,
and what the save writes with fewer reads: the history row's copy of the evidence links."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.collection import services as collection_services
from assessments.models import Assessment, Evidence, Response
from ministries.models import Institution, User

pytestmark = pytest.mark.django_db


def _link(assessment: Assessment, institution: Institution, actor: User, title: str) -> Evidence:
    return collection_services.evidence_create(
        assessment=assessment,
        institution=institution,
        actor=actor,
        kind="link",
        title=title,
        url="https://example.go.id/" + title.lower().replace(" ", "-"),
    )


def _save(client: Client, response: Response, version: int, **data: Any) -> Any:
    return client.post(
        f"/responses/{response.pk}/save/",
        {"version": version, "evidence_present": "1", **data},
        headers={"HX-Request": "true"},
    )


def test_an_autosave_with_its_evidence_costs_fourteen_queries(
    client: Client,
    focal_a: User,
    response_a: Response,
    kemnaker: Institution,
    national_assessment: Assessment,
) -> None:
    kept = _link(national_assessment, kemnaker, focal_a, "Kept source")
    dropped = _link(national_assessment, kemnaker, focal_a, "Dropped source")
    added = _link(national_assessment, kemnaker, focal_a, "Added source")
    response = collection_services.response_update(
        response=response_a, actor=focal_a, version=1, evidence=[kept, dropped]
    )
    client.force_login(focal_a)
    client.get("/")  # the session and the user are read on every request; warm the rest
    with CaptureQueriesContext(connection) as queries:
        result = _save(
            client,
            response,
            response.version,
            answer="yes",
            justification="Law 13/2003",
            evidence=[kept.pk, added.pk],
        )
    assert result.status_code == 200
    html = result.content.decode()
    assert "Kept source" in html and "Added source" in html and "Dropped source" not in html
    assert '<span class="badge">Lead</span>' in html and "Saved at" in html
    # session, user, the answer (with its role), the evidence asked for, BEGIN, the claim
    # (conditional UPDATE), the links (read to compare), the dropped link, the new link,
    # the history row, its links, the audit event, COMMIT, the thread's latest comments.
    # Before: 17 (the links read again for the history row, the role, the evidence).
    assert len(queries.captured_queries) == 14
    response.refresh_from_db()
    assert set(response.evidence.values_list("pk", flat=True)) == {kept.pk, added.pk}
    record = response.history.latest("history_id")
    assert record.version == 3 and record.justification == "Law 13/2003"
    copied = {link.evidence_id: link.id for link in record.evidence.all()}
    live = dict(
        Response.evidence.through.objects.filter(response=response).values_list("evidence_id", "id")
    )
    assert copied == live


def test_a_save_without_evidence_changes_copies_the_links_it_has(
    client: Client,
    focal_a: User,
    response_a: Response,
    kemnaker: Institution,
    national_assessment: Assessment,
) -> None:
    item = _link(national_assessment, kemnaker, focal_a, "Only source")
    response = collection_services.response_update(
        response=response_a, actor=focal_a, version=1, evidence=[item]
    )
    collection_services.response_update(
        response=response, actor=focal_a, version=2, justification="No evidence given"
    )
    record = response.history.latest("history_id")
    assert record.version == 3
    assert [link.evidence_id for link in record.evidence.all()] == [item.pk]


def test_a_stale_autosave_costs_eight_queries_and_claims_nothing(
    client: Client, focal_a: User, response_a: Response
) -> None:
    collection_services.response_update(
        response=response_a, actor=focal_a, version=1, justification="Saved first"
    )
    client.force_login(focal_a)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        result = _save(client, response_a, 1, answer="no", justification="Typed later")
    assert result.status_code == 409
    html = result.content.decode()
    assert "Saved first" in html and "Typed later" in html
    assert '<span class="badge">Lead</span>' in html
    sql = [q["sql"] for q in queries.captured_queries]
    # session, user, the answer (with its role and last editor: its version is already
    # past the one sent, so it is the current answer the block shows), SAVEPOINT,
    # ROLLBACK TO and RELEASE SAVEPOINT (in production no statement at all: the
    # transaction never began), its evidence, the thread's latest comments. No claim: a
    # stale save takes no row lock. Before: 10 (the claim and the answer read again).
    assert len(sql) == 8, "\n".join(q[:70] for q in sql)
    assert not any(q.startswith("UPDATE") for q in sql)
