"""Migration 0006: evidence files and answers-workbook imports from their old, guessable
names (`evidence/<year>/<month>/<uploaded name>`, `imports/<assessment>/<hex>.xlsx`) to
random ones, and back. Its data functions run here on rows and files set up as the old
code left them; `on_commit` callbacks stand for the migration's commit."""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection

from assessments.models import AnswersWorkbookImport, Evidence
from tests.conftest import EVIDENCE_PDF

pytestmark = pytest.mark.django_db

migration = importlib.import_module("assessments.migrations.0006_evidence_stored_names")
SCHEMA_EDITOR = SimpleNamespace(connection=connection)
RANDOM_PDF = re.compile(r"^evidence/[0-9a-f]{2}/[0-9a-f]{32}\.pdf$")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def as_before(evidence: Evidence, name: str, *, content_type: str | None = None) -> str:
    """Put the evidence's file where the old code stored it, its row and history as then."""
    storage = evidence.file.storage
    old = storage.save(name, ContentFile(EVIDENCE_PDF))
    storage.delete(evidence.file.name)
    fields = {"file": old, "original_name": ""}
    Evidence.objects.filter(pk=evidence.pk).update(
        **fields, content_type=evidence.content_type if content_type is None else content_type
    )
    Evidence.history.filter(id=evidence.pk).update(**fields)
    return old


def forward(capture, *, commit: bool = True) -> None:
    with capture(execute=commit):
        migration.evidence_to_random_names(apps, SCHEMA_EDITOR)


def backward(capture) -> None:
    with capture(execute=True):
        migration.evidence_to_old_names(apps, SCHEMA_EDITOR)


def test_old_evidence_files_move_to_random_names_keeping_their_names(
    evidence_file_a, django_capture_on_commit_callbacks
):
    old = as_before(evidence_file_a, "evidence/2024/05/Permenaker 9-2019.pdf")
    storage = evidence_file_a.file.storage
    forward(django_capture_on_commit_callbacks)
    evidence_file_a.refresh_from_db()
    new = evidence_file_a.file.name
    assert RANDOM_PDF.match(new), new
    assert evidence_file_a.original_name == "Permenaker 9-2019.pdf"
    assert storage.exists(new) and not storage.exists(old)
    with storage.open(new, "rb") as handle:
        assert handle.read() == EVIDENCE_PDF
    # The history names the file where it now is.
    assert set(Evidence.history.filter(id=evidence_file_a.pk).values_list("file", flat=True)) == {
        new
    }
    # Run again, nothing moves.
    forward(django_capture_on_commit_callbacks)
    evidence_file_a.refresh_from_db()
    assert evidence_file_a.file.name == new


def test_the_old_file_stays_until_the_migration_commits(
    evidence_file_a, django_capture_on_commit_callbacks
):
    """A migration that fails after moving some files rolls its rows back: each row must
    still name a file that exists, so the old one is deleted only on commit."""
    old = as_before(evidence_file_a, "evidence/2024/05/Permenaker 9-2019.pdf")
    forward(django_capture_on_commit_callbacks, commit=False)
    evidence_file_a.refresh_from_db()
    storage = evidence_file_a.file.storage
    assert storage.exists(old) and storage.exists(evidence_file_a.file.name)


def test_a_row_without_a_detected_type_gets_one_and_a_missing_file_keeps_its_name(
    evidence_file_a, focal_a, django_capture_on_commit_callbacks
):
    as_before(evidence_file_a, "evidence/2023/01/scan.pdf", content_type="")
    gone = Evidence.objects.create(
        assessment=evidence_file_a.assessment,
        institution=evidence_file_a.institution,
        kind="file",
        title="Lost",
        file="evidence/2020/01/gone.pdf",
        content_type="application/pdf",
        created_by=focal_a,
    )
    forward(django_capture_on_commit_callbacks)
    evidence_file_a.refresh_from_db()
    gone.refresh_from_db()
    assert evidence_file_a.content_type == "application/pdf"
    assert RANDOM_PDF.match(evidence_file_a.file.name)
    assert (gone.file.name, gone.original_name) == ("evidence/2020/01/gone.pdf", "gone.pdf")


def test_going_back_restores_the_old_layout(evidence_file_a, django_capture_on_commit_callbacks):
    as_before(evidence_file_a, "evidence/2024/05/Permenaker 9-2019.pdf")
    forward(django_capture_on_commit_callbacks)
    evidence_file_a.refresh_from_db()
    moved = evidence_file_a.file.name
    backward(django_capture_on_commit_callbacks)
    evidence_file_a.refresh_from_db()
    created = evidence_file_a.created_at
    expected = f"evidence/{created:%Y}/{created:%m}/Permenaker 9-2019.pdf"
    assert evidence_file_a.file.name == expected
    storage = evidence_file_a.file.storage
    assert storage.exists(expected) and not storage.exists(moved)


def test_kept_workbook_imports_move_to_random_names_and_back(
    national_assessment, focal_a, django_capture_on_commit_callbacks
):
    upload = AnswersWorkbookImport(
        assessment=national_assessment,
        institution=focal_a.institution,
        uploaded_by=focal_a,
        filename="Kemnaker answers.xlsx",
    )
    storage = upload.file.storage
    old = storage.save(f"imports/{national_assessment.pk}/{'a' * 32}.xlsx", ContentFile(b"PK"))
    upload.file.name = old
    upload.save()
    forward(django_capture_on_commit_callbacks)
    upload.refresh_from_db()
    assert re.match(r"^imports/[0-9a-f]{2}/[0-9a-f]{32}\.xlsx$", upload.file.name)
    assert storage.exists(upload.file.name) and not storage.exists(old)
    backward(django_capture_on_commit_callbacks)
    upload.refresh_from_db()
    assert upload.file.name.startswith(f"imports/{national_assessment.pk}/")


def test_new_imports_are_stored_under_random_names(national_assessment, focal_a):
    upload = AnswersWorkbookImport(
        assessment=national_assessment,
        institution=focal_a.institution,
        uploaded_by=focal_a,
        filename="../../etc/answers.xlsx",
    )
    upload.file.save("../../etc/answers.xlsx", ContentFile(b"PK"), save=False)
    assert re.match(r"^imports/[0-9a-f]{2}/[0-9a-f]{32}\.xlsx$", upload.file.name)
