"""The browser walk's language check finds interface text of the other language, also in
messages with placeholders, and leaves a person's own words alone. No browser: a page that
only answers the text-collecting script stands in for one."""

from typing import Any

import pytest

from tests.browser_checks import _pattern, language_leaks


class TextsPage:
    def __init__(self, texts: list[str]) -> None:
        self.texts = texts

    def evaluate(self, script: str, *args: Any) -> list[str]:
        return self.texts


def test_a_filled_in_english_message_on_an_indonesian_page_is_a_leak() -> None:
    english = "The indicator 1.3.1 appears twice (also in row 7)."
    indonesian = "Indikator 1.3.1 muncul dua kali (juga di baris 7)."
    assert language_leaks(TextsPage([english, indonesian]), "id") == [english]
    assert language_leaks(TextsPage([english, indonesian]), "en") == [indonesian]


def test_whole_messages_are_still_found() -> None:
    assert language_leaks(TextsPage(["Nothing to add"]), "id") == ["Nothing to add"]


@pytest.mark.parametrize(
    "text",
    [
        "Demonstration: no provincial measure was found for this indicator.",
        "1.3.1: Yes",
        "Kemnaker, BP2MI",
    ],
)
def test_a_persons_words_and_short_templates_are_no_leak(text: str) -> None:
    assert language_leaks(TextsPage([text]), "id") == []


def test_a_message_of_placeholders_and_punctuation_gives_no_pattern() -> None:
    assert _pattern("%(code)s: %(answer)s") is None
    assert _pattern("%(a)s of %(b)s") is None
    assert _pattern("Sent %(count)s answers to review") == "Sent.+?answers\\ to\\ review"
