"""The facts a public profile's page depends on, kept in CACHES so that serving a cached page
touches no database.

`selectors.public_profile_version` reads those facts in one query, but building and running
it costs more than the rest of a cache hit put together. Its result is kept in CACHES with
the *generation* it was read under: a number that every change to what public pages show
replaces (a save or a deletion of a profile, a render, a finding, an assessment, a snapshot
or a framework version, by the signals below, and the services' bulk updates by calling
`public_changed`). Facts stored under an earlier generation are read again, so facts read
before a change are never used after it.

The generation is replaced at once and again when the transaction commits: at once, so that
the person who made the change sees it within their own transaction; after the commit, so
that a reader who computed the facts between the first replacement and the commit (and so
saw the data before the change) stores them under a generation nobody asks for any more.
Should the cache be down, the facts are read from the database: slower, never wrong.
"""

import logging
import time
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from . import selectors

logger = logging.getLogger(__name__)

GENERATION_KEY = "public-profiles:generation"


def _replace_generation() -> None:
    try:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception:
        logger.exception("cache unavailable: public profile facts may be read from a stale copy")


def public_changed() -> None:
    """Something public pages show has changed (or is about to, with the transaction)."""
    _replace_generation()
    connection = transaction.get_connection()
    pending = (entry[1] for entry in connection.run_on_commit)
    if connection.in_atomic_block and any(func is _replace_generation for func in pending):
        return  # once per transaction is enough
    transaction.on_commit(_replace_generation)


def _start_generation() -> int:
    generation = time.time_ns()
    # add(): two processes starting at once agree on the first one's number.
    if not cache.add(GENERATION_KEY, generation, timeout=None):
        generation = cache.get(GENERATION_KEY, generation)
    return int(generation)


def public_profile_version(profile_id: int) -> selectors.PublicVersion:
    """`selectors.public_profile_version`, from CACHES when nothing has changed since it was
    last read: one round trip reads the generation and the stored facts with theirs. A 404
    (a profile that is not public) is not kept: it is cheap to ask again, and a publication
    must show at once."""
    key = f"public-profile-facts:{profile_id}"
    try:
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY) or _start_generation()
    except Exception:
        logger.exception("cache unavailable: reading the facts of profile %s", profile_id)
        return selectors.public_profile_version(profile_id)
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        return stored[1]
    version = selectors.public_profile_version(profile_id)
    try:
        cache.set(key, (generation, version), timeout=None)
    except Exception:
        logger.exception("cache unavailable: facts of profile %s not stored", profile_id)
    return version


def _on_change(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    public_changed()


def connect() -> None:
    """Called by ReportsConfig.ready: every model whose rows a public page's facts read."""
    from assessments.models import Assessment, Snapshot
    from indicators.models import FrameworkVersion

    from .models import Finding, Profile, ProfileRender

    for model in (Profile, ProfileRender, Finding, Assessment, Snapshot, FrameworkVersion):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"public-facts-{model.__name__}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"public-facts-del-{model.__name__}"
        )
