"""HTTP caching of published profiles: ETag, Last-Modified and `Cache-Control: public`.

A published version never changes. What its page and data files show moves only with the
facts `selectors.public_profile_version` reads in one query (kept in CACHES between changes,
freshness.py) (a correction, a new render, a
national profile published...). Those facts, the language and the release (the code,
templates and translations this process runs) are hashed into the validators: the ETag
changes whenever what is shown does, a matching conditional request gets 304 before
anything is rendered, and the rendered page is kept in CACHES under the same digest, so a
cached copy is never stale (PUBLIC_PROFILE_CACHE_TIMEOUT only frees memory). A PDF's ETag is
the SHA-256 of its file.

Anonymous visitors share one copy of a page per language: rendered for nobody in particular
(no CSRF token, no messages, the session never read), so it sets no cookie. Signed-in people
see their name and a logout form with its token: their page is rendered afresh and never
cached. Pages and data files are in the active language, which comes from the language
cookie or Accept-Language, so they say `Vary: Accept-Language, Cookie`: a browser that has
just switched language must not reuse its copy in the other one. What is not public (a
draft, an embargoed version, a PDF not rendered) is 404 with `Cache-Control: private,
no-store`, so that no shared cache keeps the 404 past the publication.
"""

import datetime
import functools
import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from .. import freshness, selectors

logger = logging.getLogger(__name__)

# What a release changes that a page shows: code, templates, translations, framework data.
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".mo", ".yaml", ".yml", ".json", ".xlsx"}
NOT_SOURCES = {"media", "staticfiles", "tests", "bench", "node_modules"}


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime.datetime
    digest: str


def _fingerprint() -> str:
    """The source files' names, sizes and modification times, and the static manifest's
    hash: it changes with every deployment that could change a page."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    outside = {Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()}
    for root, dirs, files in os.walk(base):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith((".", "__"))
            and d not in NOT_SOURCES
            and Path(root, d).resolve() not in outside
        )
        for name in sorted(files):
            if Path(name).suffix in SOURCE_SUFFIXES:
                path = Path(root, name)
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode()
                )
    digest.update(str(getattr(staticfiles_storage, "manifest_hash", "")).encode())
    return digest.hexdigest()[:16]


@functools.cache
def _fingerprint_once() -> str:
    return _fingerprint()


def release() -> str:
    """This process's release: read once, or on every call with DEBUG on (files change)."""
    return _fingerprint() if settings.DEBUG else _fingerprint_once()


def validators_for(version: selectors.PublicVersion, *what: str) -> Validators:
    """The validators of one representation (`what`: "page", or "data" and the format) of a
    public version, in the active language."""
    key = (release(), version.profile_id, version.facts, translation.get_language(), what)
    digest = hashlib.sha256(repr(key).encode()).hexdigest()
    return Validators(etag=f'W/"{digest[:32]}"', last_modified=version.last_modified, digest=digest)


def page_validators(request: HttpRequest, profile_id: int) -> Validators | None:
    """The page's validators for anonymous visitors (404 when not public); None for a
    signed-in person, whose page is their own."""
    if signed_in(request):
        return None
    return validators_for(freshness.public_profile_version(profile_id), "page")


def data_validators(request: HttpRequest, profile_id: int, fmt: str) -> Validators:
    """A data file is built from the same facts as the page (404 when not public)."""
    return validators_for(freshness.public_profile_version(profile_id), "data", fmt)


def pdf_validators(request: HttpRequest, profile_id: int, lang: str) -> Validators | None:
    """A rendered PDF's checksum (None when there is none to serve: the view says 404)."""
    found = selectors.public_pdf_version(profile_id, lang)
    if found is None:
        return None
    checksum, finished = found
    if not checksum:  # a file stored before checksums were kept
        checksum = hashlib.sha256(f"{profile_id}:{lang}:{finished}".encode()).hexdigest()
        return Validators(etag=f'W/"{checksum[:32]}"', last_modified=finished, digest=checksum)
    return Validators(etag=f'"{checksum}"', last_modified=finished, digest=checksum)


def signed_in(request: HttpRequest) -> bool:
    """Whether a person is signed in; without a session cookie the session is not read
    (reading it would add `Vary: Cookie` and a query)."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def not_modified(request: HttpRequest, validators: Validators) -> HttpResponseBase | None:
    """304 (or 412) when the request's conditions match the validators, else None."""
    return get_conditional_response(
        request,
        etag=validators.etag,
        last_modified=int(validators.last_modified.timestamp()),
    )


def make_public(
    response: HttpResponseBase, validators: Validators, *, by_language: bool
) -> HttpResponseBase:
    response.headers["ETag"] = validators.etag
    response.headers["Last-Modified"] = http_date(validators.last_modified.timestamp())
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_PROFILE_MAX_AGE)
    if by_language:
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def make_private(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_store=True)
    return response


def cached_page(validators: Validators, render: Callable[[], bytes]) -> bytes:
    """The page from CACHES, rendered and stored on a miss. Should the cache be down, the
    page is rendered afresh: slower, never wrong."""
    key = f"public-profile:{validators.digest}"
    try:
        body = cache.get(key)
    except Exception:
        logger.exception("cache unavailable: rendering %s afresh", key)
        return render()
    if body is None:
        body = render()
        try:
            cache.set(key, body, timeout=settings.PUBLIC_PROFILE_CACHE_TIMEOUT)
        except Exception:
            logger.exception("cache unavailable: %s not stored", key)
    return body


def public_cache(
    validators: Callable[..., Validators | None],
    *,
    by_language: bool,
    pass_validators: bool = False,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Serve a public response with its validators (304 on a match, before the view runs)
    and public caching; anything else the view answers (a 404 above all) is private,
    no-store.

    `validators(request, *args)` raises Http404 for what is not public, and returns None
    when the response is not to be shared (the view answers it, and it stays private). With
    `pass_validators`, the view gets them as `validators=` (a cache key, say).
    """

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                found = validators(request, *args, **kwargs)
                response = None if found is None else not_modified(request, found)
                if response is None:
                    if pass_validators:
                        kwargs["validators"] = found
                    response = view(request, *args, **kwargs)
            except Http404 as exc:
                return make_private(response_for_exception(request, exc))
            if found is None or response.status_code not in (200, 304):
                return make_private(response)
            return make_public(response, found, by_language=by_language)

        return wrapper

    return decorator
