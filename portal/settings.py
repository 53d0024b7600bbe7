"""Settings for 地域資源ポータル.

Everything that differs between a developer's machine and production comes from
the environment; the defaults are safe for local development only.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Else the key `make install` wrote for this machine (random, git-ignored, mode
# 600), so that `manage.py …` works after install without a published key.
SECRET_KEY_FILE = Path(os.environ.get("SECRET_KEY_FILE") or BASE_DIR / ".secret_key")
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if not DEBUG:
        # Never a key published in the repository outside development: sessions,
        # password-reset links and signed values would be forgeable.
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (a long random value, README: Deploy), "
            "run `make install` (it writes a random .secret_key for this machine), "
            "or DEBUG=1 on a developer's machine."
        )
    # A development key, only with DEBUG on.
    SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

# The public address of the portal, for links that leave the site without a request:
# QR codes on printouts, e-mails, calendar feeds (portal/qr.py).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # SimpleAdminConfig: leaflet.admin imports GeoDjango (needs GDAL), so admin
    # modules are discovered by portal.apps instead of django.contrib.admin.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "leaflet",
    "import_export",
    "simple_history",
    "axes",
    "portal",
    "resources",
    "councils",
    "coordinators",
    "reports",
    "analysis",
    # Background jobs: Django's task framework (the django-tasks backport of
    # Django 6's django.tasks) with its database and RQ backends. After portal, so
    # that portal's db_worker (the package's worker plus the schedule) is the one run.
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    # Development apps: the demo municipality and the benchmark.
    "demo",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.StaffNoStoreMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Widget templates live in templates/ beside the pages.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # The data sits in memory or on SSD, where a random read costs about what a
    # sequential one does; PostgreSQL's default (4, for spinning disks) makes it
    # read every row's bigrams rather than the bigram index. PG_OPTIONS overrides.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "PG_OPTIONS", "-c random_page_cost=1.1"
    )
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login lockout (django-axes): five failures lock a username from that address for 30 minutes.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind the README's reverse proxy: how many proxies to trust, and the header
# they write (portal/clientip.py). 0: REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR")
AXES_CLIENT_IP_CALLABLE = "portal.clientip.client_ip"
# Failed logins from one address across every username (django-ratelimit):
# guessing many users' passwords from one place is stopped too.
LOGIN_RATE_PER_ADDRESS = os.environ.get("LOGIN_RATE_PER_ADDRESS", "30/h")
RATELIMIT_IP_META_KEY = "portal.clientip.client_ip"

# Japanese is the source language; English comes from locale/en (make messages).
# A visitor's choice (the switch in the header) is kept in LANGUAGE_COOKIE_NAME;
# without one, the browser's Accept-Language decides, and Japanese is the default.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

# Security headers; HTTPS-only settings are switched on by SECURE=1 behind TLS.
SECURE = envbool("SECURE", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
# HSTS covers the portal's own host and any host below it (portal.city.example.jp
# and *.portal.city.example.jp), not the city's other sites: on by default.
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE and envbool("HSTS_INCLUDE_SUBDOMAINS", True)
# The browsers' preload list takes only a registrable domain (city.example.jp)
# with every subdomain on HTTPS, which is the city's decision, not the portal's:
# off unless HSTS_PRELOAD=1, and then check --deploy's reminder is not needed.
SECURE_HSTS_PRELOAD = SECURE and envbool("HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# The municipality this deployment serves: shown in headers, footers and PDFs.
CITY_NAME = os.environ.get("CITY_NAME", "大阪市")
# The same in English, for pages shown in English (empty: CITY_NAME in every language).
CITY_NAME_EN = os.environ.get("CITY_NAME_EN", "Osaka City")
# Demo data is labelled as such in the UI while this is on.
DEMO_MODE = envbool("DEMO_MODE", True)

# Map tiles. 地理院タイル (淡色地図) by default; OpenStreetMap with
# TILE_URL=https://tile.openstreetmap.org/{z}/{x}/{y}.png and its attribution.
TILE_URL = os.environ.get("TILE_URL", "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png")
TILE_ATTRIBUTION = os.environ.get(
    "TILE_ATTRIBUTION",
    '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>',
)
MAP_CENTER = (
    float(os.environ.get("MAP_CENTER_LAT", "34.6937")),
    float(os.environ.get("MAP_CENTER_LNG", "135.5023")),
)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": MAP_CENTER,
    "DEFAULT_ZOOM": 12,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 18,
    "TILES": [("地図", TILE_URL, {"attribution": TILE_ATTRIBUTION, "maxZoom": 18})],
    "ATTRIBUTION_PREFIX": "Leaflet",
    "RESET_VIEW": False,
    "NO_GLOBALS": False,
}

# The municipality's codes for open data (全国地方公共団体コード) and HSDS ids.
LOCAL_GOVERNMENT_CODE = os.environ.get("LOCAL_GOVERNMENT_CODE", "271004")
PREFECTURE_NAME = os.environ.get("PREFECTURE_NAME", "大阪府")
# Whether tier 1 is the city's wards (大阪市) or the city itself (川口市, 港区).
# These are the first defaults: the city's settings in the database
# (portal.Municipality, filled by manage.py setup_city) win.
CITY_HAS_WARDS = envbool("CITY_HAS_WARDS", True)

# Limits and periods the city may set.
# Django's cache: each process's memory, or Redis shared by every process and host.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1000},  # a search page is some 30 KB
        }
    }
# Anonymous search pages are kept this long in the cache (0: never); any change to
# resources or reference data makes them stale at once (portal/cache.py).
SEARCH_CACHE_SECONDS = envint("SEARCH_CACHE_SECONDS", 300)
# The most rows one printed list or map holds (made as a job above PRINT_JOB_ROWS);
# larger prints: manage.py print_booklet.
PRINT_MAX_ROWS = envint("PRINT_MAX_ROWS", 3000)
# Prints of more rows than this (large print: half as many) are made as a background
# job instead of in the request: about 3 s of WeasyPrint (bench: 100 rows take about 1 s).
PRINT_JOB_ROWS = envint("PRINT_JOB_ROWS", 300)
# Imports of more rows than this (an estimate from the file) preview and write as a job.
IMPORT_JOB_ROWS = envint("IMPORT_JOB_ROWS", 2000)
IMPORT_MAX_UPLOAD_BYTES = envint("IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
CREATION_TARGET_PER_AREA = envint("CREATION_TARGET_PER_AREA", 10)  # 地域資源の創出目標 / 区・年度
RESOURCE_CHECK_INTERVAL_DAYS = envint("RESOURCE_CHECK_INTERVAL_DAYS", 365)

# The verification cycle and suggestions (README "Corrections and the verification
# cycle"): reminders, the 要確認 mark, group links, the senders' personal data.
RECHECK_REMINDER_DAYS = envint("RECHECK_REMINDER_DAYS", 14)
RECHECK_REMINDERS = envint("RECHECK_REMINDERS", 2)
GROUP_LINK_DAYS = envint("GROUP_LINK_DAYS", 120)
SUGGESTION_PERSONAL_DAYS = envint("SUGGESTION_PERSONAL_DAYS", 90)
SUGGESTION_RATE_LIMIT = envint("SUGGESTION_RATE_LIMIT", 5)
# E-mail: printed to the console unless an SMTP host is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")
MEETING_FUTURE_LIMIT_DAYS = envint("MEETING_FUTURE_LIMIT_DAYS", 180)
COUNCIL_ATTACHMENT_MAX_BYTES = envint("COUNCIL_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# Council attachments are staff-only: stored outside MEDIA_ROOT, served by a view.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))

# Background jobs (portal/jobs): the whole-city booklet, large prints and imports.
# TASKS_BACKEND=database (the default: the jobs wait in this database and
# `manage.py db_worker` runs them, so one machine needs no other server) or rq
# (RQ on Redis, when a city outgrows one machine: `manage.py rqworker` on any host).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip().lower()
JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "default")


def redis_url_for_tasks(cache_url: str) -> str:
    """The queue's Redis: the cache's server, one database up. Never the cache's own
    database: clearing the cache (FLUSHDB) would empty the queue."""
    from urllib.parse import urlsplit, urlunsplit

    if not cache_url.startswith(("redis://", "rediss://")):
        return "redis://127.0.0.1:6379/1"
    parts = urlsplit(cache_url)
    database = parts.path.strip("/")
    number = (int(database) + 1) % 16 if database.isdigit() else 1
    return urlunsplit(parts._replace(path=f"/{number}"))


TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL") or redis_url_for_tasks(CACHE_URL)
# The longest a job may run before the worker gives up on it (RQ), and how often a
# running job tells that it is alive; one silent for JOB_STALE_SECONDS is shown as
# failed (its worker was stopped or killed) and can be made again.
JOB_TIMEOUT_SECONDS = envint("JOB_TIMEOUT_SECONDS", 3600)
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "5"))
JOB_STALE_SECONDS = envint("JOB_STALE_SECONDS", 90)
# Finished jobs and their files (booklets, prints) are deleted after this many days.
JOB_RESULT_DAYS = envint("JOB_RESULT_DAYS", 7)
if TASKS_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [JOBS_QUEUE]}}
elif TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [JOBS_QUEUE]}}
else:
    raise RuntimeError(f"TASKS_BACKEND must be database or rq, not {TASKS_BACKEND!r}")
RQ_QUEUES = {JOBS_QUEUE: {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": JOB_TIMEOUT_SECONDS}}
RQ_SHOW_ADMIN_LINK = False
# `manage.py rqworker` runs django-tasks' tasks through this job class.
RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}

# A resource this far (km) outside its area's boundary is saved with a warning.
AREA_MISMATCH_WARNING_KM = float(os.environ.get("AREA_MISMATCH_WARNING_KM", "1.0"))


# Content-Security-Policy on every response (django-csp 4): scripts, styles and
# fonts only from this site's static files (no inline script or style, no
# eval), images also from the map tile host of TILE_URL, nothing framed.
# Data reaches pages as JSON (json_script), never as script.
def tile_origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


CSP_IMG_HOSTS = [h for h in [tile_origin(TILE_URL), *envlist("CSP_IMG_HOSTS", "")] if h]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *CSP_IMG_HOSTS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

# Visitors who are not logged in, per address (portal/ratelimits.py): PDFs and
# HSDS pages that the page cache does not already hold. Empty: no limit.
PUBLIC_PDF_RATE = os.environ.get("PUBLIC_PDF_RATE", "10/m")
PUBLIC_API_RATE = os.environ.get("PUBLIC_API_RATE", "60/m")

# The admin's export buttons (django-import-export) escape formulas as the
# portal's own writer does (portal/spreadsheets.py).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

with contextlib.suppress(ImportError):
    from portal.local_settings import *  # noqa: F403
