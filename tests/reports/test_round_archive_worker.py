"""The archive of a round, built by a real Celery worker process.

The round is the national test assessment of tests/conftest.py carried through the cycle
on the test database (so the session's worker reads it): answered, cross-checked, validated
in an FGD, approved, its profile rendered (one-page stand-ins, see quick_pdfs), approved and
published. Two evidence files and a citation of the legal-instrument register are added to
its answers. The coordinator asks for the archive through the API, polls its status URL and
downloads it, as a client would. The zip is then opened, its bag validated (every SHA-256)
and its index checked against the database: every answer and evidence item, the survey
matrix, the minutes, the snapshots, every profile version's PDFs (PDF/A-3b, rendered again by
the worker from the real profile) and data.
"""

import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from rest_framework.test import APIClient

from assessments.collection import citations
from assessments.models import (
    Assessment,
    Assignment,
    Evidence,
    Response,
    Snapshot,
    ValidationSession,
)
from indicators.models import LegalInstrument
from ministries.models import User
from reports import services as report_services
from reports.models import ProfileRender

from ..conftest import publish
from .test_render_worker import approved_assessment
from .test_round_archive import add_evidence_file, index_rows, open_bag, pdfa_part

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TIMEOUT = 300.0


@contextmanager
def tasks_in_process() -> Iterator[None]:
    """Tasks run eagerly meanwhile (the session's worker fixture turned that off)."""
    from config.celery import app

    eager = app.conf.task_always_eager
    app.conf.update(task_always_eager=True)
    try:
        yield
    finally:
        app.conf.update(task_always_eager=eager)


def published_round(capture) -> tuple[Assessment, User]:
    """The approved test assessment (built as test_render_worker's, which first loads the
    reference data: a transactional test may start from an empty database), its profile
    published (marked as demonstration data), with two evidence files and a citation of the
    register added to its first answers; and its coordinator."""
    assessment, coordinator = approved_assessment()
    profile = report_services.profile_create(assessment=assessment, actor=coordinator)
    with tasks_in_process():
        publish(profile, coordinator, capture)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.PUBLISHED
    Assessment.objects.filter(pk=assessment.pk).update(is_demo=True)
    answered = Response.objects.filter(assessment=assessment).exclude(answer="")
    first, second = answered.order_by("indicator__order", "institution__acronym")[:2]
    add_evidence_file(first, "Laporan Dinas 2023.pdf")
    add_evidence_file(second, "Laporan Dinas 2023.pdf", b"%PDF-1.4\n%other\n%%EOF\n")
    law = LegalInstrument.objects.get(kind="uu", number="18", year=2017)
    citation = Evidence.objects.create(
        assessment=assessment,
        institution=second.institution,
        kind=Evidence.Kind.CITATION,
        instrument=law,
        article="Article 4",
        **citations.fields_from_instrument(law),
        created_by=coordinator,
    )
    second.evidence.add(citation)
    return assessment, coordinator


def wait_for(client: APIClient, url: str, worker) -> dict:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        body = client.get(url).json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(1)
    pytest.fail(f"the archive was not built in time\n{worker.log.read_text()[-4000:]}")


def test_a_published_round_is_archived_by_the_worker_and_its_index_matches_the_database(
    celery_worker_process, quick_pdfs, django_capture_on_commit_callbacks, tmp_path
):
    assessment, coordinator = published_round(django_capture_on_commit_callbacks)
    client = APIClient()
    client.force_authenticate(coordinator)
    answer = client.post(f"/api/v1/assessments/{assessment.pk}/archives/")
    assert answer.status_code == 202, answer.content
    status = wait_for(client, answer["Location"], celery_worker_process)
    assert status["status"] == "done", status["error"]
    assert "round_archive_build" in celery_worker_process.log.read_text()
    download = client.get(status["file_url"])
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == status["checksum"]
    _, data = open_bag(content, tmp_path)
    rows = index_rows(data, "en")[1:]
    kinds: dict[str, set[str]] = {}
    for row in rows:
        kinds.setdefault(row[1], set()).add(row[3] if row[3] else row[0])

    responses = Response.objects.filter(assessment=assessment)
    assert kinds["response"] == {str(pk) for pk in responses.values_list("pk", flat=True)}
    evidence = Evidence.objects.filter(assessment=assessment)
    files = {str(pk) for pk in evidence.exclude(file="").values_list("pk", flat=True)}
    assert len(files) == 2 and kinds["evidence_file"] == files
    citations = evidence.filter(kind="citation").values_list("pk", flat=True)
    assert kinds["evidence_citation"] == {str(pk) for pk in citations}
    for row in rows:
        if row[1] == "evidence_file":
            assert (data / row[0]).is_file()
            assert hashlib.sha256((data / row[0]).read_bytes()).hexdigest() == row[7]

    # The register's laws and regulations the evidence cites, each once, with its citation.
    cited = set(evidence.exclude(instrument=None).values_list("instrument_id", flat=True))
    instruments = json.loads((data / "legal-instruments/legal-instruments.json").read_text())
    assert cited and {i["id"] for i in instruments} == cited
    assert all(i["citation"]["id"] and i["citation"]["en"] for i in instruments)

    matrix = (data / "matrix/survey-matrix.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(matrix) - 1 == Assignment.objects.filter(assessment=assessment).count()
    sessions = ValidationSession.objects.filter(assessment=assessment).count()
    assert sessions and len(kinds["minutes_pdf"]) == len(kinds["minutes_xlsx"]) == 2 * sessions
    numbers = Snapshot.objects.filter(assessment=assessment).values_list("number", flat=True)
    assert kinds["snapshot"] == {f"snapshots/snapshot-{n}.json" for n in numbers}

    # Every profile version's PDFs, one per rendered language, each a PDF/A-3b.
    renders = ProfileRender.objects.filter(profile__assessment=assessment, status="done")
    pdfs = [r for r in rows if r[1] == "profile_pdf"]
    assert sorted((r[3], r[0][-6:-4]) for r in pdfs) == sorted(
        (str(r.profile_id), r.language) for r in renders
    )
    for row in pdfs + [r for r in rows if r[1] == "minutes_pdf"]:
        assert pdfa_part((data / row[0]).read_bytes()) == ("3", "B"), row[0]
    assert "demonstration data" in (data / "index.en.html").read_text()
