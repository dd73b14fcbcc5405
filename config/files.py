"""Stored files: where they are kept, and the one way they are sent to a browser.

Every stored file (evidence, profile PDFs, answers-workbook imports) lives under a random
name, `<folder>/<2 hex>/<32 hex>.<extension>`, whose extension is that of the type detected
when the file arrived, never the one its sender gave it; its original name is kept in the
database. Nothing under MEDIA_ROOT has a URL of its own: a file reaches a browser only
through a view that asked the permissions module first and then called `serve_file`.

`serve_file` sends it by Django itself (`MGI_FILE_SERVING = "django"`), or hands it to the
front web server: `"x-accel-redirect"` (nginx, an `internal` location at
`MGI_X_ACCEL_PREFIX` aliased to MEDIA_ROOT) or `"x-sendfile"` (Apache's mod_xsendfile,
lighttpd), with the same headers and an empty body. README, "Deployment", has the nginx part.
"""

import os
import unicodedata
import uuid
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header
from rest_framework.negotiation import BaseContentNegotiation

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ZIP = "application/zip"

# A detected content type -> the extensions a file of that type may carry, the stored one first.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: ("pdf",),
    "application/msword": ("doc",),
    DOCX: ("docx",),
    "application/vnd.ms-excel": ("xls",),
    XLSX: ("xlsx",),
    ODT: ("odt",),
    ODS: ("ods",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg", "jpe"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    ZIP: ("zip",),
}
UNKNOWN_TYPE = "application/octet-stream"
SERVING_MODES = ("django", "x-accel-redirect", "x-sendfile")


def extension(content_type: str) -> str:
    """The extension a file of `content_type` is stored under ("bin" for an unknown type)."""
    return EXTENSIONS.get(content_type, ("bin",))[0]


def random_name(folder: str, content_type: str) -> str:
    """`evidence/3f/3f9c…e1.pdf`: 122 random bits, two hex digits of them as a sub-folder
    (so that no folder holds every file)."""
    token = uuid.uuid4().hex
    return f"{folder}/{token[:2]}/{token}.{extension(content_type)}"


@deconstructible
class RandomName:
    """A FileField's `upload_to`: a random name in `folder`, with the extension of
    `content_type`, or of the instance's own `content_type` (detected at upload) if none is
    given. The name the sender gave is ignored; keep it in a field of its own."""

    def __init__(self, folder: str, content_type: str = ""):
        self.folder = folder
        self.content_type = content_type

    def __call__(self, instance: Any, filename: str) -> str:
        content_type = self.content_type or getattr(instance, "content_type", "") or ""
        return random_name(self.folder, content_type)


def clean_filename(name: str, default: str = "file") -> str:
    """A sender's file name, fit to keep and to give back: the last path part, without
    control characters, at most 255 characters (the end kept, with its extension)."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return base[-255:] or default


def download_name(original: str, content_type: str) -> str:
    """The name a file is given back under: its original name, unless that name's extension
    says another type than the one detected ("report.html" holding a PNG comes back as
    "report.png"), so that a saved download never opens as something it is not."""
    name = clean_filename(original)
    allowed = EXTENSIONS.get(content_type)
    if allowed is None:
        return name
    stem, dot, ext = name.rpartition(".")
    if dot and ext.lower() in allowed:
        return name
    return f"{stem if dot and stem else name}.{allowed[0]}"


def serving_mode() -> str:
    mode = getattr(settings, "MGI_FILE_SERVING", "django")
    if mode not in SERVING_MODES:
        raise ImproperlyConfigured(
            f"MGI_FILE_SERVING must be one of {', '.join(SERVING_MODES)}, not {mode!r}."
        )
    return mode


def serve_file(
    fieldfile: FieldFile, *, filename: str, content_type: str, inline: bool = False
) -> HttpResponseBase:
    """The response for a stored file the caller has already checked the user may read.

    `content_type` is the type detected when the file was stored; the browser is told not
    to guess another (`nosniff`). Only PDFs may be shown `inline`; everything else is an
    `attachment`. The file name goes in `Content-Disposition` (RFC 6266, `filename*` in
    UTF-8 when it is not ASCII). Responses are `private`: no shared cache keeps them.
    404 when the file is missing from the storage.
    """
    content_type = content_type or UNKNOWN_TYPE
    as_attachment = not (inline and content_type == PDF)
    mode = serving_mode()
    name = fieldfile.name or ""
    if not name or not fieldfile.storage.exists(name):
        raise Http404
    response: HttpResponseBase
    if mode == "django":
        try:
            handle = fieldfile.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle, as_attachment=as_attachment, filename=filename, content_type=content_type
        )
    else:
        # An empty body: the front web server sends the file with these headers.
        response = HttpResponse(content_type=content_type)
        disposition = content_disposition_header(as_attachment, filename)
        if disposition:
            response["Content-Disposition"] = disposition
        if mode == "x-accel-redirect":
            prefix = settings.MGI_X_ACCEL_PREFIX.rstrip("/")
            response["X-Accel-Redirect"] = f"{prefix}/{quote(name)}"
        else:
            response["X-Sendfile"] = fieldfile.path
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True)
    return response


class FileNegotiation(BaseContentNegotiation):
    """For API views that answer with a file: the file whatever the client accepts (no 406
    before the permission check); errors are JSON, the first renderer."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0]

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type
