"""Settings for the knee valgus self-assessment.

Everything that differs between a laptop and production comes from the environment (see
.env.example). Development needs nothing set: SQLite, DEBUG on, a throwaway secret key.
Production (DJANGO_ENV=production) refuses to start until the secrets and hosts are given.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Makes Django's generic classes subscriptable at run time, as the type checker sees them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


ENVIRONMENT = env_str("DJANGO_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be 'development' or 'production', not {ENVIRONMENT!r}."
    )
PRODUCTION = ENVIRONMENT == "production"

# Keys that are public (the placeholder of .env.example, the development key): production with
# one of them would sign sessions and link tokens anyone can forge.
PLACEHOLDER_SECRET_KEYS = {
    "change-me-to-a-long-random-string",
    "dev-only-insecure-key-never-use-in-production",
}

if PRODUCTION:
    _missing = [name for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS") if not env_str(name)]
    if _missing:
        raise ImproperlyConfigured(
            "Production settings are incomplete: set " + " and ".join(_missing) + "."
        )
    if env_str("DJANGO_SECRET_KEY") in PLACEHOLDER_SECRET_KEYS or env_str(
        "DJANGO_SECRET_KEY"
    ).startswith("change-me"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is the example's placeholder: set a long random key, for example "
            "the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
    DEBUG = env_bool("DJANGO_DEBUG", default=False)
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
else:
    # Only ever used on a developer's machine; production refuses to start without its own.
    SECRET_KEY = env_str("DJANGO_SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
    DEBUG = env_bool("DJANGO_DEBUG", default=True)
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "questionnaire",
    "programs",
    "physios",
    "followup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Right after the security headers and before sessions: a static file costs no session or
    # CSRF work. It serves the hashed, precompressed files collectstatic wrote (see STORAGES).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body: a request Django cannot parse gets one clear 400.
    "valgus_app.requests.RefuseMalformedRequestMiddleware",
    "valgus_app.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Cache-Control: no-store on every page under a link token (after sessions: it also looks
    # at whether the page read the private link from the session).
    "valgus_app.middleware.PrivateTokenPagesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "django_ratelimit.middleware.RatelimitMiddleware",
    "axes.middleware.AxesMiddleware",
]

# django-axes checks every login (the physio login and the admin) before Django's own backend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "valgus_app.urls"

# One template engine for our own pages: Jinja2, from templates/ (the step pages, shown and
# answered many times per person, render several times faster with it). Django's engine is
# there only for the admin's templates, found in the apps.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "valgus_app.jinja.environment",
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "valgus_app.wsgi.application"

# SQLite by default; DATABASE_URL=postgres://user:pass@host:5432/name for PostgreSQL.
# Production keeps each worker's connection open between requests (opening one costs more than
# a whole questionnaire page); the development server opens a thread per request, so it would
# gain nothing.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "60" if PRODUCTION else "0") or 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite's defaults lose under concurrent writers: a rollback journal blocks readers during
    # every write, and a transaction that reads then writes cannot get the write lock if another
    # connection took it meanwhile, so it fails at once with "database is locked" (a 500 on an
    # answer). WAL lets readers run beside the one writer; IMMEDIATE takes the write lock when the
    # transaction starts, so a second writer queues for up to the timeout instead of failing;
    # synchronous=NORMAL is safe with WAL (a power cut may lose the last commits, never corrupt).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }

# The database cache is shared by every app server that uses the same database; point
# CACHE_URL at Redis (redis://host:6379/0) to move it there without touching code.
# "pdf" holds rendered plan PDFs apart from the small entries (rate limits, lockouts), sized by
# PDF_CACHE_MAX_ENTRIES: in the database it evicts the least recently used (valgus_app.cache);
# in Redis, Redis's own maxmemory-policy allkeys-lru does (see docs/deploy.md).
_cache_url = env_str("CACHE_URL")
PDF_CACHE_MAX_ENTRIES = env_int("PDF_CACHE_MAX_ENTRIES", 2000)
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        },
        "pdf": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": "pdf",
            "TIMEOUT": 60 * 60 * 24 * 30,
        },
    }
    # Sessions are read from Redis and kept in the database too: a Redis restart or eviction
    # logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif _cache_url in {"", "db://"}:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "valgus_cache",
        },
        "pdf": {
            "BACKEND": "valgus_app.cache.LeastRecentlyUsedDatabaseCache",
            "LOCATION": "valgus_pdf_cache",
            # One timeout for every entry, renewed on each read: that is what orders them by use.
            "TIMEOUT": 60 * 60 * 24 * 30,
            # Culls a tenth at a time, the least recently used first.
            "OPTIONS": {"MAX_ENTRIES": PDF_CACHE_MAX_ENTRIES, "CULL_FREQUENCY": 10},
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
else:
    raise ImproperlyConfigured(f"CACHE_URL must be empty, db:// or redis://…, not {_cache_url!r}.")

# Background jobs (PDF renders) in the same database: `manage.py db_worker` runs them (Procfile).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Retention (questionnaire.retention, run daily by the worker; README and the privacy page state
# the periods). Anonymous assessments are deleted this many days after their last activity
# (answering, opening the private link or the plan): unfinished ones after 30, finished ones
# after 180. Finished render jobs, which carry a plan's pages, go after a day.
RETENTION_UNFINISHED_DAYS = env_int("RETENTION_UNFINISHED_DAYS", 30)
RETENTION_FINISHED_DAYS = env_int("RETENTION_FINISHED_DAYS", 180)
RETENTION_JOB_HOURS = env_int("RETENTION_JOB_HOURS", 24)
RETENTION_INTERVAL_HOURS = env_int("RETENTION_INTERVAL_HOURS", 24)

# PDFs are rendered by that worker (programs.tasks). A download waits up to PDF_WAIT_SECONDS for
# a queued render before answering "being prepared"; a render stops after PDF_RENDER_SECONDS;
# a render not finished PDF_RENDER_LEASE_SECONDS after it was queued (its worker died, or the
# queue is that long) is queued again by the next page or download that needs it.
PDF_WAIT_SECONDS = env_int("PDF_WAIT_SECONDS", 20)
PDF_RENDER_SECONDS = env_int("PDF_RENDER_SECONDS", 60)
PDF_RENDER_LEASE_SECONDS = env_int("PDF_RENDER_LEASE_SECONDS", 180)
# A PDF with a typed name is dropped once served; one nobody comes back for (the person left the
# "being prepared" page) is kept this long, not for the PDF cache's month.
PDF_NAMED_KEEP_SECONDS = env_int("PDF_NAMED_KEEP_SECONDS", 15 * 60)

# The proxies in front of the app servers, as addresses or networks (CIDR), comma-separated. The
# client address that rate limits and login lockouts use is read from X-Forwarded-For behind
# them (valgus_app.clients); with none given, the connecting address is the client's.
# Production's default is a proxy on the same host (gunicorn listens on 127.0.0.1 by default);
# compose.yaml names its private network, where only Caddy can reach the web service.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"] if PRODUCTION else [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES must list addresses or networks such as 10.0.0.0/8, not {_proxy!r}."
        ) from None

# Rate limits live in the cache above, so they move to Redis with CACHE_URL. The database cache
# cannot increment atomically: under a burst of parallel requests a few more than the limit may
# get through, which is acceptable for a small deployment; Redis makes the limits exact.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "valgus_app.ratelimits.rate_limited"
RATELIMIT_IP_META_KEY = "valgus_app.clients.client_address"
# New anonymous assessments per client address (counted when one is created), and PDF downloads
# per address (plan, doctor's summary, shared plan), as django-ratelimit rates ("30/h",
# "20/10m"). A clinic's shared connection stays far below them; a script creating health-data
# rows or rendering PDFs in a loop does not.
RATE_NEW_ASSESSMENTS = env_str("RATE_NEW_ASSESSMENTS", "30/h")
RATE_PDF = env_str("RATE_PDF", "30/10m")
# Follow-up writes per address (a logged session, a next-morning pain, a re-test, a new calendar
# link): a person logs a few a day; a script filling the log in a loop is stopped.
RATE_FOLLOWUP_WRITES = env_str("RATE_FOLLOWUP_WRITES", "60/h")

# Five wrong passwords for one account from one address lock that pair out for 15 minutes: the
# account stays open from every other address, so nobody can lock a physio out from elsewhere.
# Trying many accounts from one address is slowed by the login page's own rate limit
# (physios.views.LOGIN_RATE).
AXES_CLIENT_IP_CALLABLE = "valgus_app.clients.client_address"
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT", "5") or 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "physios/locked_out.html"
AXES_VERBOSE = False

LOGIN_URL = "physios:login"
LOGIN_REDIRECT_URL = "physios:dashboard"
LOGOUT_REDIRECT_URL = "physios:login"

# E-mail (password resets) goes to the console until an SMTP server is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env_str("EMAIL_PORT", "587") or 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Knee valgus check <no-reply@localhost>")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Production serves what `manage.py collectstatic` wrote to STATIC_ROOT: names carrying a hash
# of the content, so WhiteNoise sends them with a one-year immutable cache lifetime, each beside
# a gzip copy it sends to browsers that accept it. Development and the tests read static/ as is.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Development and the benches serve static/ through WhiteNoise as is, with no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
# Nothing on another site needs our files.
WHITENOISE_ALLOW_ALL_ORIGINS = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Health data: no page may be framed, and no path leaves in a Referer header, not even to our own
# server (token-bearing paths would reach its access log). "strict-origin" sends the origin
# alone, which Django's CSRF check needs on HTTPS for forms posted without JavaScript
# ("no-referrer" would fail it). The page shell's <meta name="referrer"> says the same.
SECURE_REFERRER_POLICY = "strict-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(env_str("DJANGO_HSTS_SECONDS", "31536000") or 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
    # Trusted because the only way in is the TLS proxy (Caddyfile), which sets this header on
    # every request it forwards; never expose gunicorn directly with this setting on.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SESSION_COOKIE_HTTPONLY = True
# A physio's login lasts PHYSIO_SESSION_HOURS (8: a working day) from logging in, not Django's two
# weeks: their pages show clients' health data (physios.apps sets it at login). Anonymous
# sessions only remember which check to continue on this device, and keep Django's default.
PHYSIO_SESSION_HOURS = env_int("PHYSIO_SESSION_HOURS", 8)
CSRF_COOKIE_HTTPONLY = True

# Link tokens sit in URL paths, and Django logs the path of every 404, every error (with its
# traceback) and every request the development server sees: the filter blanks anything
# token-shaped, tracebacks included, before a line is written. Django's own "django" logger is
# routed through it too (its default handlers would otherwise write unfiltered).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "valgus_app.redact.RedactTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {
            "handlers": ["console"],
            "level": env_str("DJANGO_LOG_LEVEL", "WARNING"),
            "propagate": False,
        },
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
