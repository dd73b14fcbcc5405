"""Redis restarted while renders and emails are queued, and its queue lost.

The test runs its own Redis (a throwaway server on a free port, no persistence) and its own
Celery worker process on it, so restarting Redis disturbs no other test. Two profile renders,
two password-reset emails and a deadline reminder are queued; Redis is restarted empty
before any worker took them. Then what beat runs is sent to the worker, as time had passed
(rows backdated): every render ends done with exactly one file, every email goes out at least
once and at most once more, and running the beat tasks again sends nothing more.
"""

import datetime
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from assessments import notifications
from assessments.models import Assessment, DeadlineReminder
from assessments.setup import services as setup_services
from config.celery import app
from indicators.models import FrameworkVersion
from ministries.models import OutgoingMail
from reports import services
from reports.models import ProfileRender

from .conftest import load_reference_data

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


NO_DISK = ("--appendonly", "no", "--dir")  # followed by the test's folder
WORKER_OPTIONS = (
    "--loglevel=INFO",
    "--concurrency=1",
    "--without-gossip",
    "--without-mingle",
    "--hostname=fault-worker@%h",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OwnRedis:
    """A redis-server of this test alone; `restart()` brings it back empty."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        # The database number of this xdist worker, as the worker process's settings pick it.
        own = urlsplit(settings.CELERY_BROKER_URL)._replace(netloc=f"127.0.0.1:{self.port}")
        self.url = own.geturl()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed: run the suite with `make test`.")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                *NO_DISK,
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        client = self.client()
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        pytest.fail("the test's Redis did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=2)

    def queued(self) -> int:
        return int(self.client().llen("celery"))


@pytest.fixture
def own_redis(tmp_path) -> Iterator[OwnRedis]:
    server = OwnRedis(tmp_path)
    server.start()
    eager, broker = app.conf.task_always_eager, app.conf.broker_url
    app.conf.update(task_always_eager=False, broker_url=server.url)
    _drop_producer_pool()
    try:
        yield server
    finally:
        app.conf.update(task_always_eager=eager, broker_url=broker)
        _drop_producer_pool()
        server.stop()


def _drop_producer_pool() -> None:
    """The test process sends its tasks through pools bound to one broker: forget them (as
    celery does after a fork), so the next task goes to the broker now configured."""
    app._after_fork()  # type: ignore[attr-defined]


def start_worker(broker_url: str, folder: Path) -> SimpleNamespace:
    db = connection.settings_dict
    mail_dir = folder / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": broker_url,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
    }
    log = folder / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", *WORKER_OPTIONS],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 90
    while "ready." not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the Celery worker did not start:\n{log.read_text()}")
        time.sleep(0.2)
    return SimpleNamespace(process=process, log=log, mail_dir=mail_dir)


def wait_until(check, what: str, worker, timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen:\n{worker.log.read_text()[-4000:]}")
        time.sleep(0.5)


def mails_to(mail_dir: Path) -> list[str]:
    """The recipient of each mail the worker wrote (file backend: one file per connection)."""
    if not mail_dir.exists():
        return []
    return [
        line.removeprefix("To: ").strip()
        for path in sorted(mail_dir.glob("*.log"))
        for line in path.read_text().splitlines()
        if line.startswith("To: ")
    ]


@pytest.fixture
def reference_data(transactional_db) -> None:
    load_reference_data()  # a transactional test starts from an empty database


def collecting(coordinator, institution) -> Assessment:
    """A second assessment in data collection, its deadline three days away, where the
    institution leads one indicator it has not answered: its reminder is due today."""
    framework = FrameworkVersion.objects.get(code="mgi-national-2023")
    assessment = setup_services.assessment_create(
        actor=coordinator,
        framework=framework,
        year=2031,
        title_en="Reminded",
        title_id="Diingatkan",
    )
    indicator = framework.indicators.get(code="1.3.1")
    setup_services.matrix_apply(
        assessment=assessment, actor=coordinator, cells={(indicator.pk, institution.pk): "lead"}
    )
    deadline = timezone.localdate() + datetime.timedelta(days=notifications.REMINDER_DAYS)
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.DATA_COLLECTION, data_collection_deadline=deadline
    )
    return assessment


def test_renders_and_mails_queued_when_redis_loses_its_queue_all_end(
    reference_data, draft_profile, coordinator, focal_a, own_redis, tmp_path
):
    pdfs = Path(settings.MEDIA_ROOT) / "profiles"
    files_before = set(pdfs.rglob("*.pdf"))
    mails_before = set(OutgoingMail.objects.values_list("pk", flat=True))
    coordinator.email, focal_a.email = "coordinator@kemlu.go.id", "focal@kemnaker.go.id"
    coordinator.save()
    focal_a.save()
    collecting(coordinator, focal_a.institution)

    # Queued: two renders, two password-reset mails, a deadline reminder.
    for language in ("en", "id"):
        services.render_request(profile=draft_profile, language=language, actor=coordinator)
    client = Client()
    for email in (coordinator.email, focal_a.email):
        assert client.post("/accounts/password-reset/", {"email": email}).status_code == 302
    assert notifications.deadline_reminders(today=timezone.localdate()) == 1
    assert own_redis.queued() == 5

    own_redis.restart()
    assert own_redis.queued() == 0  # the queue is lost
    worker = start_worker(own_redis.url, tmp_path)
    try:
        # Time passes; beat sends its tasks (they run on the worker).
        ProfileRender.objects.update(requested_at=timezone.now() - datetime.timedelta(hours=1))
        OutgoingMail.objects.update(due_at=timezone.now() - datetime.timedelta(hours=1))
        DeadlineReminder.objects.update(claimed_at=timezone.now() - datetime.timedelta(hours=7))
        for task in BEAT_TASKS:
            app.send_task(task)

        wait_until(
            lambda: not ProfileRender.objects.exclude(status__in=["done", "failed"]).exists(),
            "both renders finishing",
            worker,
        )
        wait_until(
            lambda: (
                not OutgoingMail.objects.filter(sent_at=None, failed_at=None).exists()
                and not DeadlineReminder.objects.filter(sent_at=None).exists()
            ),
            "every mail going out",
            worker,
        )
        renders = list(ProfileRender.objects.order_by("language"))
        assert [(r.language, r.status, r.error) for r in renders] == [
            ("en", "done", ""),
            ("id", "done", ""),
        ]
        stored = set(pdfs.rglob("*.pdf")) - files_before
        assert stored == {Path(r.file.path) for r in renders}  # one file each, no more

        # Beat again, much later: nothing is sent or rendered twice.
        ProfileRender.objects.update(requested_at=timezone.now() - datetime.timedelta(hours=2))
        OutgoingMail.objects.update(due_at=timezone.now() - datetime.timedelta(hours=2))
        sent = mails_to(worker.mail_dir)
        finished = worker.log.read_text().count(" succeeded in ")
        for task in BEAT_TASKS:
            app.send_task(task)
        wait_until(
            lambda: worker.log.read_text().count(" succeeded in ") >= finished + len(BEAT_TASKS),
            "the beat tasks ending",
            worker,
        )
    finally:
        worker.process.terminate()
        worker.process.wait(timeout=30)

    assert mails_to(worker.mail_dir) == sent
    # Each at least once, at most once more: the reset to each, the reminder to the focal point.
    assert sorted(set(sent)) == sorted({coordinator.email, focal_a.email})
    assert 1 <= sent.count(coordinator.email) <= 2
    assert 2 <= sent.count(focal_a.email) <= 4
    new_mails = OutgoingMail.objects.exclude(pk__in=mails_before)
    assert new_mails.count() == 2
    assert all(m.sent_at and m.body == "" for m in new_mails)  # no reset link kept
    assert set(pdfs.rglob("*.pdf")) - files_before == stored


BEAT_TASKS = (
    "reports.reap_stuck_renders",
    "ministries.requeue_mail",
    "assessments.deadline_reminders",
)
