"""The round archive's fixture (reports/archive), registered in tests/conftest.py."""

import pytest


@pytest.fixture
def round_archive_done(approved_assessment, coordinator):
    """The archive of the approved assessment (no profile yet), requested by its coordinator
    and built here; its file is deleted after."""
    from reports.archive import services

    archive = services.archive_request(assessment=approved_assessment, actor=coordinator)
    archive = services.archive_build(archive_id=archive.pk)
    assert archive.status == "done", archive.error
    yield archive
    archive.file.storage.delete(archive.file.name)
