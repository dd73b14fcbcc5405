"""The browser fixture of every browser test (a pytest plugin: tests/conftest.py lists it)."""

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium (Debian's) for every browser test this xdist worker runs:
    Playwright's sync API allows one running instance per thread."""
    import os

    from playwright.sync_api import sync_playwright

    from .browser_checks import ARGS, CHROMIUM

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in this thread
    assert os.path.exists(CHROMIUM), "Chromium is missing: `make test` installs it"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
