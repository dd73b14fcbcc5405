"""The retry rules every task that produces a file (a profile render, a round archive, a
steering review's minutes) follows, written once: transient database and connection errors
are retried with back-off, after marking the row queued again (a row seen "rendering" when
its task starts is one whose worker died); the last retry, a soft time limit or any other
error fails the row with its reason."""

from collections.abc import Callable
from contextlib import suppress
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

TRANSIENT = (OperationalError, InterfaceError, ConnectionError)


def run_with_retries(
    task: Any,
    work: Callable[[], object],
    *,
    fail: Callable[[str], None],
    retry_later: Callable[[str], None],
    too_long: str,
) -> None:
    """Run `work` inside the bound Celery `task`; `fail` and `retry_later` take the error."""
    try:
        work()
    except SoftTimeLimitExceeded:
        fail(too_long)
    except TRANSIENT as exc:
        error = f"{type(exc).__name__}: {exc}"
        if task.request.retries >= task.max_retries:
            fail(error)
            return
        with suppress(*TRANSIENT):
            retry_later(error)
        raise task.retry(exc=exc, countdown=2**task.request.retries) from exc
    except Exception as exc:
        fail(f"{type(exc).__name__}: {exc}")
        raise
