"""Shared set-up for the benchmarks: a throwaway database, a bare view, timing helpers."""

import gc
import os
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def setup_django() -> None:
    django.setup()


@contextmanager
def benchmark_database() -> Iterator[None]:
    """A fresh test database with the framework, institutions and demo loaded."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # Not django.test's setup_test_environment: its instrumented template rendering copies
    # the context on every render and would be measured as if it were the portal's cost.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        with open(os.devnull, "w") as devnull:
            call_command("load_framework", stdout=devnull)
            call_command("seed_demo", stdout=devnull)
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def bare_view(request: Any) -> Any:
    """The baseline: the full middleware stack and a session, no work of our own."""
    from django.http import HttpResponse

    return HttpResponse("ok")


def time_calls(fn: Callable[[], Any], *, repeat: int = 20, warmup: int = 2) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return {
        "median_s": statistics.median(samples),
        "min_s": min(samples),
        "max_s": max(samples),
        "runs": repeat,
    }


def interleaved(
    fns: dict[str, Callable[[], Any]], *, rounds: int = 30, warmup: int = 2
) -> dict[str, float]:
    """Median time of each call, the calls taken in turn round after round, so that a
    slower stretch of a shared machine weighs on all of them alike (a ratio between them
    then measures the code, not the moment)."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            gc.collect()
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def peak_memory(fn: Callable[[], Any]) -> float:
    """Peak Python allocation of one call, in MiB."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / (1024 * 1024)


def bare_view_time(client: Any, *, repeat: int = 50) -> float:
    return time_calls(lambda: client.get("/__bench__/bare/"), repeat=repeat)["median_s"]
