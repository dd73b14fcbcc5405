"""/healthz and /readyz, and the worker heartbeat that /readyz reports."""

import time
from types import SimpleNamespace

import pytest
import redis

from config import celery as celery_module
from config.health import HEARTBEAT_PREFIX, redis_client

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_probes_need_no_allowed_host_and_no_https(client, settings):
    settings.ALLOWED_HOSTS = ["mgi.example.go.id"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    # Any other page is still refused for that host.
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_readyz_reports_database_redis_and_workers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True}
    assert body["redis"] == {"ok": True}
    # Worker tests in other xdist processes may have live heartbeats; the count is theirs.
    assert body["workers"]["alive"] == len(body["workers"]["names"])


def test_readyz_is_503_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["redis"]["ok"] is False
    assert response.json()["status"] == "unavailable"


def test_readyz_is_503_with_unapplied_migrations(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: ["0042"])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"]["error"] == "unapplied migrations"


def test_worker_heartbeat_lives_in_redis_with_a_ttl_and_goes_at_shutdown(client, settings):
    settings.MGI_WORKER_HEARTBEAT_TTL = 3
    client_redis = redis_client()
    assert isinstance(client_redis, redis.Redis)
    key = f"{HEARTBEAT_PREFIX}test-worker@{settings.XDIST_WORKER or 'main'}"
    celery_module.start_heartbeat(
        sender=SimpleNamespace(hostname=key.removeprefix(HEARTBEAT_PREFIX))
    )
    try:
        for _ in range(50):
            if client_redis.exists(key):
                break
            time.sleep(0.05)
        assert client_redis.exists(key)
        assert 0 < client_redis.ttl(key) <= 3
        assert (
            key.removeprefix(HEARTBEAT_PREFIX) in client.get("/readyz").json()["workers"]["names"]
        )
    finally:
        celery_module.stop_heartbeat()
    for _ in range(50):
        if not client_redis.exists(key):
            break
        time.sleep(0.05)
    assert not client_redis.exists(key)
