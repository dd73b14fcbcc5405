"""Health endpoints for the compose file, a load balancer or a monitor.

`/healthz`: the process is up (no database access). `/readyz`: the database answers and
has every migration applied, and Redis answers; 503 if any of them fails. Whether a Celery
worker is alive is reported too, from the heartbeat keys the workers refresh in Redis
(`config.celery`), but it does not fail readiness: one dead worker must not take the web
processes out of a load balancer.
"""

from typing import Any

import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

HEARTBEAT_PREFIX = "mgi:worker-heartbeat:"


def redis_client() -> redis.Redis | None:
    if not settings.REDIS_URL:
        return None
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> dict[str, Any]:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # any failure to reach the database makes the process unready
        return {"ok": False, "error": exc.__class__.__name__}
    if pending:
        return {"ok": False, "error": "unapplied migrations", "pending": len(pending)}
    return {"ok": True}


def _redis() -> tuple[dict[str, Any], dict[str, Any]]:
    """Redis itself, and the workers whose heartbeat key has not expired."""
    client = redis_client()
    if client is None:
        # Zero-setup mode: tasks run eagerly in the web process, there is no Redis.
        return {"ok": True, "configured": False}, {"alive": 0, "eager": True}
    try:
        client.ping()
        workers = sorted(
            key.decode().removeprefix(HEARTBEAT_PREFIX)
            for key in client.scan_iter(match=f"{HEARTBEAT_PREFIX}*", count=100)
        )
    except redis.RedisError as exc:
        return {"ok": False, "error": exc.__class__.__name__}, {"alive": 0}
    return {"ok": True}, {"alive": len(workers), "names": workers}


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    database = _database()
    redis_state, workers = _redis()
    ready = database["ok"] and redis_state["ok"]
    body = {
        "status": "ok" if ready else "unavailable",
        "database": database,
        "redis": redis_state,
        "workers": workers,
    }
    return JsonResponse(body, status=200 if ready else 503)


class HealthCheckMiddleware:
    """Answers /healthz and /readyz before anything else: a probe from the container
    runtime or a load balancer names no allowed host and speaks plain HTTP, so host
    validation and the HTTPS redirect must not stand in its way."""

    PATHS = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response: Any):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        view = self.PATHS.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)
