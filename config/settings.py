"""Masthead settings: one module that reads the environment, with safe defaults.

Every variable read here is listed, with its default, in docs/configuration.md.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def redis_url_with_db(url: str, db: int) -> str:
    """The same Redis server as `url`, another logical database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


# --- Core -----------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

# The origin readers use (`https://news.example.com`): canonical links, Open Graph, JSON-LD, feeds,
# sitemaps and notification links name it. `manage.py set_site_origin` writes it into the default
# Wagtail site (the compose stack's migration job and `make run` do); it also sets the defaults of
# ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS and WAGTAILADMIN_BASE_URL below.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
PUBLIC_HOST = urlsplit(PUBLIC_BASE_URL).hostname or ""

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    ["localhost", "127.0.0.1", "[::1]", "testserver"]
    if DEBUG
    else [PUBLIC_HOST]
    if PUBLIC_HOST
    else [],
)
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", [PUBLIC_BASE_URL] if PUBLIC_BASE_URL.startswith("https://") else []
)

INSTALLED_APPS = [
    "news",
    "editorial",
    "ops",
    "accounts",
    "search",
    "readership",
    "imports",
    "planning",
    "live",
    "sharing",
    "publishing",
    "releases",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.postgres",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Counts a view with one Redis round trip; beacons with a session cookie go the long way.
    "readership.middleware.ViewBeaconMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers anonymous readers from the page cache before any session, auth or DB work.
    "news.middleware.PageCacheMiddleware",
    "ops.middleware.ReaderReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Wagtail's site and root page for its page view, from the cache (one query less each).
    "news.middleware.CachedSiteMiddleware",
    # A writer's draft is invisible to other writers on every admin URL.
    "editorial.middleware.ArticleAdminAccessMiddleware",
    # Last, so that a locked-out login attempt never reaches the view.
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
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The newsroom's time zone: the admin shows schedule times in it, labelled.
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Database -------------------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/masthead")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A public page never needs more than this; a runaway search query is cut off.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c statement_timeout={env_int('DATABASE_STATEMENT_TIMEOUT_MS', 15000)}"
)
# Optional connection pool (psycopg's, per process): at most DATABASE_POOL_SIZE connections per
# gunicorn worker or Celery process, shared by its threads and handed back after each request,
# so a node's share of max_connections is fixed however many threads it runs
# (docs/operations-and-scaling.md, "Scaling out"). Django requires CONN_MAX_AGE 0 with a pool. A thread that finds the pool empty waits up
# to DATABASE_POOL_TIMEOUT seconds, less than gunicorn's request timeout.
DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 0)
if DATABASE_POOL_SIZE:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_SIZE,
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
    }

# --- Redis: broker, counters, cache ---------------------------------------------------------

# REDIS_URL holds the Celery broker and the counters (view buffer, locks, rate limits),
# which must never be evicted; the page cache lives in another logical database.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHE_REDIS_URL = os.environ.get(
    "CACHE_REDIS_URL", redis_url_with_db(REDIS_URL, int(urlsplit(REDIS_URL).path[1:] or 0) + 1)
)
# Counters, locks and rate limits fail loudly on a raw client; only the cache fails soft.
REDIS_SOCKET_TIMEOUT = float(os.environ.get("REDIS_SOCKET_TIMEOUT", "0.25"))

CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": CACHE_REDIS_URL,
        "KEY_PREFIX": "masthead",
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "SOCKET_CONNECT_TIMEOUT": REDIS_SOCKET_TIMEOUT,
            "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
            "IGNORE_EXCEPTIONS": True,
        },
    }
}
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# The full-page cache for anonymous readers (news/caching.py, news/middleware.py). Pages are
# purged exactly on change, so the lifetime only bounds what no signal announces (a breaking
# news banner reaching its end time, view counts). Browsers get max-age=0.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
PAGE_CACHE_STALE_SECONDS = env_int("PAGE_CACHE_STALE_SECONDS", 60)
# Cookies besides the session cookie that mark a reader whose pages must not come from the cache.
PAGE_CACHE_BYPASS_COOKIES = env_list("PAGE_CACHE_BYPASS_COOKIES", [])
# Live coverage (live/): how long the shared caches keep an update poll's answer (each entry
# change purges it at once; this bounds what a CDN that missed a purge serves), and how often
# an open live page polls.
LIVE_UPDATES_SECONDS = env_int("LIVE_UPDATES_SECONDS", 5)
LIVE_POLL_SECONDS = env_int("LIVE_POLL_SECONDS", 3)

# An optional read replica: anonymous readers' GET requests read from it, everything else
# (editors, writes, Celery) uses the primary, so editors always read their own writes.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "OPTIONS": DATABASES["default"]["OPTIONS"],
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["ops.db_routers.ReaderReplicaRouter"]

# Sessions live in PostgreSQL, so the admin keeps working when Redis is down.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Celery ---------------------------------------------------------------------------------
# The app and the beat schedule are in config/celery.py.

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_RESULT_EXPIRES = 3600
# Most tasks are fire-and-forget; the few that answer opt in with ignore_result=False.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Every task is idempotent, so a task is acknowledged only once it has finished: a worker
# killed mid-task leaves the message to be delivered again.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
# With Redis, an unacknowledged message is redelivered after the visibility timeout. It must
# exceed the longest task (the time limit above), or a slow task would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900),
    "socket_timeout": 5,
    "socket_connect_timeout": 2,
    # Opening a channel to a dead broker gives up after a few quick tries instead of retrying
    # forever inside a web request (kombu's default); workers reconnect on their own.
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing a message retries briefly, then gives up: a request that enqueues follow-up work
# must not hang on a dead broker (the failure is logged; reconciliation redoes the work).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.2,
}
CELERY_TASK_ALWAYS_EAGER = False
# A publication whose follow-up messages the broker has not confirmed after this long is redone by
# `editorial.reconcile_publish_follow_ups` (publishing/recovery.py).
PUBLISH_FOLLOW_UP_GRACE_SECONDS = env_int("PUBLISH_FOLLOW_UP_GRACE_SECONDS", 120)
CELERY_TIMEZONE = TIME_ZONE
# How often beat checks assignments for due-soon and overdue reminders (seconds).
PLANNING_REMINDER_INTERVAL = env_int("PLANNING_REMINDER_INTERVAL", 60)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 1000)
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / ".data" / "celerybeat-schedule")
)

# Wagtail 8 runs its own background work (search index, reference index, frontend-cache purge)
# through django-tasks. The immediate backend runs it in-process after the transaction commits:
# it is cheap, needs no second queue, and a Celery bridge for django-tasks is not mature yet.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Static and media -----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / ".data" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / ".data" / "media"))
# Media (images, renditions, documents) on S3-compatible object storage when a bucket is
# configured, so every web node serves the same files; local files otherwise.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
MEDIA_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
    if AWS_STORAGE_BUCKET_NAME
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# --- Uploads and request limits -------------------------------------------------------------

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
# Wagtail's page editor posts many fields for a long StreamField; 10k is Wagtail's advice.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- Security -------------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("TRUST_X_FORWARDED_PROTO") else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict policy for the public site: scripts only with this response's nonce. The Wagtail
# admin is not strict-CSP compatible (wagtail/wagtail#1288), so its views opt out in urls.py.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

# The proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated): every
# client address in the project comes from ops.client.client_ip, which reads the header only
# from these peers. Empty: REMOTE_ADDR is the client (no proxy, or one that is not trusted).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

# Brute-force protection for the admin login: lock a username on one address after repeated
# failures, the address being ops.client.client_ip's.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours; accounts/templates/accounts/lockout.html says "an hour"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_CLIENT_IP_CALLABLE = "ops.client.client_ip"

# A second factor for staff (django-otp, TOTP): every admin page but the sign-in flow needs a
# session verified by the user's authenticator app; a first sign-in sets one up. `make run`
# turns it off for local use.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = os.environ.get("SITE_NAME", "Masthead")

# --- Email ----------------------------------------------------------------------------------

EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": (
            {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "timeout": 10,
            }
            if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@masthead.local")

# --- Wagtail --------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Masthead")
WAGTAILADMIN_BASE_URL = (
    os.environ.get("WAGTAILADMIN_BASE_URL") or PUBLIC_BASE_URL or "http://127.0.0.1:8000"
)
WAGTAILIMAGES_IMAGE_MODEL = "news.NewsImage"
# Replacing a live picture's file needs the right to publish the pages showing it.
WAGTAILIMAGES_IMAGE_FORM_BASE = "editorial.forms.NewsroomImageForm"
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "english",
        "AUTOCOMPLETE_SEARCH_CONFIG": "simple",
    }
}
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILREDIRECTS_AUTO_CREATE = True

# A CDN in front is purged through Wagtail's frontend-cache backends when FRONTEND_CACHE_PURGE_URL
# is set (an HTTP purge endpoint such as Varnish); Cloudflare or CloudFront are configured the same
# way. news/purging.py drives them from a Celery task that retries, so the app
# "wagtail.contrib.frontend_cache" (whose receivers purge only the page itself, in the request,
# without retries) is deliberately not installed.
WAGTAILFRONTENDCACHE = (
    {
        "default": {
            "BACKEND": "news.purging.HTTPPurgeBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
        }
    }
    if os.environ.get("FRONTEND_CACHE_PURGE_URL")
    else {}
)

# --- Logging --------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Callers presenting this token in X-Health-Token see per-service health details.
HEALTHCHECK_TOKEN = os.environ.get("HEALTHCHECK_TOKEN", "")

# Share links (sharing/): how long a link lasts unless its creator says otherwise, and at most.
SHARE_LINK_DEFAULT_HOURS = env_int("SHARE_LINK_DEFAULT_HOURS", 48)
SHARE_LINK_MAX_HOURS = env_int("SHARE_LINK_MAX_HOURS", 14 * 24)
# The admin's avatars: the CSP (img-src 'self') blocks Gravatar, so no request goes out and
# Wagtail shows its own default avatar instead of a broken image.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# --- Embargo --------------------------------------------------------------------------------
# Whether a superuser may lift an embargo in force early (with a reason, kept in the audit log).
# Off: nobody publishes an embargoed page before its embargo time (docs/embargo-and-releases.md).
EMBARGO_OVERRIDE_ALLOWED = env_bool("EMBARGO_OVERRIDE_ALLOWED", False)
