"""Settings for syslead, read from the environment (12-factor).

``DJANGO_ENV`` selects the mode: ``development`` (the default, so that a fresh clone runs with
nothing set: SQLite, eager Celery tasks, console email) or ``production`` (secret key and
allowed hosts required, HTTPS-only cookies, HSTS, SMTP email). Every value that is not valid
stops start-up with a message naming the variable.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="development-only-insecure-key")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# How many proxies (load balancer, TLS terminator) stand in front of gunicorn and append to
# X-Forwarded-For. 0: the site is reached directly, and X-Forwarded-For/-Proto are ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
if TRUSTED_PROXY_COUNT:
    # Only a proxy can be trusted to say the browser used HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SERVICE_NAME = env.str("SERVICE_NAME", default="Find and broker system leaders")
PHASE_BANNER = env.str("PHASE_BANNER", default="Beta")
# Who runs the service and how anyone reaches them: named in the accessibility statement and the
# cookies page (statements app); the phase banner's feedback link goes to FEEDBACK_URL, or else
# emails the contact address.
SERVICE_ORGANISATION = env.str("SERVICE_ORGANISATION", default="Department for Education")
SERVICE_CONTACT_EMAIL = env.str("SERVICE_CONTACT_EMAIL", default="syslead@syslead.invalid")
SERVICE_CONTACT_PHONE = env.str("SERVICE_CONTACT_PHONE", default="")
FEEDBACK_URL = env.str("FEEDBACK_URL", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    "axes",
    "submissions",
    "changefeed",
    "idempotency",
    "money",
    "csp",
    "govuk",
    "accounts",
    "schools",
    "schooldays",
    "designations",
    "brokerage",
    "deployments",
    "funding",
    "oversight",
    "worklist",
    "navigation",
    "webhooks",
    "apiguide",
    "statements",
    "dataprotection",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Outside everything that reads the clock for an API request (tokens' expiry, idempotency keys,
    # the views): in the sandbox, X-With-Server-Date moves that clock for the whole request.
    "apiguide.sandbox.ServerDateMiddleware",
    # Deprecation, Sunset and Link headers on the answers of deprecated operations and parameters.
    "apiguide.deprecations.DeprecationHeadersMiddleware",
    # Inside the no-store header above and outside the views: ETag/304 and RateLimit on /api/ answers.
    "apiformat.middleware.ApiConditionalGetMiddleware",
    "apiformat.middleware.RateLimitHeadersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in person's keys are their own (a token's, its own).
    "idempotency.middleware.IdempotencyKeyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "worklist.middleware.RecountTasksAfterPost",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.service",
                "worklist.context_processors.task_count",
                "statements.context_processors.feedback",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: opening one per request cost up to 40% of a light page's throughput. The
# health check replaces a connection the database has dropped before a request uses it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.ModelPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 1  # hours
# One lock per (email, IP address) pair: failures for one email from one address lock only that
# pair, so a guesser can neither lock a person out from everywhere nor, behind the proxy, everyone.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.lockout_client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/assets/"
STATIC_ROOT = BASE_DIR / "staticfiles"
GOVUK_FRONTEND_DIST = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
STATICFILES_DIRS = [BASE_DIR / "static"]
if GOVUK_FRONTEND_DIST.exists():
    # The compiled GOV.UK CSS refers to /assets/fonts and /assets/images: serve the package's
    # assets folder at the root of STATIC_URL and its CSS/JS under "govuk/".
    STATICFILES_DIRS += [GOVUK_FRONTEND_DIST / "assets", ("govuk", GOVUK_FRONTEND_DIST)]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploaded files (import files, evidence) are private: never served from a public URL, only
# through views that check who may see them. FILE_STORAGE=s3 keeps them in an S3-compatible
# bucket instead of MEDIA_ROOT (credentials from the standard AWS_* environment variables).
FILE_STORAGE = env.str("FILE_STORAGE", default="filesystem")
if FILE_STORAGE not in {"filesystem", "s3"}:
    raise ImproperlyConfigured("FILE_STORAGE must be 'filesystem' or 's3'.")
if FILE_STORAGE == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_UPLOAD_MAX_BYTES = env.int("IMPORT_UPLOAD_MAX_BYTES", default=200 * 1024 * 1024)
# A running import reports progress after every batch of rows; one silent for longer than this has
# lost its worker and counts as interrupted (shown so, and it can be run again).
IMPORT_STALE_MINUTES = env.float("IMPORT_STALE_MINUTES", default=10)
if IMPORT_STALE_MINUTES <= 0:
    raise ImproperlyConfigured("IMPORT_STALE_MINUTES must be a number of minutes greater than 0.")
# Claims of more than this many pounds need a second approver (funding.services.claims).
CLAIM_SECOND_APPROVAL_ABOVE = env.str("CLAIM_SECOND_APPROVAL_ABOVE", default="10000")
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
REFEREE_LINK_DAYS = env.int("REFEREE_LINK_DAYS", default=21)
INVITATION_DAYS = env.int("INVITATION_DAYS", default=14)
# Absolute links in emails (referee links, reminders) are built on this address.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="smtp://localhost:25" if PRODUCTION else "consolemail://"
)
EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL_CONFIG.get("EMAIL_HOST", "")
EMAIL_PORT = EMAIL_CONFIG.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = EMAIL_CONFIG.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = EMAIL_CONFIG.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_CONFIG.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = EMAIL_CONFIG.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="syslead <no-reply@syslead.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged only once it has finished, so one whose worker dies is delivered again:
# at once when a pool process dies, and after the broker's visibility timeout when the whole worker
# does. The timeout must outlast the longest task (the time limit), or a task still running would be
# delivered to a second worker; every task is safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=60 * 60)
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 5 * 60)
if CELERY_TASK_TIME_LIMIT <= 0:
    raise ImproperlyConfigured("CELERY_TASK_TIME_LIMIT must be a number of seconds greater than 0.")
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT, or a task still running "
        "would be delivered to a second worker."
    )
if IMPORT_STALE_MINUTES * 60 >= CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured("IMPORT_STALE_MINUTES must be shorter than CELERY_VISIBILITY_TIMEOUT.")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {
    # Times are CELERY_TIMEZONE (Europe/London) wall-clock times.
    "schools-interrupt-stalled-imports": {
        "task": "schools.interrupt_stalled_imports",
        "schedule": crontab(minute="*/5"),
    },
    "designations-check-designations": {
        "task": "designations.check_designations",
        "schedule": crontab(hour=2, minute=0),
    },
    "designations-send-review-reminders": {
        "task": "designations.send_review_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    "deployments-send-deployment-review-reminders": {
        "task": "deployments.send_deployment_review_reminders",
        "schedule": crontab(hour=5, minute=0),
    },
    "deployments-flag-stalled-deployments": {
        "task": "deployments.flag_stalled_deployments",
        "schedule": crontab(hour=5, minute=30),
    },
    "deployments-close-ended-deployments": {
        "task": "deployments.close_ended_deployments",
        "schedule": crontab(hour=6, minute=0),
    },
    "deployments-flag-undeployed-sles": {
        "task": "deployments.flag_undeployed_sles",
        "schedule": crontab(hour=6, minute=30),
    },
    "funding-schedule-bursaries": {
        # Yearly, as the financial year starts; a re-run (or a missed run done by hand) is harmless.
        "task": "funding.schedule_bursaries",
        "schedule": crontab(hour=6, minute=0, day_of_month=1, month_of_year=4),
    },
    "funding-remind-unclaimed-days": {
        "task": "funding.remind_unclaimed_days",
        "schedule": crontab(hour=7, minute=0),
    },
    "funding-flag-overdue-claims": {
        "task": "funding.flag_overdue_claims",
        "schedule": crontab(hour=7, minute=30),
    },
    "changefeed-publish-pending": {
        # Numbers events whose after-commit step never ran; normally there are none.
        "task": "changefeed.publish_pending",
        "schedule": crontab(minute="*"),
    },
    "webhooks-send-due-deliveries": {
        "task": "webhooks.send_due_deliveries",
        "schedule": crontab(minute="*"),
    },
    "submissions-clear-old-submissions": {
        "task": "submissions.clear_old_submissions",
        "schedule": crontab(hour=3, minute=0),
    },
    "idempotency-clear-expired-keys": {
        "task": "idempotency.clear_expired_keys",
        "schedule": crontab(hour=3, minute=15),
    },
    "dataprotection-apply-retention": {
        # Deletes or anonymises what is past its retention period; a re-run does nothing more.
        "task": "dataprotection.apply_retention",
        "schedule": crontab(hour=3, minute=30),
    },
}

# Data protection (dataprotection app): who the controller and the data protection officer are, for
# the privacy notice; when a copy of a person's data is too large to build while they wait (then a
# task builds it and a signed link offers it for DATA_EXPORT_LINK_HOURS); retention's batch size.
DATA_CONTROLLER_NAME = env.str("DATA_CONTROLLER_NAME", default="Department for Education")
DATA_CONTROLLER_ADDRESS = env.str(
    "DATA_CONTROLLER_ADDRESS", default="Sanctuary Buildings, 20 Great Smith Street, London SW1P 3BT"
)
DATA_PROTECTION_OFFICER_EMAIL = env.str("DATA_PROTECTION_OFFICER_EMAIL", default="dpo@syslead.invalid")
DATA_PROTECTION_OFFICER_NAME = env.str("DATA_PROTECTION_OFFICER_NAME", default="Data Protection Officer")
DATA_EXPORT_INLINE_MAX_RECORDS = env.int("DATA_EXPORT_INLINE_MAX_RECORDS", default=5000)
DATA_EXPORT_INLINE_MAX_BYTES = env.int("DATA_EXPORT_INLINE_MAX_BYTES", default=20 * 1024 * 1024)
DATA_EXPORT_LINK_HOURS = env.int("DATA_EXPORT_LINK_HOURS", default=72)
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=500)
if DATA_EXPORT_LINK_HOURS <= 0 or RETENTION_BATCH_SIZE <= 0:
    raise ImproperlyConfigured("DATA_EXPORT_LINK_HOURS and RETENTION_BATCH_SIZE must be greater than 0.")

# Webhooks (webhooks app): https only and public addresses only, unless these say otherwise (for
# tests and development against a local receiver; refused in production).
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=False)
WEBHOOKS_ALLOW_PRIVATE_HOSTS = env.bool("WEBHOOKS_ALLOW_PRIVATE_HOSTS", default=False)
if PRODUCTION and (WEBHOOKS_ALLOW_HTTP or WEBHOOKS_ALLOW_PRIVATE_HOSTS):
    raise ImproperlyConfigured(
        "WEBHOOKS_ALLOW_HTTP and WEBHOOKS_ALLOW_PRIVATE_HOSTS are for development only."
    )
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=5)
# A subscription is turned off (and its organisation's administrators told) once this many
# deliveries in a row have failed every attempt.
WEBHOOKS_DISABLE_AFTER_FAILURES = env.int("WEBHOOKS_DISABLE_AFTER_FAILURES", default=3)
if WEBHOOKS_TIMEOUT_SECONDS <= 0 or WEBHOOKS_DISABLE_AFTER_FAILURES < 1:
    raise ImproperlyConfigured(
        "WEBHOOKS_TIMEOUT_SECONDS must be above 0 and WEBHOOKS_DISABLE_AFTER_FAILURES at least 1."
    )

# The partner sandbox (apiguide.sandbox): API requests may send X-With-Server-Date to run as if it
# were that date. The clock is the whole process's, so this is for a demo server with sync workers
# (one request at a time), never for production.
SANDBOX_MODE = env.bool("SANDBOX_MODE", default=False)
if PRODUCTION and SANDBOX_MODE:
    raise ImproperlyConfigured("SANDBOX_MODE is for a development sandbox, never with DJANGO_ENV=production.")

REST_FRAMEWORK = {
    # The token class comes first: its WWW-Authenticate header turns "not signed in" into a 401.
    # Sessions let signed-in people use the API docs' "Try it out".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.OrganisationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["apiformat.filters.StrictFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "apiformat.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api.throttling.OrganisationTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_THROTTLE_RATE", default="1000/hour")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Amounts are decimal strings, never floats (money.api.amount_field).
    "COERCE_DECIMAL_TO_STRING": True,
    # Every error is RFC 9457 problem details (apiformat.problems).
    "EXCEPTION_HANDLER": "apiformat.problems.problem_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "syslead API",
    "DESCRIPTION": "School-to-school support: schools, system leaders, support requests and "
    "deployments. Authenticate with `Authorization: Token <key>`; a token belongs to an "
    "organisation and sees what that organisation may see.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "GradeEnum": "schools.choices.Grade",
        "EventTypeEnum": "changefeed.choices.EventType",
        "WebhookDeliveryStatusEnum": "webhooks.choices.DeliveryStatus",
        "SchoolStatusEnum": "schools.choices.SchoolStatus",
        "OrganisationKindEnum": "accounts.choices.OrganisationKind",
    },
    # The error responses every operation can give, as problem details, so none is forgotten.
    "PREPROCESSING_HOOKS": ["apiformat.routers.leave_out_slashless_twins"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apiformat.schema.add_error_responses",
        "apiguide.deprecations.mark_deprecated_in_schema",
    ],
}

SESSION_COOKIE_HTTPONLY = True
# The absolute limit after signing in; SESSION_IDLE_MINUTES without a request ends it sooner
# (accounts.middleware.SessionTimeoutMiddleware; pages warn 2 minutes before, when JavaScript runs).
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
if not 1 <= SESSION_IDLE_MINUTES <= SESSION_COOKIE_AGE // 60:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES must be between 1 and 480.")
# How long before the idle end the timeout warning opens (capped at half the idle time).
SESSION_WARNING_SECONDS = min(120, SESSION_IDLE_MINUTES * 30)
# Only the service's own scripts, styles, fonts and images; the two inline scripts in base.html
# (GOV.UK's js-enabled class and initAll) carry the request's nonce. The API docs page adds what
# Swagger UI needs (config/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "font-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Browser features the service never uses, turned off for every page (config.middleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "usb", "xr-spatial-tracking",
    )
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
