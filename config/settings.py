"""Settings for the district planning site: one file, read from the environment.

Without configuration the site runs for development on SQLite with tasks run in-process.
With DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis) it runs the production shape.
"""

import base64
import binascii
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from config.env import env_bool, env_int, env_list, source_digest

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
elif not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name this site's host names when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "axes",
    "csp",
    "pgtrigger",
    "pghistory",
    "core",
    "accounts",
    "comments",
    "district_plan",
    "theories",
    "benchmarking",
    "visits",
    "learning",
    "meetings",
    "reports",
    "public",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.history.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.NoStoreMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.tenancy.DistrictMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    # Axes must come last so it sees the outcome of every sign-in attempt.
    "axes.middleware.AxesMiddleware",
]

# History is recorded for writes; reads need no pghistory context in front of their queries.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# The moment of each change, not of its transaction's start: "changes since" compares it with
# times read from the clock.
PGHISTORY_CREATED_AT_FUNCTION = "CLOCK_TIMESTAMP()"
# Migrations carry the triggers of models, not of the link tables Django makes for many-to-many
# fields; installing every trigger after `migrate` covers those too.
PGTRIGGER_INSTALL_ON_MIGRATE = True

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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.district",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
# With DB_POOL_SIZE set, each process keeps up to that many PostgreSQL connections open and
# lends one to a request for its length (Django's psycopg pool): give a web process as many as
# it has threads. Without it (the default: the pool measured slower, README) each thread keeps
# its own connection for CONN_MAX_AGE seconds.
DB_POOL_SIZE = env_int("DB_POOL_SIZE", 0, minimum=0)
if DATABASE_URL:
    if DB_POOL_SIZE and env_int("CONN_MAX_AGE", 0):
        raise ImproperlyConfigured(
            "CONN_MAX_AGE must be 0 or unset with DB_POOL_SIZE: the pool keeps the connections."
        )
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL,
                conn_max_age=0 if DB_POOL_SIZE else env_int("CONN_MAX_AGE", 60, minimum=0),
                # A kept or pooled connection is checked before it is used again: after a
                # database restart a request gets a new connection instead of an error.
                conn_health_checks=True,
            )
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
    if DB_POOL_SIZE:
        if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
            raise ImproperlyConfigured("DB_POOL_SIZE needs a PostgreSQL DATABASE_URL.")
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            # Kept open while idle, so a request seldom waits for a new connection.
            "min_size": env_int("DB_POOL_MIN_SIZE", DB_POOL_SIZE, minimum=0),
            "max_size": DB_POOL_SIZE,
            # Seconds a request waits for a free connection before it fails.
            "timeout": env_int("DB_POOL_TIMEOUT", 10, minimum=1),
        }
        if DATABASES["default"]["OPTIONS"]["pool"]["min_size"] > DB_POOL_SIZE:
            raise ImproperlyConfigured("DB_POOL_MIN_SIZE must not be more than DB_POOL_SIZE.")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured("CACHE_URL must be a redis:// URL.")
    # Misses instead of errors while Redis is down (core.cache): what it keeps can be rebuilt.
    CACHES = {"default": {"BACKEND": "core.cache.TolerantRedisCache", "LOCATION": CACHE_URL}}
    # Cached pages and fragments are keyed by the code that rendered them (RELEASE, else a
    # digest of the source), so after a deploy nothing the previous release built is served.
    RELEASE = os.environ.get("RELEASE") or source_digest(BASE_DIR)
    CACHES["default"]["KEY_PREFIX"] = RELEASE[:16]
    # A session is read from the shared cache, and from the database only when the cache lost
    # it or is down (core.sessions). Not with the in-process cache: a sign-out in one process
    # would leave the session alive in the other processes' memory.
    SESSION_ENGINE = "core.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule for passwords: Django's hook for "the password changed", wherever it changed.
    {"NAME": "visits.ics.NewAddressOnPasswordChange"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:pick_district"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in, password reset and second factors (django-allauth). People sign in with their email
# address; nobody signs themselves up: a district admin invites them (accounts.adapters).
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.SignInForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# An address is proved by the invitation link sent to it (or by the district's identity
# provider), so nobody is asked to verify it again before signing in.
ACCOUNT_EMAIL_VERIFICATION = "optional"
# "Forgot your password?" answers the same whether or not the address has an account.
ACCOUNT_PREVENT_ENUMERATION = True
# Sessions last SESSION_COOKIE_AGE; no "remember me" box on a shared tablet.
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Failed passwords are counted by django-axes (its lockout page and settings below); allauth's
# own counter would lock people out a second time with a different message. Nor is there a cap
# on sign-ins per address: a whole school signs in from one address at 8 a.m.
ACCOUNT_RATE_LIMITS = {"login_failed": None, "login": None}
# A person is told by email when a second factor is added or removed on their account.
ACCOUNT_EMAIL_NOTIFICATIONS = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "District planning")
SOCIALACCOUNT_ENABLED = True
# Single sign-on: each district's identity provider is a row of accounts.IdentityProvider, not
# a SocialApp, so the adapter hands allauth the app of the district being signed in to.
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_PROVIDERS = {
    # allauth's OpenID Connect client trusts an ID token it fetched itself without checking its
    # signature, and sends no nonce; this one checks both (accounts.oidc).
    "openid_connect": {
        "provider_class": "accounts.oidc.provider.StrictOpenIDConnectProvider",
        "OAUTH_PKCE_ENABLED": True,
    },
    "google": {"OAUTH_PKCE_ENABLED": True},
    "microsoft": {"OAUTH_PKCE_ENABLED": True},
}
# The key that encrypts district client secrets and authenticator-app keys (accounts.secrets):
# a Fernet key (32 bytes, url-safe base64). Without one it is derived from SECRET_KEY, so
# changing SECRET_KEY then means entering the client secrets and setting up authenticator apps
# again; set SSO_SECRET_KEY in production so SECRET_KEY can be rotated alone.
SSO_SECRET_KEY = os.environ.get("SSO_SECRET_KEY", "")
if SSO_SECRET_KEY:
    try:
        if len(base64.urlsafe_b64decode(SSO_SECRET_KEY.encode())) != 32:
            raise ValueError
    except (ValueError, binascii.Error):
        raise ImproperlyConfigured(
            "SSO_SECRET_KEY must be 32 bytes in url-safe base64 "
            "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())')."
        ) from None
else:
    SSO_SECRET_KEY = base64.urlsafe_b64encode(
        hashlib.sha256(f"sso-secret:{SECRET_KEY}".encode()).digest()
    ).decode()
# Where the demo district's pretend identity provider listens (`make run` starts it).
SSO_DEMO_URL = os.environ.get("SSO_DEMO_URL", "http://127.0.0.1:9400").rstrip("/")

# Sign-in brute-force protection: a run of failures for one email from one address locks
# that pair out for a while; the lockout page says so and when to try again.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_USERNAME_CALLABLE = "accounts.views.axes_username"
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's field, which holds the email
# The address a lockout counts is the client's. With no proxy it is the connection's address
# (X-Forwarded-For is ignored: anyone can send it). Behind TRUSTED_PROXY_COUNT proxies that each
# append the address they saw, the client is that many entries from the right of
# X-Forwarded-For; entries further left were written by the client and are not trusted.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    # ipware counts the proxies listed in the header, after the client; the last proxy is the
    # connection itself and is not listed.
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    # Not strict: a client that sends its own X-Forwarded-For still counts as itself rather
    # than as the load balancer, which would lock everyone else out with it.
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_VERBOSE = False

# English and Spanish (locale/). The interface follows the language chosen in the footer (a
# cookie), else the browser's; the public plan page names its language in the address and a
# report is written in the language chosen when it was requested.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")
if STORAGE_BACKEND == "local":
    # Files (reports) are kept under MEDIA_ROOT and only ever served through views that check
    # who is asking; no URL serves this folder.
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME.")
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured("STORAGE_BACKEND must be local or s3.")

STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task whose worker died unacknowledged is handed to another worker after this long.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 60 * 60),
    # How often a worker looks for such abandoned tasks: every interval times throttle seconds.
    "unacked_restore_interval": env_int("CELERY_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_RESTORE_THROTTLE", 10),
    "socket_connect_timeout": 3,
}
CELERY_TIMEZONE = TIME_ZONE
# Renders and emails wait in separate queues read by separate workers (docker-compose.yml), so
# a slow render never delays a reminder; a worker started without -Q reads both.
CELERY_TASK_QUEUES = [Queue("renders"), Queue("emails")]
CELERY_TASK_ROUTES = {
    "reports.tasks.*": {"queue": "renders"},
    "visits.tasks.*": {"queue": "emails"},
    "accounts.tasks.*": {"queue": "emails"},
    "comments.tasks.*": {"queue": "emails"},
    "public.tasks.*": {"queue": "emails"},
}
# No result backend keeps results, so beat need not send its nightly backend_cleanup (a message
# for a queue no worker reads).
CELERY_RESULT_EXPIRES = None
# Limits for tasks that set none; both stay below the visibility timeout, or a task still
# running would be handed to a second worker.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 5 * 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 6 * 60)
# A worker process is replaced after this many tasks, or when a task leaves it above this many
# KiB (a large board summary peaks near 140 MB), so a leak or a huge render cannot grow forever.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_MAX_TASKS_PER_CHILD", 100)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_MAX_MEMORY_PER_CHILD", 400_000)
# Set local times (CELERY_TIMEZONE), not intervals counted from whenever beat last started,
# after 02:00, when daylight saving changes, so none is skipped or repeated.
CELERY_BEAT_SCHEDULE = {
    "action-item-reminders": {
        "task": "visits.tasks.send_action_item_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Daily digests every morning, weekly ones on Mondays (comments.tasks.send_digests), and
    # any mention email that failed every retry.
    "comment-digests": {
        "task": "comments.tasks.send_digests",
        "schedule": crontab(hour=6, minute=30),
    },
    "mention-emails": {
        "task": "comments.tasks.send_waiting_mention_emails",
        "schedule": crontab(hour=7, minute=5),
    },
    "feedback-answers": {
        "task": "public.tasks.send_feedback_answers",
        "schedule": crontab(hour=7, minute=5),
    },
    # At the start of each slot of the nightly summaries (reports.tasks.NIGHTLY_*).
    "nightly-board-summaries": {
        "task": "reports.tasks.prerender_board_summaries",
        "schedule": crontab(hour="3-4", minute="*/10"),
    },
    "fail-stuck-reports": {
        "task": "reports.tasks.fail_stuck_reports",
        "schedule": 5 * 60,
    },
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "planning@localhost")
# Seconds an SMTP connection may hang; a send that times out is retried, not lost.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# How long the link of an invitation email works.
INVITATION_DAYS = env_int("INVITATION_DAYS", 14)
if INVITATION_DAYS < 1:
    raise ImproperlyConfigured(f"INVITATION_DAYS must be 1 or more, not {INVITATION_DAYS}.")
# The address emails link to when no request says it (an invitation sent from the shell).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Every page, the public one and error pages included, may load only this site's own files:
# no inline script or style (htmx is told not to inject its indicator styles, in base.html),
# no plugins, no framing, and forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
    }
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pgtrigger": {"level": "WARNING"},
    },
}
