"""The task path through a real Celery worker process and a real Redis."""

import re
import time

import pytest

from ministries.models import User

from .conftest import load_reference_data


def wait_for_files(directory, timeout: float = 30.0, containing: str = "") -> list:
    """The mail files the worker wrote (those containing `containing`): the worker shares
    its queue with the test process, so a mail another test queued may come first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = [f for f in sorted(directory.glob("*.log")) if containing in f.read_text()]
        if files:
            return files
        time.sleep(0.2)
    return []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_password_reset_email_is_sent_by_the_worker_process(client, celery_worker_process):
    load_reference_data()  # a transactional test starts from an empty database
    User.objects.create_user(
        username="worker-user",
        email="worker@kemnaker.go.id",
        password="x",
        role=User.Role.FACILITATOR,
    )
    response = client.post("/accounts/password-reset/", {"email": "worker@kemnaker.go.id"})
    assert response.status_code == 302

    files = wait_for_files(celery_worker_process.mail_dir, containing="To: worker@kemnaker")
    assert files, celery_worker_process.log.read_text()[-3000:]
    message = files[0].read_text()
    assert "To: worker@kemnaker.go.id" in message
    assert re.search(r"/accounts/reset/[^/\s]+/[^/\s]+/", message)
    assert "ministries.send_email" in celery_worker_process.log.read_text()
