"""Settings for every environment, read from the environment (see .env.example).

Unset variables fall back to the embedded defaults a newcomer gets from `make run`:
SQLite under var/, Celery tasks run in-process, the console email backend and the
offline Stripe sandbox on 127.0.0.1.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - refused by production.py
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "djmoney",
    "common",
    "fundraising",
    "campaigns",
    "donors",
    "ledger",
    "payments",
    "reconciliation",
    "treasury",
    "webhooks",
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
]

ROOT_URLCONF = "fundraising.urls"
WSGI_APPLICATION = "fundraising.wsgi.application"
ASGI_APPLICATION = "fundraising.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fundraising" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'gotong.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server, the sandbox's webhook deliveries and
    # in-process tasks share the file without "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache ----------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="gotong"),
        }
    }
else:
    # No broker: tasks run in-process when they are enqueued (after the commit).
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Kuala_Lumpur"
CELERY_BEAT_SCHEDULE = {
    "campaigns-advance-schedule": {
        "task": "campaigns.tasks.advance_campaign_schedule",
        "schedule": 15 * 60,
    },
    # Giving: re-enqueue webhook events a broker outage or a crashed worker left behind.
    "webhooks-sweep-unprocessed": {
        "task": "webhooks.tasks.sweep_events",
        "schedule": 5 * 60,
    },
    # Reconciliation: re-send statement imports whose queue message was lost.
    "reconciliation-sweep-imports": {
        "task": "reconciliation.tasks.sweep_imports",
        "schedule": 5 * 60,
    },
}

# --- Auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "campaigns:mine"
LOGOUT_REDIRECT_URL = "campaigns:list"

# --- Internationalisation --------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("id", _("Bahasa Indonesia")), ("ms", _("Bahasa Melayu"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Kuala_Lumpur"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "fundraising" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email ----------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Gotong <noreply@gotong.example>")

# --- Money ----------------------------------------------------------------------------
BOOK_CURRENCY = env.str("BOOK_CURRENCY", default="MYR")
CURRENCIES = (
    "MYR", "IDR", "PHP", "THB", "SGD", "KHR", "MMK", "LAK", "VND",
    "INR", "LKR", "NPR", "BDT", "PKR", "AFN", "JPY", "KRW", "CNY", "HKD", "USD", "EUR",
)  # fmt: skip
DEFAULT_CURRENCY = BOOK_CURRENCY

# --- Stripe (the giving issue uses these; the sandbox stands in offline) ---------------
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="sk_test_sandbox")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="pk_test_sandbox")
STRIPE_WEBHOOK_SECRET = env.list("STRIPE_WEBHOOK_SECRET", default=["whsec_sandbox"])
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="http://127.0.0.1:12111")
STRIPE_SETTLEMENT_CURRENCY = env.str("STRIPE_SETTLEMENT_CURRENCY", default=BOOK_CURRENCY)
# The provider new gifts go through (a package under payments/).
PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default="stripe")

# --- Giving (donors/, webhooks/) ---------------------------------------------------------
# Currencies donors may give in (each campaign narrows this, see donors.services.start).
DONATION_CURRENCIES = env.list("DONATION_CURRENCIES", default=list(CURRENCIES))
# The largest gift taken online, per currency (about MYR 50,000); larger gifts by arrangement.
DONATION_MAXIMUM = {
    "MYR": 50_000, "IDR": 175_000_000, "PHP": 650_000, "THB": 400_000, "SGD": 15_000,
    "KHR": 45_000_000, "MMK": 25_000_000, "LAK": 250_000_000, "VND": 300_000_000,
    "INR": 1_000_000, "LKR": 3_500_000, "NPR": 1_500_000, "BDT": 1_400_000,
    "PKR": 3_300_000, "AFN": 800_000, "JPY": 1_700_000, "KRW": 16_000_000, "CNY": 80_000,
    "HKD": 90_000, "USD": 11_000, "EUR": 10_500,
}  # fmt: skip
DONATION_RATE_LIMIT = (  # attempts per client, per window in seconds
    env.int("DONATION_RATE_LIMIT", default=10),
    env.int("DONATION_RATE_WINDOW", default=600),
)
# "Cover the processing fee" adds this share of the gift (Stripe's card fee, rounded up).
DONATION_FEE_ESTIMATE_PERCENT = env.str("DONATION_FEE_ESTIMATE_PERCENT", default="4.0")
DONATION_PRESET_AMOUNTS = {"MYR": [20, 50, 100, 250], "IDR": [50_000, 100_000, 250_000, 500_000],
                           "USD": [10, 25, 50, 100]}  # fmt: skip
WEBHOOK_MAX_BODY_BYTES = env.int("WEBHOOK_MAX_BODY_BYTES", default=512 * 1024)

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gotong API",
    "DESCRIPTION": "Crowdfunding for the solidarity economy: enterprises, campaigns, giving, "
    "and the secretariat's ledger.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Served from our own static files: the machines have no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CampaignStatusEnum": "campaigns.models.CampaignStatus",
        "MembershipStatusEnum": "campaigns.models.MembershipStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
