"""Test settings: PostgreSQL and Redis from the environment that `make test` prepares."""

from pathlib import Path
from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import env, tune_database

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
DATABASES = {
    "default": tune_database(env.db("DATABASE_URL", default="postgres://mgi@127.0.0.1:54329/mgi")),
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The worker process started by the worker tests writes its mail to files it can be read from.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH", default="/tmp/mgi-test-mail")  # noqa: S108
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Under `pytest -n`, each xdist worker ("gw0", "gw1", ...) has its own test database
# (pytest-django), and here its own Redis database and media folder, so that one worker's
# Celery process never takes another's tasks and no file is shared.
XDIST_WORKER = env("PYTEST_XDIST_WORKER", default="")
_worker_number = int(XDIST_WORKER[2:]) + 1 if XDIST_WORKER.startswith("gw") else 0
# In-process tests run tasks eagerly; the worker tests start a real worker on the broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = (
    urlsplit(env("REDIS_URL", default="redis://127.0.0.1:63799/0"))
    ._replace(path=f"/{_worker_number}")
    .geturl()
)
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default="/tmp/mgi-test-media")) / (  # noqa: S108
    XDIST_WORKER or "main"
)
LANGUAGE_CODE = "en"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Each test process keeps its own cache (throttling counters included); the production-path
# test runs the portal with the production settings, on Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MGI_WORKER_HEARTBEAT_TTL = env.int("MGI_WORKER_HEARTBEAT_TTL", default=5)
# Tests sign people in with force_login; the MFA tests turn the production list back on.
MFA_REQUIRED_ROLES = []
