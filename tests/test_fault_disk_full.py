"""The media disk full during an upload (as root, permissions cannot make a folder
unwritable: the storage is made to fail as a full disk does, after writing part of the file).
The person is told that nothing was saved (507, page or JSON, in their language); no evidence
row names a missing file, the answer the file was for is unchanged, and no partial file is
left in the media folder."""

import errno
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from assessments.models import Evidence
from config.storage import MediaStorage

from .conftest import EVIDENCE_PDF

pytestmark = pytest.mark.django_db

FULL_EN = "The server has no room left to store files, so nothing was saved."


@pytest.fixture
def full_disk(monkeypatch):
    """Every file save writes its first bytes, then fails with ENOSPC."""
    written = []

    def save_part_then_fail(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4\n")  # what the disk took before it filled up
        written.append(path)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(FileSystemStorage, "_save", save_part_then_fail)
    return written


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "evidence"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_files_are_stored_by_the_storage_that_cleans_up():
    assert isinstance(default_storage, MediaStorage)


def pdf(name: str = "Permenaker 9-2019.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EVIDENCE_PDF, "application/pdf")


def test_an_upload_to_a_full_disk_saves_nothing_and_says_so(
    client, full_disk, focal_a, national_assessment, response_a
):
    before_files = media_files()
    client.force_login(focal_a)
    result = client.post(
        f"/assessments/{national_assessment.pk}/evidence/",
        {"kind": "file", "title": "Ministerial regulation 9/2019", "file": pdf()},
    )
    assert result.status_code == 507
    html = result.content.decode()
    assert FULL_EN in html and "tell the portal&#x27;s administrator" in html
    assert full_disk and not full_disk[0].exists()  # the partial file was removed
    assert not Evidence.objects.filter(assessment=national_assessment).exists()
    assert media_files() == before_files

    # Attached to an answer through the API, in Indonesian: the answer stays as it was.
    api = APIClient()
    api.force_authenticate(focal_a)
    result = api.post(
        f"/api/v1/responses/{response_a.pk}/evidence/",
        {"kind": "file", "title": "Scan", "file": pdf("scan.pdf"), "version": 1},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert result.status_code == 507
    assert "Server tidak lagi memiliki ruang" in result.json()["detail"]
    response_a.refresh_from_db()
    assert response_a.version == 1 and not response_a.evidence.exists()
    assert not Evidence.objects.filter(assessment=national_assessment).exists()
    assert media_files() == before_files
    assert len(full_disk) == 2 and not any(p.exists() for p in full_disk)


def test_once_there_is_room_again_the_same_upload_is_stored(monkeypatch):
    """The storage itself: a failed save leaves nothing, the next one stores the file."""
    storage = MediaStorage(location=settings.MEDIA_ROOT)
    original = FileSystemStorage._save
    calls = []

    def fail_once(self, name, content):
        calls.append(name)
        if len(calls) == 1:
            Path(self.path(name)).parent.mkdir(parents=True, exist_ok=True)
            Path(self.path(name)).write_bytes(b"half")
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", fail_once)
    with pytest.raises(OSError, match="No space left on device"):
        storage.save("evidence/ff/ff-test-full.pdf", pdf())
    assert not storage.exists("evidence/ff/ff-test-full.pdf")
    name = storage.save("evidence/ff/ff-test-full.pdf", pdf())
    try:
        assert storage.open(name).read() == EVIDENCE_PDF
    finally:
        storage.delete(name)
