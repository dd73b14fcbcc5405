import contextlib
import os
import socket
import threading
from typing import Any

from celery import Celery
from celery.signals import worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("mgi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# --- worker heartbeat for /readyz ---------------------------------------------------------
# Each worker refreshes a key in Redis with a time to live; /readyz counts the keys that
# have not expired. A worker that dies (even by SIGKILL) drops out after the TTL.
_stop_heartbeat = threading.Event()


def _heartbeat_loop(hostname: str) -> None:
    from django.conf import settings

    from config.health import HEARTBEAT_PREFIX, redis_client

    ttl = settings.MGI_WORKER_HEARTBEAT_TTL
    key = f"{HEARTBEAT_PREFIX}{hostname}"
    client = redis_client()
    if client is None:
        return
    while not _stop_heartbeat.is_set():
        # Redis away for a moment: try again at the next beat.
        with contextlib.suppress(Exception):
            client.set(key, "1", ex=ttl)
        _stop_heartbeat.wait(max(ttl / 3, 0.5))
    with contextlib.suppress(Exception):
        client.delete(key)


@worker_ready.connect
def start_heartbeat(sender: Any = None, **kwargs: Any) -> None:
    hostname = getattr(sender, "hostname", None) or socket.gethostname()
    _stop_heartbeat.clear()
    threading.Thread(
        target=_heartbeat_loop, args=(hostname,), name="mgi-heartbeat", daemon=True
    ).start()


@worker_shutdown.connect
def stop_heartbeat(**kwargs: Any) -> None:
    _stop_heartbeat.set()
