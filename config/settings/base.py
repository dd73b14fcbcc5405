"""Settings shared by every environment; the others only override what differs."""

import datetime
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV, XLSX

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-dev-key-only-for-local-use")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "template_partials",
    "django_htmx",
    "csp",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "ministries",
    "indicators",
    "assessments",
    "reports",
    "audit",
]

MIDDLEWARE = [
    "config.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A database connection lost mid-request (503, asking to retry; the connection dropped)
    # or the media disk full (507): config/unavailable.py.
    "config.unavailable.UnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ministries.middleware.SessionLimitsMiddleware",
    "ministries.middleware.TwoStepMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ministries.context_processors.portal",
            ],
        },
    },
]


def tune_database(database: dict[str, Any]) -> dict[str, Any]:
    """What the portal's database connection needs, whatever the settings module."""
    database["ATOMIC_REQUESTS"] = False
    # A kept connection that broke between requests (PostgreSQL restarted) is replaced.
    database["CONN_HEALTH_CHECKS"] = True
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # A web server on SQLite: write-ahead log so readers never wait for a writer, a busy
        # timeout instead of "database is locked", and transactions that take the write lock
        # at BEGIN, so two concurrent saves queue up and the second sees the new version (409).
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif env.bool("MGI_DB_PREPARED_STATEMENTS", default=True):
        # The queries config/compiled_sql.py runs on every view of the busiest pages (the
        # entry page's answers, an autosave's answer) are prepared on the connection:
        # PostgreSQL plans them once, not on every request. Django's other queries are bound
        # on the client and never prepared. Behind a pooler in transaction mode without
        # prepared statements (PgBouncer before 1.21, or max_prepared_statements = 0), set
        # MGI_DB_PREPARED_STATEMENTS=off.
        database.setdefault("OPTIONS", {})["prepare_threshold"] = 0
    return database


DATABASES = {
    "default": tune_database(
        env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    ),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "ministries.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# django-axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ministries.backends.ModelBackend",
]

# --- Sign-in, sessions and tokens (README, "Security") ---------------------------------------
# Two-step verification (TOTP, with recovery codes) is required of these roles; everyone else
# may turn it on. Production keeps this list; local (make run) and test settings empty it.
MFA_REQUIRED_ROLES = [
    "national_coordinator",
    "provincial_coordinator",
    "facilitator",
    "administrator",
]
MFA_ISSUER = env("MGI_MFA_ISSUER", default="MGI Portal")
MFA_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = MFA_ISSUER
# Failed sign-ins (the login page, the token endpoint, the admin) are rows in the database,
# counted per account and, separately, per client address; either reaching its limit locks
# sign-in for the cool-off time. The address has a higher limit: a ministry's staff share one
# NAT address (ministries/lockout.py). Unlock early: `manage.py axes_reset_username <name>`.
AXES_HANDLER = "ministries.lockout.SharedAddressHandler"
AXES_FAILURE_LIMIT = env.int("MGI_LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("MGI_LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("MGI_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # the attempts are rows (admin: Axes); no log line for each
AXES_LOCKOUT_CALLABLE = "ministries.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "ministries.security.client_ip"
# How many reverse proxies in front of the portal append to X-Forwarded-For. 0: the address
# is REMOTE_ADDR and X-Forwarded-For is ignored (a client could write anything in it).
MGI_TRUSTED_PROXY_COUNT = env.int("MGI_TRUSTED_PROXY_COUNT", default=0)
# A session ends 12 hours after sign-in at most, and after 30 minutes without a request; the
# page warns this many seconds before the idle limit.
SESSION_COOKIE_AGE = env.int("MGI_SESSION_MAX_SECONDS", default=12 * 60 * 60)
SESSION_IDLE_TIMEOUT = env.int("MGI_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_IDLE_WARNING = 5 * 60
# API tokens (django-rest-knox): several per user (one per device), each expiring.
API_TOKEN_TTL_HOURS = env.int("MGI_API_TOKEN_TTL_HOURS", default=8)
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(hours=API_TOKEN_TTL_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": None,
}

# Languages: English and Bahasa Indonesia, both complete. The chosen language is kept in
# the language cookie (set by the switch) and, for signed-in users, on their profile.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("id", _("Bahasa Indonesia"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # FileSystemStorage that removes what it wrote of a file it could not store (disk full).
    "default": {"BACKEND": "config.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Nothing under MEDIA_ROOT has a URL: files go out only through views that ask the
# permissions first (config/files.py), sent by Django ("django") or by the front web server
# ("x-accel-redirect": nginx, an internal location at MGI_X_ACCEL_PREFIX aliased to
# MEDIA_ROOT; "x-sendfile": Apache's mod_xsendfile, the absolute path). README, "Deployment".
MGI_FILE_SERVING = env("MGI_FILE_SERVING", default="django")
MGI_X_ACCEL_PREFIX = env("MGI_X_ACCEL_PREFIX", default="/protected-media/")

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="MGI Portal <no-reply@mgi.localhost>")

REDIS_URL = env("REDIS_URL", default="")
# One cache for every process: Redis when there is one (published pages, DRF throttling
# counters, shared by every gunicorn worker), the local-memory cache otherwise.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Published profiles (reports/public/caching.py): browsers and shared caches keep a page,
# PDF or data file this many seconds (`Cache-Control: public, max-age`), then revalidate it
# by its ETag; a rendered page stays in CACHES at most PUBLIC_PROFILE_CACHE_TIMEOUT seconds
# (its key changes as soon as what the page shows does).
PUBLIC_PROFILE_MAX_AGE = env.int("MGI_PUBLIC_MAX_AGE", default=300)
PUBLIC_PROFILE_CACHE_TIMEOUT = env.int("MGI_PUBLIC_CACHE_TIMEOUT", default=24 * 60 * 60)
# Seconds a worker's heartbeat key lives in Redis; /readyz counts the live ones.
MGI_WORKER_HEARTBEAT_TTL = env.int("MGI_WORKER_HEARTBEAT_TTL", default=30)
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("MGI_WORKER_MAX_TASKS_PER_CHILD", default=20)
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Nothing in flight lives only in Redis: each run below picks up, from the database, what a
# lost queue dropped (README, "Restarts and faults").
CELERY_BEAT_SCHEDULE = {
    # Hourly through the working day: a reminder claimed but not sent (its task lost) is
    # queued again by a later run of the same day (assessments.notifications).
    "deadline-reminders": {
        "task": "assessments.deadline_reminders",
        "schedule": crontab(hour="7-18", minute=0),
    },
    # Action plan items due in 14 days (reports/actionplan/reminders.py), as above.
    "action-deadline-reminders": {
        "task": "reports.action_deadline_reminders",
        "schedule": crontab(hour="7-18", minute=30),
    },
    "publish-embargoed-profiles": {"task": "reports.publish_due", "schedule": 300.0},
    # Renders still queued whose task was lost are queued again; renders stuck rendering fail.
    "reap-stuck-renders": {"task": "reports.reap_stuck_renders", "schedule": 300.0},
    # Mails still unsent whose task was lost are queued again (ministries.mail).
    "requeue-mail": {"task": "ministries.requeue_mail", "schedule": 300.0},
}
# Profile PDFs: a render is stopped after these many seconds, and its worker process is
# recycled after a number of tasks so that WeasyPrint's memory is given back.
PROFILE_RENDER_SOFT_TIME_LIMIT = env.int("MGI_RENDER_SOFT_TIME_LIMIT", default=240)
PROFILE_RENDER_TIME_LIMIT = env.int("MGI_RENDER_TIME_LIMIT", default=300)
# A render queued this long ago and still queued has lost its task: beat queues it again
# (a duplicate task is harmless: a render ends with one file).
PROFILE_RENDER_REQUEUE_SECONDS = env.int("MGI_RENDER_REQUEUE_SECONDS", default=300)

# Links in emails point here.
PORTAL_BASE_URL = env("MGI_PORTAL_BASE_URL", default="http://127.0.0.1:8000")

REST_FRAMEWORK = {
    # Token first, so an unauthenticated request gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ministries.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.PortalPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "config.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": env("MGI_LOGIN_RATE", default="20/min")},
    # The throttles count per client address as django-axes does (MGI_TRUSTED_PROXY_COUNT).
    "NUM_PROXIES": MGI_TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MGI Portal API",
    "DESCRIPTION": "Migration Governance Indicators assessments: framework, institutions, assessments.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every status an operation can answer, with the one error schema (config/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.openapi.add_error_responses",
    ],
    # One name per choice set shared by several serializers.
    "ENUM_NAME_OVERRIDES": {
        "AnswerEnum": "indicators.models.Indicator.Answer",
        "ConsolidatedAnswerEnum": "assessments.models.ConsolidatedAnswer.Answer",
        "AssessmentStatusEnum": "assessments.models.Assessment.Status",
        "ReviewDecisionEnum": ["accept", "query", "return"],
        "ValidationDecisionEnum": "assessments.models.ValidationDecision.Decision",
        "EvidenceKindEnum": "assessments.models.Evidence.Kind",
        "CommentKindEnum": "assessments.models.ResponseComment.Kind",
        "ProfileStatusEnum": "reports.models.Profile.Status",
        "RenderStatusEnum": "reports.models.ProfileRender.Status",
        "ActionItemStatusEnum": "reports.actionplan.models.ActionItem.Status",
        "ActionItemKindEnum": "reports.actionplan.models.ActionItem.Kind",
        "ProgressUpdateKindEnum": "reports.actionplan.models.ProgressUpdate.Kind",
        "SteeringDecisionEnum": "reports.actionplan.review_models.ReviewDecision.Decision",
    },
}

# Strict CSP: no inline scripts or styles, nothing from outside the portal.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# History rows keep the whole reason of a change (an FGD's reasons are often long).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# django-import-export takes format classes, not dotted paths (a string here made the admin's
# import and export pages answer 500). Exported cells that a spreadsheet would run as a
# formula are escaped.
IMPORT_EXPORT_FORMATS = [CSV, XLSX]
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# Uploaded workbooks: refuse anything larger, and any archive that inflates beyond the ratio.
UPLOAD_MAX_BYTES = env.int("MGI_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
WORKBOOK_MAX_UNPACKED_RATIO = 100
# Evidence files (config/uploads.py): one file, all the files of one answer, and how far an
# Office file (a zip) may unpack.
EVIDENCE_MAX_BYTES = env.int("MGI_EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)
EVIDENCE_MAX_RESPONSE_BYTES = env.int("MGI_EVIDENCE_MAX_RESPONSE_BYTES", default=100 * 1024 * 1024)
EVIDENCE_MAX_UNPACKED_BYTES = env.int("MGI_EVIDENCE_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024)
EVIDENCE_MAX_UNPACKED_RATIO = env.int("MGI_EVIDENCE_MAX_UNPACKED_RATIO", default=100)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint narrates every rendering step at INFO; its warnings are what matter.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# seed_demo writes users with the published password "demo"; production turns this off.
DEMO_DATA_ALLOWED = True
