"""The archive of a round: requested on the assessment page and through the API, built by the
task (eagerly here, once the request commits; tests/reports/test_round_archive_worker.py
builds the demo's through a real worker), opened and checked against the database.

The round is the approved national test assessment of tests/conftest.py with its profile
published (one-page stand-in PDFs, see quick_pdfs) and evidence files added to its answers.
"""

import hashlib
import io
import re
import zipfile
from pathlib import Path

import bagit
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from pypdf import PdfReader
from rest_framework.test import APIClient

from assessments.models import Assignment, Evidence, Response
from audit.models import Action, AuditEvent
from reports.archive import selectors, services
from reports.archive.writer import PayloadWriter, safe_name
from reports.models import RoundArchive

from ..conftest import EVIDENCE_PDF

pytestmark = pytest.mark.django_db

PDFA_NS = "http://www.aiim.org/pdfa/ns/id/"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def add_evidence_file(response: Response, name: str, content: bytes = EVIDENCE_PDF) -> Evidence:
    """An uploaded PDF attached to an answer. The round is frozen (approved), so the
    services refuse it: written directly, as an answer given before approval would be."""
    evidence = Evidence(
        assessment=response.assessment,
        institution=response.institution,
        kind=Evidence.Kind.FILE,
        title=f"Report {name}",
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        created_by=response.assessment.created_by,
    )
    evidence.file.save(name, ContentFile(content), save=False)
    evidence.save()
    response.evidence.add(evidence)
    return evidence


@pytest.fixture
def round_with_files(media, published_profile, kemnaker):
    """The published round, with Kemnaker's answer to 1.3.1 supported by two files uploaded
    under the same unsafe name and one under an accented name."""
    assessment = published_profile.assessment
    response = assessment.responses.get(indicator__code="1.3.1", institution=kemnaker)
    add_evidence_file(response, "../Laporan akhir: 2023?.pdf", EVIDENCE_PDF)
    add_evidence_file(response, "../Laporan akhir: 2023?.pdf", EVIDENCE_PDF + b"%second\n")
    add_evidence_file(response, "Résumé pekerja migran.pdf")
    return assessment


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def request_archive(client, assessment, capture, execute=True):
    with capture(execute=execute):
        return client.post(f"/api/v1/assessments/{assessment.pk}/archives/")


def pdfa_part(content: bytes) -> tuple[str | None, str | None]:
    """(pdfaid:part, pdfaid:conformance) of a PDF's XMP metadata."""
    xmp = PdfReader(io.BytesIO(content)).xmp_metadata
    assert xmp is not None, "the PDF has no XMP metadata"
    for node in xmp.rdf_root.getElementsByTagNameNS(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "Description"
    ):
        part = node.getAttributeNS(PDFA_NS, "part")
        if part:
            return part, node.getAttributeNS(PDFA_NS, "conformance")
    return None, None


def open_bag(content: bytes, tmp_path: Path) -> tuple[zipfile.ZipFile, Path]:
    """The zip, and its bag extracted and validated (every SHA-256 of both manifests)."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    roots = {name.split("/")[0] for name in archive.namelist()}
    assert len(roots) == 1, roots
    archive.extractall(tmp_path / "bag")
    bag_dir = tmp_path / "bag" / roots.pop()
    bag = bagit.Bag(str(bag_dir))
    bag.validate()  # raises BagValidationError on any missing file or wrong checksum
    assert bag.algorithms == ["sha256"]
    assert (bag_dir / "tagmanifest-sha256.txt").exists()
    return archive, bag_dir / "data"


def index_rows(data: Path, language: str) -> list[list[str]]:
    import csv

    with (data / f"index.{language}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_safe_names_are_portable_and_never_taken_twice(tmp_path):
    assert safe_name("../Laporan akhir: 2023?.pdf") == "Laporan-akhir-2023-.pdf"
    assert safe_name("Résumé.pdf") == "Resume.pdf"
    assert safe_name("....") == "file"
    assert (
        len(safe_name("a" * 300 + ".pdf")) == 120 and safe_name("a" * 300 + ".pdf")[-4:] == ".pdf"
    )
    writer = PayloadWriter(tmp_path)
    first = writer.unique("evidence/files/KEMNAKER/1.3.1", "Report.pdf")
    assert first == "evidence/files/KEMNAKER/1.3.1/Report.pdf"
    assert writer.unique("evidence/files/KEMNAKER/1.3.1", "report.PDF").endswith("report-2.PDF")
    assert writer.unique("evidence/files/KEMNAKER/1.3.1", "Report.pdf").endswith("Report-3.pdf")


def test_the_api_queues_the_archive_then_serves_it_and_both_are_audited(
    round_with_files, coordinator, django_capture_on_commit_callbacks, tmp_path
):
    client = api(coordinator)
    response = request_archive(client, round_with_files, django_capture_on_commit_callbacks)
    assert response.status_code == 202, response.content
    body = response.json()
    archive = RoundArchive.objects.get(pk=body["id"])
    assert body["status_url"].endswith(f"/api/v1/archives/{archive.pk}/")
    assert response["Location"] == body["status_url"]

    status = client.get(f"/api/v1/archives/{archive.pk}/").json()
    assert status["status"] == "done", status["error"]
    assert status["file_url"].endswith(f"/api/v1/archives/{archive.pk}/file/")
    download = client.get(status["file_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith("attachment;")
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == status["checksum"] == archive.checksum
    assert len(content) == status["size"]
    open_bag(content, tmp_path)

    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(RoundArchive), object_id=str(archive.pk)
    ).order_by("at", "pk")
    assert [e.action for e in events] == [Action.ARCHIVE_REQUESTED, Action.ARCHIVE_DOWNLOADED]
    assert {e.assessment_id for e in events} == {round_with_files.pk}
    assert {e.actor_id for e in events} == {coordinator.pk}


def test_the_archive_holds_every_answer_evidence_file_minutes_and_pdf_as_pdfa(
    round_with_files, coordinator, django_capture_on_commit_callbacks, tmp_path
):
    assessment = round_with_files
    with django_capture_on_commit_callbacks(execute=True):
        archive = services.archive_request(assessment=assessment, actor=coordinator)
    archive.refresh_from_db()
    assert archive.status == RoundArchive.Status.DONE, archive.error
    with archive.file.open("rb") as handle:
        _, data = open_bag(handle.read(), tmp_path)
    rows = index_rows(data, "en")
    header, rows = rows[0], rows[1:]
    assert header[:3] == ["File", "Kind", "Description"]
    assert header[3:] == ["Record", "Institution", "Indicator", "Bytes", "SHA-256"]
    by_kind: dict[str, list[list[str]]] = {}
    for row in rows:
        by_kind.setdefault(row[1], []).append(row)

    # Every answer, by id, pointing at the file that holds it with its history and thread.
    responses = set(Response.objects.filter(assessment=assessment).values_list("pk", flat=True))
    assert {int(r[3]) for r in by_kind["response"]} == responses
    assert {r[0] for r in by_kind["response"]} == {"answers/responses.json"}

    # Every evidence file under institution/indicator/safe name, unique, bytes as uploaded.
    files = Evidence.objects.filter(assessment=assessment).exclude(file="")
    listed = {int(r[3]): r for r in by_kind["evidence_file"]}
    assert set(listed) == set(files.values_list("pk", flat=True))
    for item in files:
        row = listed[item.pk]
        assert row[0].startswith("evidence/files/KEMNAKER/1.3.1/"), row[0]
        with item.file.open("rb") as original:
            assert (data / row[0]).read_bytes() == original.read()
    assert {Path(r[0]).name for r in listed.values()} == {
        "Laporan-akhir-2023-.pdf",
        "Laporan-akhir-2023--2.pdf",
        "Resume-pekerja-migran.pdf",
    }
    # Every citation, by id, in the evidence table.
    citations = Evidence.objects.filter(assessment=assessment, kind="citation")
    assert {int(r[3]) for r in by_kind.get("evidence_citation", [])} == set(
        citations.values_list("pk", flat=True)
    )

    # The survey matrix, one row per cell.
    matrix = (data / "matrix/survey-matrix.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(matrix) - 1 == Assignment.objects.filter(assessment=assessment).count()

    # The minutes of the session in both languages, PDF/A and Excel.
    minutes = sorted(r[0] for r in rows if r[1].startswith("minutes_"))
    assert sorted(Path(m).suffix for m in minutes) == [".pdf", ".pdf", ".xlsx", ".xlsx"]
    assert any(m.endswith("-id.pdf") for m in minutes)
    # Every PDF of the bag is PDF/A-3b: the profile's (both languages) and the minutes'.
    pdfs = [r[0] for r in rows if r[0].endswith(".pdf") and not r[0].startswith("evidence/")]
    assert len(by_kind["profile_pdf"]) == 2 and len(pdfs) == 4
    for path in pdfs:
        assert pdfa_part((data / path).read_bytes()) == ("3", "B"), path
    # The snapshot, and the profile's data files.
    assert (data / "snapshots/snapshot-1.json").exists()
    assert len(by_kind["profile_data"]) == 4

    # The HTML index links every file it lists; the Indonesian one is in Indonesian.
    html = (data / "index.en.html").read_text()
    for row in by_kind["evidence_file"] + by_kind["profile_pdf"]:
        assert f'href="{row[0]}"' in html
    html_id = (data / "index.id.html").read_text()
    assert '<html lang="id">' in html_id and "Tahun dan putaran" in html_id
    assert index_rows(data, "id")[0][:2] == ["Berkas", "Jenis"]


def test_an_archive_is_refused_before_approval(
    validation_assessment, coordinator, django_capture_on_commit_callbacks
):
    response = request_archive(
        api(coordinator), validation_assessment, django_capture_on_commit_callbacks
    )
    assert response.status_code == 409
    assert "approved" in response.json()["detail"]
    assert not RoundArchive.objects.exists()


def test_asking_again_while_one_is_being_built_gives_the_same_archive(
    approved_assessment, coordinator, django_capture_on_commit_callbacks
):
    client = api(coordinator)
    first = request_archive(
        client, approved_assessment, django_capture_on_commit_callbacks, execute=False
    )
    second = request_archive(
        client, approved_assessment, django_capture_on_commit_callbacks, execute=False
    )
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["status"] == "queued" and first.json()["file_url"] is None
    assert RoundArchive.objects.count() == 1
    # The file is not there yet: 404, saying so.
    missing = client.get(f"/api/v1/archives/{first.json()['id']}/file/")
    assert missing.status_code == 404


def test_the_assessment_page_offers_the_archive_to_its_coordinators_only(
    client, approved_assessment, coordinator, facilitator
):
    client.force_login(facilitator)
    page = client.get(f"/assessments/{approved_assessment.pk}/").content.decode()
    assert "round-archive" not in page
    client.force_login(coordinator)
    page = client.get(f"/assessments/{approved_assessment.pk}/").content.decode()
    assert "Download the archive of this round" in page
    assert f'action="/assessments/{approved_assessment.pk}/archives/"' in page
    assert "Make the archive of this round" in page


def test_requesting_on_the_page_shows_the_status_then_the_download_link(
    client, round_with_files, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    url = f"/assessments/{round_with_files.pk}/archives/"
    with django_capture_on_commit_callbacks(execute=False):
        answer = client.post(url, headers={"HX-Request": "true"})
    archive = RoundArchive.objects.get()
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "Queued" in text and f'hx-get="/archives/{archive.pk}/status/"' in text
    services.archive_build(archive_id=archive.pk)
    row = client.get(f"/archives/{archive.pk}/status/").content.decode()
    assert "Done" in row and f'href="/archives/{archive.pk}/download/"' in row
    assert "hx-get" not in row  # finished: the line stops polling
    download = client.get(f"/archives/{archive.pk}/download/")
    assert download.status_code == 200
    assert re.match(
        r'attachment; filename="mgi-round-archive-2030-.*\.zip"', download["Content-Disposition"]
    )


def test_the_section_in_indonesian(client, approved_assessment, coordinator):
    coordinator.language = "id"
    coordinator.save()
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    RoundArchive.objects.create(assessment=approved_assessment, requested_by=coordinator)
    page = client.get(f"/assessments/{approved_assessment.pk}/").content.decode()
    assert '<html lang="id"' in page
    assert "Status ini diperbarui secara otomatis." in page and "Rincian" in page


def test_the_section_reads_the_archives_in_one_query(
    approved_assessment, coordinator, django_assert_num_queries
):
    for _ in range(3):
        RoundArchive.objects.create(assessment=approved_assessment, requested_by=coordinator)
    # One query: the archives with who asked for each.
    with django_assert_num_queries(1):
        context = selectors.section_context(coordinator, approved_assessment)
        assert [a.requested_by.username for a in context["archives"]] == ["t-coordinator"] * 3


def test_before_approval_the_page_says_when_the_archive_can_be_made(
    client, national_assessment, coordinator
):
    client.force_login(coordinator)
    page = client.get(f"/assessments/{national_assessment.pk}/").content.decode()
    assert "The archive can be made once the validated answers are approved." in page
    assert "Make the archive of this round" not in page
