"""Every user-facing string ships in English and Bahasa Indonesia."""

import html
import re
from pathlib import Path

import polib
import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

pytestmark = pytest.mark.django_db


def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def test_every_string_has_an_indonesian_translation():
    po = catalogue()
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def test_compiled_catalogue_matches_the_po_file():
    po = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0)
        for e in catalogue().translated_entries()
    }
    mo = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.mofile(str(MO))}
    assert {k: v for k, v in mo.items() if k[1]} == po


PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/password-reset/",
    "/accounts/password-reset/sent/",
    "/accounts/reset/MQ/bad-token/",
    "/accounts/reset/done/",
    "/framework/",
    "/framework/mgi-national-2023/",
    "/framework/mgi-national-2023/?q=zzzz",
    "/framework/mgi-national-2023/1.1.1/",
    "/framework/mgi-local-2023/1.3.2/",
    "/framework/mgi-national-2023/gcm/15/",
]


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    # Text marked as English on purpose (the other language's version of a question).
    page = re.sub(r"<(\w+)[^>]*\slang=\"en\"[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page))


def english_strings_left(client: Client, path: str) -> list[str]:
    client.cookies["django_language"] = "en"
    english = visible_text(client.get(path).content.decode())
    client.cookies["django_language"] = "id"
    response = client.get(path)
    assert response.status_code == 200, path
    indonesian = visible_text(response.content.decode())
    left = []
    for entry in catalogue().translated_entries():
        msgid = entry.msgid
        if "%(" in msgid or "{{" in msgid or len(msgid) < 4 or entry.msgstr == msgid:
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(msgid)}(?!\w)")
        if pattern.search(english) and pattern.search(indonesian):
            left.append(msgid)
    return left


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_fully_translated_for_visitors(client, path):
    assert english_strings_left(client, path) == []


@pytest.mark.parametrize("path", ["/", "/framework/mgi-national-2023/"])
def test_pages_are_fully_translated_for_signed_in_users(client, focal_a, path):
    client.force_login(focal_a)
    assert english_strings_left(client, path) == []


# The code and templates makemessages reads (the top-level folders with translatable text).
SOURCE_FOLDERS = (
    "assessments",
    "audit",
    "config",
    "indicators",
    "ministries",
    "reports",
    "templates",
)


def test_the_catalogue_holds_every_message_of_the_source(tmp_path, settings, monkeypatch):
    """makemessages, run over the source into a copy of the catalogue, adds nothing
    untranslated: a string marked for translation but never put into django.po (so shown in
    English on Indonesian pages) fails here. The source is linked into a folder of its own,
    because makemessages writes to the `locale` folder it finds beside the code."""
    from django.core.management import call_command

    for name in SOURCE_FOLDERS:
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    copy = tmp_path / "locale" / "id" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    (copy / "django.po").write_bytes(PO.read_bytes())
    before = PO.read_bytes()
    settings.LOCALE_PATHS = [str(tmp_path / "locale")]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["id"], symlinks=True, no_obsolete=True, verbosity=0)
    assert PO.read_bytes() == before  # the real catalogue is not touched
    merged = polib.pofile(str(copy / "django.po"))
    missing = [e.msgid for e in merged.untranslated_entries() + merged.fuzzy_entries()]
    assert not missing, f"not in locale/id/LC_MESSAGES/django.po: {missing[:10]}"
