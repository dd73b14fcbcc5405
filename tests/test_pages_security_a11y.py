"""Page-level guarantees: strict CSP with no inline script, language attribute, labelled fields."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/password-reset/",
    "/framework/",
    "/framework/mgi-national-2023/",
    "/framework/mgi-national-2023/1.1.1/",
    "/framework/mgi-national-2023/gcm/15/",
]


class PageAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.labels: set[str] = set()
        self.fields: list[dict[str, str | None]] = []
        self.inline_scripts = 0
        self.inline_styles = 0
        self.html_lang: str | None = None
        self._in_script_without_src = False
        self.h1 = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "h1":
            self.h1 += 1
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            self.fields.append(a)
        if tag == "script" and not a.get("src"):
            self.inline_scripts += 1
        if "style" in a or tag == "style":
            self.inline_styles += 1
        if any(k.startswith("on") for k in a):
            self.inline_scripts += 1


def audit(client, path: str) -> tuple[PageAudit, object]:
    response = client.get(path)
    assert response.status_code == 200, path
    page = PageAudit()
    page.feed(response.content.decode())
    return page, response


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("language", ["en", "id"])
def test_page_has_language_labels_and_no_inline_code(client, path, language):
    client.cookies["django_language"] = language
    page, response = audit(client, path)
    assert page.html_lang == language
    assert page.h1 == 1
    unlabelled = [
        f for f in page.fields if f.get("id") not in page.labels and not f.get("aria-label")
    ]
    assert unlabelled == []
    assert page.inline_scripts == 0 and page.inline_styles == 0
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_api_docs_keep_scripts_out_of_the_page(client):
    page, response = audit(client, "/api/docs/")
    assert page.inline_scripts == 0
    assert "script-src 'self';" in response.headers["Content-Security-Policy"] + ";"
