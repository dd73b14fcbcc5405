"""Settings of the gunicorn processes that bench_load starts: the test settings, with what
production changes that matters for speed, on the harness's throwaway database.

- the database the harness created (its name in MGI_BENCH_DATABASE_NAME), with persistent
  connections as in production (CONN_MAX_AGE 60, config/settings/production.py);
- the cache on the Redis of REDIS_URL, as in base.py (the test settings use local memory);
- DEBUG off (whitenoise's autorefresh of the test settings stays: it returns at once for
  a path ending in "/", as every page measured does);
- ROOT_URLCONF with the bare view of bench/urls.py.
"""

from config.settings.base import REDIS_URL, env
from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES["default"]["NAME"] = env("MGI_BENCH_DATABASE_NAME")
DATABASES["default"]["CONN_MAX_AGE"] = 60
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
