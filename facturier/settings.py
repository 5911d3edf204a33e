"""Settings, all read from the environment (see the README's configuration table).

The embedded default needs no service: a SQLite file under ``FACTURIER_DATA_DIR``,
the database tasks backend and e-mail filed under the same directory.
"""

import importlib.util
import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from facturier import __version__

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("FACTURIER_DATA_DIR", BASE_DIR.parent / "var"))
TESTING = "pytest" in sys.modules or os.environ.get("FACTURIER_TESTING") == "1"


def env_bool(name, default=False):
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


def require_extra(module, extra, setting):
    """Stop at start-up, with the command to run, when a setting needs an optional part not installed."""
    if importlib.util.find_spec(module) is None:
        raise ImproperlyConfigured(f"{setting} needs the {extra!r} extra: pip install 'facturier[{extra}]'")


VERSION = __version__
DEBUG = env_bool("FACTURIER_DEBUG")
SECRET_KEY = os.environ.get("FACTURIER_SECRET_KEY", "insecure-development-key-change-me")
ALLOWED_HOSTS = os.environ.get("FACTURIER_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("FACTURIER_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
BASE_URL = os.environ.get("FACTURIER_BASE_URL", "http://localhost:8000")

INSTALLED_APPS = [
    "facturier.accounts",
    "facturier.audit",
    "facturier.firms",
    "facturier.dossiers",
    "facturier.apiclients",
    "facturier.directory",
    "facturier.registry",
    "facturier.archive",
    "facturier.invoices",
    "facturier.invoices.issuing",
    "facturier.invoices.receiving",
    "facturier.mailbox",
    "facturier.recognition",
    "facturier.exchange",
    "facturier.flows",
    "facturier.webhooks",
    "facturier.openapi",
    "facturier.accredited",
    "facturier.accredited.receiving",
    "facturier.ledger",
    "facturier.ereporting",
    "facturier.dashboard",
    "facturier.thirdparties",
    "facturier.notifications",
    "facturier.web",
    "facturier.devidp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "csp",
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
    "django.contrib.messages.middleware.MessageMiddleware",
    "facturier.accounts.middleware.TwoFactorEnrolmentMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "facturier.urls"
WSGI_APPLICATION = "facturier.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "facturier.web.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'facturier.sqlite3'}"),
        conn_max_age=int(os.environ.get("FACTURIER_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,  # a persistent connection the server dropped is replaced, not an error
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    require_extra("psycopg", "postgres", "DATABASE_URL=postgres://…")
    # JIT compilation costs hundreds of milliseconds on the short counting queries
    # of the client list and never pays off for this workload.
    DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off"}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("FACTURIER_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "facturier.web.errors.csrf_failure"

# Behind a TLS-terminating proxy, the proxy's X-Forwarded-Proto tells which requests
# came over HTTPS (the proxy must set it and strip any the client sent) and the last
# X-Forwarded-For address is the client's (the proxy must append it).
BEHIND_TLS_PROXY = env_bool("FACTURIER_BEHIND_TLS_PROXY")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Strict-Transport-Security, sent on HTTPS responses only; off until a deployment
# is sure to stay on TLS (browsers remember it for that many seconds).
SECURE_HSTS_SECONDS = int(os.environ.get("FACTURIER_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("FACTURIER_HSTS_INCLUDE_SUBDOMAINS")

# Content-Security-Policy (django-csp): scripts and styles from our own static files
# only, no inline code or on* handlers. The invoice rendering sets its own stricter policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "blob:"],  # blob: the photo preview before upload
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

# Lockout after repeated failed password sign-ins.
LOGIN_FAILURE_LIMIT = int(os.environ.get("FACTURIER_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("FACTURIER_LOGIN_LOCKOUT_MINUTES", "15"))
# Password-reset e-mails sent per address and per client IP within a window of minutes.
PASSWORD_RESET_EMAIL_LIMIT = int(os.environ.get("FACTURIER_PASSWORD_RESET_EMAIL_LIMIT", "3"))
PASSWORD_RESET_IP_LIMIT = int(os.environ.get("FACTURIER_PASSWORD_RESET_IP_LIMIT", "20"))
PASSWORD_RESET_LIMIT_MINUTES = int(os.environ.get("FACTURIER_PASSWORD_RESET_LIMIT_MINUTES", "60"))
INVITATION_VALID_DAYS = int(os.environ.get("FACTURIER_INVITATION_VALID_DAYS", "7"))

# Firm staff single sign-on (OpenID Connect, standing in for ComptExpert).
OIDC_ISSUER = os.environ.get("FACTURIER_OIDC_ISSUER", "")
OIDC_CLIENT_ID = os.environ.get("FACTURIER_OIDC_CLIENT_ID", "facturier")
OIDC_CLIENT_SECRET = os.environ.get("FACTURIER_OIDC_CLIENT_SECRET", "")
OIDC_CLAIMS = {
    "subject": os.environ.get("FACTURIER_OIDC_CLAIM_SUBJECT", "sub"),
    "email": os.environ.get("FACTURIER_OIDC_CLAIM_EMAIL", "email"),
    "name": os.environ.get("FACTURIER_OIDC_CLAIM_NAME", "name"),
    "chartered_accountant": os.environ.get("FACTURIER_OIDC_CLAIM_CHARTERED", "chartered_accountant"),
    "firms": os.environ.get("FACTURIER_OIDC_CLAIM_FIRMS", "firms"),
}
# The development identity provider: only for the demo and the tests.
DEV_IDP_ENABLED = env_bool("FACTURIER_DEV_IDP", default=TESTING)

# Company registries.
REGISTRY_RECHERCHE_URL = os.environ.get("FACTURIER_RECHERCHE_URL", "https://recherche-entreprises.api.gouv.fr")
REGISTRY_INSEE_URL = os.environ.get("FACTURIER_INSEE_URL", "https://api.insee.fr/api-sirene/3.11")
REGISTRY_INSEE_KEY = os.environ.get("FACTURIER_INSEE_KEY", "")
REGISTRY_BODACC_URL = os.environ.get(
    "FACTURIER_BODACC_URL", "https://bodacc-datadila.opendatasoft.com/api/explore/v2.1"
)
REGISTRY_TIMEOUT = float(os.environ.get("FACTURIER_REGISTRY_TIMEOUT", "5"))
REGISTRY_CACHE_SECONDS = int(os.environ.get("FACTURIER_REGISTRY_CACHE_SECONDS", str(24 * 3600)))
REGISTRY_NOT_FOUND_CACHE_SECONDS = int(os.environ.get("FACTURIER_REGISTRY_NOT_FOUND_CACHE_SECONDS", "3600"))
# A JSON file of companies answering instead of SIRENE and BODACC (demo, offline work).
REGISTRY_LOCAL_FILE = os.environ.get("FACTURIER_REGISTRY_FILE", "")
# The registries, in order of preference: each question (company, proceedings) goes to the first
# provider that answers it and is configured (the local file when set, INSEE when it has a key).
REGISTRY_PROVIDERS = [
    "facturier.registry.providers.localfile.LocalFileProvider",
    "facturier.registry.providers.insee.InseeProvider",
    "facturier.registry.providers.recherche_entreprises.RechercheEntreprisesProvider",
    "facturier.registry.providers.bodacc.BodaccProvider",
]

# The standard platform API (AFNOR XP Z12-013) served to the dossiers' software.
# Its services answer under /<API_PREFIX>/flow-service/v1/..., /<API_PREFIX>/directory-service/v1/...
# and the token endpoint under /<API_PREFIX>/auth-service/token (no prefix by default).
API_PREFIX = os.environ.get("FACTURIER_API_PREFIX", "").strip("/")
# Access tokens are JWTs signed (HS256) with this secret, derived from SECRET_KEY when unset,
# and valid for this many seconds: a revoked client is refused at once anyway.
API_TOKEN_SECRET = os.environ.get("FACTURIER_API_TOKEN_SECRET", "")
API_TOKEN_LIFETIME_SECONDS = int(os.environ.get("FACTURIER_API_TOKEN_LIFETIME_SECONDS", "600"))
# Requests one API client may make per window of seconds (counted in the database, so the
# limit holds across server processes); beyond, 429 with Retry-After.
API_RATE_LIMIT = int(os.environ.get("FACTURIER_API_RATE_LIMIT", "600"))
API_RATE_WINDOW_SECONDS = int(os.environ.get("FACTURIER_API_RATE_WINDOW_SECONDS", "60"))
# Connections to accredited platforms: their client secrets are encrypted at rest with this Fernet key
# (several keys separated by commas: the first encrypts, all decrypt, for rotation), derived from
# SECRET_KEY when unset. Requests to a platform give up after PLATFORM_TIMEOUT seconds.
CONNECTION_KEYS = [key for key in os.environ.get("FACTURIER_CONNECTION_KEY", "").split(",") if key.strip()]
PLATFORM_TIMEOUT = float(os.environ.get("FACTURIER_PLATFORM_TIMEOUT", "30"))
# Connection URLs must be https to public addresses, unless this allows http and private networks
# too (tests, the demo, a platform on the same private network).
PLATFORM_ALLOW_PRIVATE_URLS = env_bool("FACTURIER_PLATFORM_ALLOW_PRIVATE", default=TESTING)

SUPPORT_PHONE = os.environ.get("FACTURIER_SUPPORT_PHONE", "01 23 45 67 89")
SUPPORT_EMAIL = os.environ.get("FACTURIER_SUPPORT_EMAIL", "assistance@facturier.example")
SUPPORT_HOURS = os.environ.get("FACTURIER_SUPPORT_HOURS", "")
# Where the footer's "Code source" link leads (AGPL, section 13): by default the
# platform's own download of the code it runs; a public repository URL otherwise.
SOURCE_URL = os.environ.get("FACTURIER_SOURCE_URL", "")

# E-mail: SMTP when a host is given, otherwise filed under the data directory.
DEFAULT_FROM_EMAIL = os.environ.get("FACTURIER_FROM_EMAIL", "Facturier <no-reply@facturier.example>")
if os.environ.get("FACTURIER_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["FACTURIER_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("FACTURIER_SMTP_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("FACTURIER_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("FACTURIER_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("FACTURIER_SMTP_TLS")
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# Background tasks: "database" (default), "rq" (Redis) or "immediate".
TASKS_BACKEND = os.environ.get("FACTURIER_TASKS", "immediate" if TESTING else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
    }
}
# A task whose worker died (no news for this many seconds) is queued again; on the
# database queue this must exceed the longest run of a task.
TASKS_ABANDONED_AFTER = int(os.environ.get("FACTURIER_TASKS_ABANDONED_AFTER", "600"))
# A received file still "being analysed" this many seconds after its reading was queued (its task lost
# with a Redis flush, failed, or given up) is queued again by the worker (by `serve` itself when tasks run
# in process); keep it above the one above.
INVOICE_ANALYSIS_TIMEOUT = int(os.environ.get("FACTURIER_ANALYSIS_TIMEOUT", "900"))
# Webhook callbacks: https to public addresses only, unless this allows http and private
# networks too (tests, the demo, a receiver on the same private network).
WEBHOOKS_ALLOW_PRIVATE_CALLBACKS = env_bool("FACTURIER_WEBHOOKS_ALLOW_PRIVATE", default=TESTING)
WEBHOOKS_TIMEOUT = float(os.environ.get("FACTURIER_WEBHOOKS_TIMEOUT", "10"))  # seconds per callback
# Receiving from accredited platforms: the worker (or `serve` when tasks run in process) pulls every
# connected dossier's incoming flows this often (seconds; 0: never, cron runs `facturier accredited pull`),
# and, when ACCREDITED_WEBHOOKS is on, subscribes each to its platform's webhook at BASE_URL (which must
# then be this installation's public address).
ACCREDITED_PULL_INTERVAL = int(os.environ.get("FACTURIER_ACCREDITED_PULL_INTERVAL", "300"))
ACCREDITED_WEBHOOKS = env_bool("FACTURIER_ACCREDITED_WEBHOOKS")
if TASKS_BACKEND == "rq":
    require_extra("django_tasks_rq", "rq", "FACTURIER_TASKS=rq")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("FACTURIER_REDIS_URL", "redis://127.0.0.1:6379/0")}}
    RQ = {
        "JOB_CLASS": "django_tasks_rq.Job",  # runs django-tasks' Task objects (RQ's own Job cannot call them)
        "WORKER_CLASS": "facturier.web.rq_workers.RQWorker",
    }
    RQ_EXCEPTION_HANDLERS = ["facturier.web.rq_workers.rerun_abandoned_job"]

if os.environ.get("FACTURIER_REDIS_URL"):
    require_extra("redis", "rq", "FACTURIER_REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["FACTURIER_REDIS_URL"]}
        if os.environ.get("FACTURIER_REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # WhiteNoise serves straight from the apps' static folders (WHITENOISE_USE_FINDERS):
    # no collectstatic step before `facturier serve`.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

# The legal archive: an alias of STORAGES. Files on disk under MEDIA_ROOT/archive by
# default; S3-compatible object storage (django-storages, the "s3" extra) when a bucket
# is given. Either way the platform writes each file once and never overwrites it.
STORAGES["archive"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": MEDIA_ROOT / "archive", "file_permissions_mode": 0o440},
}
if os.environ.get("FACTURIER_ARCHIVE_S3_BUCKET"):
    STORAGES["archive_s3"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["FACTURIER_ARCHIVE_S3_BUCKET"],
            "endpoint_url": os.environ.get("FACTURIER_ARCHIVE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("FACTURIER_ARCHIVE_S3_REGION") or None,
            "access_key": os.environ.get("FACTURIER_ARCHIVE_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("FACTURIER_ARCHIVE_S3_SECRET_KEY") or None,
            "location": os.environ.get("FACTURIER_ARCHIVE_S3_PREFIX", "archive"),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
ARCHIVE_STORAGE = os.environ.get(
    "FACTURIER_ARCHIVE_STORAGE", "archive_s3" if "archive_s3" in STORAGES else "archive"
)
# A received file that is not a structured invoice (a text, an Order-X, a plain picture) is not a legal
# original: it is kept this many days outside the legal archive, for its sender to see, then erased.
REJECTED_FILES_DAYS = int(os.environ.get("FACTURIER_REJECTED_FILES_DAYS", "30"))
# Checkpoints of the archive and audit chains are signed with this Ed25519 key (PEM), kept
# outside the database; `facturier archive keygen PATH` writes one. The demo makes its own.
ARCHIVE_SIGNING_KEY_FILE = os.environ.get("FACTURIER_ARCHIVE_SIGNING_KEY_FILE", "")
# An RFC 3161 time-stamping authority vouching for each checkpoint's date (none by default).
ARCHIVE_TSA_URL = os.environ.get("FACTURIER_ARCHIVE_TSA_URL", "")
ARCHIVE_TSA_TIMEOUT = float(os.environ.get("FACTURIER_ARCHIVE_TSA_TIMEOUT", "10"))
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest invoice file received (upload, e-mail, another dossier); larger ones are refused unread.
# `facturier validate` reads the same variable, with the same default (einvoice.cli.validate).
INVOICE_MAX_FILE_BYTES = int(os.environ.get("FACTURIER_MAX_FILE_MB", "20")) * 1024 * 1024

# Inbound mail (`facturier mail-in`): each dossier receives at <code>@FACTURIER_INBOUND_DOMAIN.
MAILBOX_DOMAIN = os.environ.get("FACTURIER_INBOUND_DOMAIN", "factures.localhost").lower()
MAILBOX_MAX_MESSAGE_BYTES = int(os.environ.get("FACTURIER_MAIL_MAX_MESSAGE_MB", "40")) * 1024 * 1024
MAILBOX_MAX_ATTACHMENT_BYTES = int(os.environ.get("FACTURIER_MAIL_MAX_ATTACHMENT_MB", "20")) * 1024 * 1024
MAILBOX_MAX_ATTACHMENTS = int(os.environ.get("FACTURIER_MAIL_MAX_ATTACHMENTS", "50"))
# A message still waiting for the worker this many seconds after it was accepted is queued again.
MAILBOX_PROCESSING_TIMEOUT = int(os.environ.get("FACTURIER_MAIL_PROCESSING_TIMEOUT", "900"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
# An issued invoice or a recorded status still without any delivery this many seconds later (its task was
# never queued: a crash between the commit and the enqueue) is delivered by the worker's sweep.
DELIVERY_GRACE_SECONDS = float(os.environ.get("FACTURIER_DELIVERY_GRACE_SECONDS", "300"))

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"permission_denied_one_line": {"()": "facturier.web.errors.PermissionDeniedOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # An ordinary refusal is a warning line, not a traceback.
    "loggers": {"django.request": {"filters": ["permission_denied_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("FACTURIER_LOG_LEVEL", "INFO")},
}

# E-reporting (flux 10): the accredited platform that transmits the dossiers' reports (TG-3: its
# 4-character number, scheme 0238). The dossier's accredited-platform connection (issue 11) will supply it.
EREPORTING_PLATFORM_ID = os.environ.get("FACTURIER_EREPORTING_PLATFORM_ID", "0000")
EREPORTING_PLATFORM_NAME = os.environ.get("FACTURIER_EREPORTING_PLATFORM_NAME", "Facturier")
# The first day e-reporting applies: no period before it is listed or due.
EREPORTING_START = os.environ.get("FACTURIER_EREPORTING_START", "2026-09-01")
# How often the worker builds the reports of closed periods, sends again and follows acknowledgements.
EREPORTING_SWEEP_SECONDS = float(os.environ.get("FACTURIER_EREPORTING_SWEEP_SECONDS", "600"))
