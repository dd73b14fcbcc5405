"""What every browser test checks on every page it opens: accessibility (axe-core), that the
interface speaks one language, and that nothing scrolls sideways on a phone.

- **axe-core** (vendored from npm in tests/vendor/axe, test-only: it is never served) is put
  into the page with `page.evaluate`, which the browser runs through its debugging protocol:
  the portal's strict CSP refuses injected script tags and is not bypassed. It runs once per
  URL name and language (`Checker.seen`), with the WCAG 2.0/2.1 A and AA rules; a serious or
  critical violation fails.
- **One language.** Django's merged catalogue for Indonesian (the portal's messages and
  Django's own) gives pairs of English and Indonesian interface texts. A visible text node
  (or label attribute) of an Indonesian page that is exactly an English interface text,
  which has a different Indonesian translation, is a leak; and the reverse on English pages.
  Whole nodes are compared, so a person's own words (a justification, a title) are not
  mistaken for interface text unless they are exactly one. Elements with a `lang` other
  than the page's (the language switcher's own names, quoted originals) are skipped.
  Messages with placeholders ("%(count)s answers sent") become patterns, the placeholders
  matching anything; a pattern counts only when its fixed words hold at least two words of
  three letters or more, so "%(a)s: %(b)s" never matches a person's text.
- **390 px.** `document.documentElement.scrollWidth` must not exceed the viewport's width.
"""

from __future__ import annotations

import functools
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}

# Visible text nodes and label-like attributes, outside other-language elements.
TEXTS_JS = """
() => {
  const pageLang = document.documentElement.lang;
  const out = [];
  const skip = (el) => {
    const other = el.closest('[lang]');
    if (other && other !== document.documentElement && other.lang !== pageLang) return true;
    if (el.closest('script, style, code, pre, kbd, samp, [data-user-content], [hidden]')) return true;
    return !el.checkVisibility();
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text && node.parentElement && !skip(node.parentElement)) out.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], input[type=submit][value], input[type=button][value]')) {
    if (skip(el)) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = el.getAttribute(name);
      if (value) out.push(value.replace(/\\s+/g, ' ').trim());
    }
    if (el.matches('input[type=submit], input[type=button]')) out.push(el.value.trim());
  }
  return out;
}
"""

# A word in lower case: acronyms and codes ("PDF", "MGI", "1.3.1") are the same in both.
LETTERS = re.compile(r"[a-z]{2}")


@functools.cache
def interface_texts() -> tuple[frozenset[str], frozenset[str]]:
    """(English texts, Indonesian texts) of the interface whose two languages differ."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation("id")._catalog  # type: ignore[attr-defined]
    english, indonesian = set(), set()
    for msgid, msgstr in catalog.items():
        if isinstance(msgid, tuple):  # a plural form: (msgid, n)
            msgid = msgid[0]
        if not isinstance(msgid, str) or not isinstance(msgstr, str) or not msgstr:
            continue
        if "\x04" in msgid:  # pgettext: context, then the text
            msgid = msgid.split("\x04", 1)[1]
        msgid, msgstr = msgid.strip(), msgstr.strip()
        if msgid == msgstr or PLACEHOLDER.search(msgid) or "{" in msgid:
            continue
        if len(msgid) >= 3 and LETTERS.search(msgid):
            english.add(msgid)
        if len(msgstr) >= 3 and LETTERS.search(msgstr):
            indonesian.add(msgstr)
    # A text that is interface text in both languages ("Status", "Admin") is no leak.
    both = english & indonesian
    return frozenset(english - both), frozenset(indonesian - both)


PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd]")
WORD = re.compile(r"[A-Za-z]{3,}")


def _pattern(message: str) -> str | None:
    """A message with placeholders as a regular expression of the whole text node, or None
    when its fixed words are too few to tell interface text from a person's words."""
    parts = PLACEHOLDER.split(message.replace("%%", "%"))
    if len(WORD.findall(" ".join(parts))) < 2:
        return None
    return ".+?".join(re.escape(" ".join(part.split())) for part in parts)


@functools.cache
def interface_patterns() -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """(English, Indonesian) messages with placeholders, each language as one expression
    matching a whole text node; a message whose two languages read alike is left out."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation("id")._catalog  # type: ignore[attr-defined]
    english: set[str] = set()
    indonesian: set[str] = set()
    for msgid, msgstr in catalog.items():
        if isinstance(msgid, tuple):
            msgid = msgid[0]
        if not isinstance(msgid, str) or not isinstance(msgstr, str) or not msgstr:
            continue
        msgid = msgid.split("\x04", 1)[-1].strip()
        msgstr = msgstr.strip()
        if not PLACEHOLDER.search(msgid) or "{" in msgid:
            continue
        en, id_ = _pattern(msgid), _pattern(msgstr)
        if en and id_ and en != id_:
            english.add(en)
            indonesian.add(id_)

    def compiled(patterns: set[str]) -> re.Pattern[str] | None:
        return re.compile("|".join(sorted(patterns))) if patterns else None

    return compiled(english), compiled(indonesian)


def language_leaks(page: Any, language: str) -> list[str]:
    """Interface texts of the other language visible on the page: whole messages, and
    messages with placeholders filled in."""
    english, indonesian = interface_texts()
    english_patterns, indonesian_patterns = interface_patterns()
    other = english if language == "id" else indonesian
    other_patterns = english_patterns if language == "id" else indonesian_patterns
    own_patterns = indonesian_patterns if language == "id" else english_patterns
    leaks = set()
    for text in page.evaluate(TEXTS_JS):
        if text in other or (
            other_patterns is not None
            and other_patterns.fullmatch(text)
            and not (own_patterns is not None and own_patterns.fullmatch(text))
        ):
            leaks.add(text)
    return sorted(leaks)


def axe_violations(page: Any) -> list[str]:
    """Serious and critical WCAG 2.1 A/AA violations, one line each."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    lines = []
    for violation in result["violations"]:
        if violation["impact"] in FAILING_IMPACTS:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            lines.append(f"{violation['id']} ({violation['impact']}): {'; '.join(targets)}")
    return lines


def sideways_overflow(page: Any) -> int:
    """How many pixels the page is wider than the viewport (0 when it fits)."""
    return int(page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"))


@dataclass
class Checker:
    """Checks pages as a walk opens them, and says what failed at the end (so that one walk
    reports every problem at once, with the step that met it)."""

    language: str
    artifacts: Path | None = None
    seen: set[tuple[str, str]] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    shots: int = 0

    def check(self, page: Any, step: str) -> None:
        from django.urls import Resolver404, resolve

        path = page.url.split("://", 1)[-1].split("/", 1)[-1].split("?")[0]
        try:
            name = resolve("/" + path).url_name or path
        except Resolver404:
            name = path
        lang = page.evaluate("() => document.documentElement.lang")
        if lang != self.language:
            self.problems.append(f"{step}: <html lang={lang!r}>, expected {self.language!r}")
        for leak in language_leaks(page, self.language):
            self.problems.append(f"{step} ({name}): text in the other language: {leak!r}")
        width = page.viewport_size["width"] if page.viewport_size else 0
        if width <= 400 and (over := sideways_overflow(page)) > 0:
            self.problems.append(f"{step} ({name}): scrolls sideways by {over} px at {width} px")
        if (name, self.language) not in self.seen:
            self.seen.add((name, self.language))
            for line in axe_violations(page):
                self.problems.append(f"{step} ({name}): axe {line}")
        if self.artifacts is not None:
            self.shots += 1
            self.artifacts.mkdir(parents=True, exist_ok=True)
            slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
            page.screenshot(
                path=str(self.artifacts / f"{self.language}-{self.shots:02d}-{slug}.png"),
                full_page=False,
            )

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)
