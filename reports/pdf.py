"""HTML to PDF with WeasyPrint, reading only local files.

Print templates render to an HTML string; `render_pdf` turns it into bytes. Stylesheets,
fonts and images may come from the project's files (static files included) and from the
system's fonts; any other URL, above all a network one, is refused, so a PDF never waits
on, or leaks a request to, another server. Fonts are DejaVu, from the system.
"""

import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

logger = logging.getLogger(__name__)
# WeasyPrint reports every rendering step at INFO; keep its warnings (refused URLs) only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_DIRS = (Path("/usr/share/fonts"),)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {
    ("normal", "normal"): "DejaVuSans.ttf",
    ("bold", "normal"): "DejaVuSans-Bold.ttf",
    ("normal", "italic"): "DejaVuSans-Oblique.ttf",
    ("bold", "italic"): "DejaVuSans-BoldOblique.ttf",
}


class RefusedURL(ValueError):
    """A print template asked for something that is not a local file."""


def allowed_roots() -> list[Path]:
    roots = [Path(settings.BASE_DIR), *FONT_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [r.resolve() for r in roots]


def local_path(url: str) -> Path:
    """The local file a URL names, or RefusedURL.

    `file://` paths must lie under the project or the system fonts once resolved (so `..`
    and symbolic links do not lead out); `/static/...` is looked up as a static file.
    """
    parts = urlsplit(url)
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        path = Path(unquote(parts.path)).resolve()
        static_url = settings.STATIC_URL or "/static/"
        if not path.exists() and parts.path.startswith(static_url):
            found = finders.find(unquote(parts.path)[len(static_url) :])
            if found:
                path = Path(found if isinstance(found, str) else found[0]).resolve()
        if path.is_file() and any(path.is_relative_to(root) for root in allowed_roots()):
            return path
    raise RefusedURL(f"not a local file of the portal: {url}")


class LocalURLFetcher(URLFetcher):
    """Serves `data:` URLs and local files; refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        try:
            path = local_path(url)
        except RefusedURL:
            logger.warning("PDF rendering refused to fetch %s", url)
            raise
        return URLFetcherResponse(path2url(str(path)), path.read_bytes())


def font_css() -> str:
    """@font-face rules for DejaVu Sans from the system's files, where they exist."""
    rules = []
    for (weight, style), name in FONT_FILES.items():
        path = DEJAVU / name
        if path.is_file():
            rules.append(
                "@font-face { font-family: 'DejaVu Sans'; "
                f"src: url('{path2url(str(path))}'); font-weight: {weight}; font-style: {style}; }}"
            )
    rules.append("html { font-family: 'DejaVu Sans', sans-serif; }")
    return "\n".join(rules)


def css_string(text: str) -> str:
    """`text` as a quoted CSS string, safe inside a <style> element."""
    escaped = (
        text.replace("\\", "\\5C ")
        .replace('"', "\\22 ")
        .replace("\n", "\\A ")
        .replace("<", "\\3C ")
        .replace(">", "\\3E ")
    )
    return f'"{escaped}"'


def page_counter_content(template: str) -> str:
    """A CSS `content` value from a translated "Page %(page)s of %(pages)s".

    Translators see one whole sentence; the placeholders become the page counters.
    """
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    parts: list[str] = []
    rest = template
    while rest:
        found = [(rest.find(k), k) for k in counters if k in rest]
        if not found:
            parts.append(css_string(rest))
            break
        index, key = min(found)
        if index:
            parts.append(css_string(rest[:index]))
        parts.append(counters[key])
        rest = rest[index + len(key) :]
    return " ".join(parts) or '""'


def render_pdf(html: str, *, base_url: str | None = None, pdf_variant: str | None = None) -> bytes:
    """Render an HTML string to PDF bytes. Relative URLs resolve against the static files.

    `pdf_variant` is WeasyPrint's (ARCHIVE_PDF_VARIANT for the round archive's PDF/A)."""
    fetcher = LocalURLFetcher()
    fonts = FontConfiguration()
    base = base_url or path2url(str(Path(settings.BASE_DIR) / "static")) + "/"
    document = HTML(string=html, base_url=base, url_fetcher=fetcher)
    fonts_css = CSS(string=font_css(), url_fetcher=fetcher, font_config=fonts)
    pdf = document.write_pdf(stylesheets=[fonts_css], font_config=fonts, pdf_variant=pdf_variant)
    if pdf is None:  # only when writing to a target, which this never does
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)


# PDF/A-3b: what the round archive's PDFs are (reports/archive/build.py).
ARCHIVE_PDF_VARIANT = "pdf/a-3b"


def render_document(html: str, *, base_url: str | None = None) -> Any:
    """Lay out an HTML string (a WeasyPrint Document): its `pages` and `write_pdf()`."""
    fetcher = LocalURLFetcher()
    fonts = FontConfiguration()
    base = base_url or path2url(str(Path(settings.BASE_DIR) / "static")) + "/"
    fonts_css = CSS(string=font_css(), url_fetcher=fetcher, font_config=fonts)
    return HTML(string=html, base_url=base, url_fetcher=fetcher).render(
        stylesheets=[fonts_css], font_config=fonts
    )
