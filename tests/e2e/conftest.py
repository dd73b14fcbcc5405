"""The browser walk's machinery: one Chromium per pytest-xdist worker, a browser context per
persona (its own cookies, language and screen), signed in through the login page, and a
`Walk` that checks every page it opens (tests/browser_checks.py) and keeps a screenshot of
each step in tests/artifacts/walk/<language>/ (git-ignored)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.browser_checks import Checker
from tests.conftest import load_reference_data

ARTIFACTS = (
    Path(os.environ.get("MGI_TEST_ARTIFACTS") or Path(__file__).parent.parent / "artifacts")
    / "walk"
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "walk-pass-2031"
LANGUAGES = ("en", "id")
# Budget of one stage test (pytest-timeout); a stage takes well under a minute.
STAGE_TIMEOUT = 180


def t(language: str, message: str, context: str | None = None) -> str:
    """The interface text `message` as a person reading `language` sees it."""
    with translation.override(language):
        if context:
            return translation.pgettext(context, message)
        return translation.gettext(message)


@dataclass
class Walk:
    """One stage's walk in one language: its personas' pages and the checks of each step."""

    browser: Any
    base: str
    language: str
    stage: str
    checker: Checker
    contexts: list[Any] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def t(self, message: str, context: str | None = None) -> str:
        return t(self.language, message, context)

    def n(self, singular: str, plural: str, count: int, **values: Any) -> str:
        """A counted interface text (ngettext) with its placeholders filled."""
        with translation.override(self.language):
            return translation.ngettext(singular, plural, count) % {"count": count, **values}

    def url(self, name: str, *args: Any) -> str:
        return self.base + reverse(name, args=args)

    def persona(self, username: str | None, *, phone: bool = False) -> Any:
        """A new page for a person (None: an anonymous visitor) whose browser asks for the
        walk's language, signed in through the login page."""
        context = self.browser.new_context(
            viewport=PHONE if phone else DESKTOP,
            locale="id-ID" if self.language == "id" else "en-GB",
        )
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": self.language, "url": self.base}]
        )
        self.contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda m: (
                self.console_errors.append(f"{username}: {m.text}") if m.type == "error" else None
            ),
        )
        if username:
            page.goto(self.url("login"))
            self.check(page, f"{username} signs in")
            page.get_by_label(self.t("Username")).fill(username)
            page.get_by_label(self.t("Password"), exact=True).fill(PASSWORD)
            page.get_by_role("button", name=self.t("Log in")).click()
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    def check(self, page: Any, step: str) -> None:
        page.wait_for_load_state("load")
        self.checker.check(page, f"{self.stage} {step}")

    def finish(self) -> None:
        for context in self.contexts:
            context.close()
        csp = [e for e in self.console_errors if "Content Security Policy" in e]
        assert not csp, csp
        self.checker.assert_clean()


@pytest.fixture
def walk(request, live_server, browser, transactional_db) -> Iterator[Walk]:
    """A stage's walk in the language it is parametrized with (`lang`). Reference data is
    flushed between transactional tests, so it is loaded again first."""
    load_reference_data()
    language = request.getfixturevalue("lang")
    stage = request.node.originalname.removeprefix("test_")
    checker = Checker(language, artifacts=ARTIFACTS / language / stage)
    w = Walk(browser, live_server.url, language, stage, checker)
    try:
        yield w
    finally:
        for context in w.contexts:
            context.close()
        w.contexts.clear()


def make_user(username: str, role: str, institution: Any = None, language: str = "") -> Any:
    """A person who signs in with PASSWORD."""
    from ministries.models import User

    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        institution=institution,
        first_name=username.split("-")[0].title(),
        email=f"{username}@example.go.id",
    )
    if language and hasattr(user, "language"):
        user.language = language
        user.save(update_fields=["language"])
    return user
