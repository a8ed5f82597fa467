"""Settings for every environment, read from the environment (see .env.example).

Unset variables fall back to the embedded defaults a newcomer gets from `make run`:
SQLite under var/, Celery tasks run in-process, the console email backend and the
offline Stripe sandbox on 127.0.0.1.
"""

from datetime import timedelta
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
    "knox",
    "axes",
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
    # The Content-Security-Policy header on every response (see "Security headers" below).
    "fundraising.csp_middleware.CSPMiddleware",
    # Before anything reads the body (CSRF reads the form): 413 for a body too large.
    "common.middleware.RequestSizeLimitMiddleware",
    # 400 for a NUL character in the path or query (PostgreSQL refuses it in text).
    "common.middleware.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its lockout answer.
    "axes.middleware.AxesMiddleware",
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

# --- Client addresses, sign-in throttling, API tokens -----------------------------------
# How many reverse proxies of ours stand in front of the site, each appending to
# X-Forwarded-For (common/clients.py). 0: the header is ignored, REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# django-axes: LOGIN_FAILURE_LIMIT wrong passwords for one username from one address lock
# that pair out for LOGIN_COOLOFF_MINUTES (the sign-in page, the admin's, the API token).
# Keyed on username and address together, so nobody locks a donor out from elsewhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # a correct password forgets the earlier mistakes
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lockout ends when it says
AXES_LOCKOUT_CALLABLE = "fundraising.accounts.lockout_response"  # 429: JSON or a page
# The same address as every other limit. (Not AXES_IPWARE_PROXY_COUNT: ipware counts the
# proxies listed in the header, one fewer than stand in front of the site; set to ours, it
# would pick an address the client wrote.)
AXES_CLIENT_IP_CALLABLE = "common.clients.client_ip"
# API tokens (django-rest-knox): only a digest is stored; each token expires after
# API_TOKEN_TTL_HOURS (default 10: a working day, so a lost laptop's or a leaked script's
# token is dead by the next morning; scripts take a token when they start), and a new
# password revokes them all (fundraising/tokens.py).
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=10)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=API_TOKEN_TTL_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

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

# --- Uploads and request sizes (common/uploads.py, common/middleware.py) -----------------
# Every upload is checked by its content and stored under a random name; images are
# re-encoded. The largest file of each kind, in bytes, and the most pixels an image may have
# (checked from its header, before it is decoded: a decompression bomb is a 400).
UPLOAD_MAX_BYTES = {"image": 5 * 1024 * 1024, "csv": 20 * 1024 * 1024}
UPLOAD_IMAGE_MAX_PIXELS = 6000 * 6000
# A request declaring a larger body is refused (413) before it is read. The imports take a
# CSV of up to 20 MB plus the form around it. The webhook receiver keeps its own, tighter
# WEBHOOK_MAX_BODY_BYTES inside this limit.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=8 * 1024 * 1024)
MAX_REQUEST_BYTES_BY_PATH = {
    "/api/v1/ledger/reconciliation/imports/": 22 * 1024 * 1024,
    "/admin/reconciliation/": 22 * 1024 * 1024,
}
# Django serves MEDIA_URL itself, with the headers of common.uploads.MEDIA_HEADERS (`make
# run`). In production the web server serves MEDIA_ROOT and must send the same headers
# (DEVELOPERS.md, "Serving uploaded files").
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
# Private files that are not kept in the database (receipt scans): never under MEDIA_ROOT,
# served only through permission-checked views (common.uploads.private_storage).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))

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
# Where donors pay: the hosted checkout page's origin, which the CSP's form-action allows.
# Unset: the origin of STRIPE_API_BASE (the sandbox serves its page there); production:
# https://checkout.stripe.com.
STRIPE_CHECKOUT_ORIGIN = env.str("STRIPE_CHECKOUT_ORIGIN", default="")
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
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Scoped throttles count per client address (common.clients.ClientRateThrottle).
    "DEFAULT_THROTTLE_RATES": {"auth-token": env.str("API_TOKEN_RATE", default="20/hour")},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # DRF's own, refusing JSON nested too deeply and NUL characters with a 400.
    "DEFAULT_PARSER_CLASSES": [
        "common.parsers.JSONParser",
        "common.parsers.FormParser",
        "common.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "common.schema.GotongAutoSchema",
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
    # `<id:...>` (common.converters): a row id, 1 to 18 digits.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 10**18 - 1},
    },
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

# --- Security headers, demo data (production.py adds TLS-only cookies and HSTS) ----------
# Content-Security-Policy (django-csp), the same in development, tests and production, so a
# page that breaks it fails its browser test (tests/browser/test_content_security_policy.py):
# our own scripts, styles and images only; no inline <script>, no style="" attribute, no
# on*= handler, no third-party origin. Charts and other front-end code ship as static files.
# No view relaxes it: the admin needs nothing more, and the API docs load their start-up
# script from a URL (fundraising/urls.py). form-action also gets the payment provider's
# checkout page at each response (fundraising/csp_middleware.py, STRIPE_CHECKOUT_ORIGIN).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # no page address (tokens, references) leaves the site
X_FRAME_OPTIONS = "DENY"
# seed_demo creates accounts whose password is written in this repository (campaigns/demo.py):
# allowed in development and tests, refused by production.py.
DEMO_DATA_ALLOWED = True
