"""Settings for Digibank, read from the environment.

Development defaults run out of the box (SQLite, file-system Celery broker,
console e-mail). Production sets ``DEBUG=0`` and must then provide
``SECRET_KEY`` and ``ALLOWED_HOSTS``; see the README for every variable.
"""

from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from digibank.env import (
    env_bool,
    env_broker_url,
    env_database,
    env_int,
    env_list,
    env_months_per_kind,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DIGIBANK_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-this-in-production-0123456789"
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Our apps come first: Django gives the translations of earlier apps
# priority, so our Dutch wording wins over Django's own ("Bewaren", not the
# admin's "Opslaan").
INSTALLED_APPS = [
    "digibank",
    "points",
    "trainings",
    "devices",
    "atelier",
    "soundboard",
    "outreach",
    # Workspaces: above the domain apps, which never import them.
    "counter",
    "dashboard",
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Django's form templates, found after ours (templates/django/forms/).
    "django.forms",
    "django_htmx",
    "template_partials",
    "import_export",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "digibank.middleware.IdleSessionMiddleware",
    "digibank.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "digibank.middleware.RequestGuardMiddleware",
    "digibank.middleware.ReadOnlyFeedsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "digibank.middleware.PrivateResponsesMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "digibank.urls"
WSGI_APPLICATION = "digibank.wsgi.application"

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
                "csp.context_processors.nonce",
                "points.context_processors.current_point",
                "digibank.context_processors.workspace",
            ],
        },
    }
]

# Form widgets render through TEMPLATES, so templates/django/forms/ can
# change one of Django's (the choice options' lang="nl").
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "digibank.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace"
LOGOUT_REDIRECT_URL = "login"

# Shared counter PCs: a session ends after 30 idle minutes and with the browser.
# digibank.middleware.IdleSessionMiddleware moves the expiry on at most once
# a minute, so a request costs no session write (SESSION_SAVE_EVERY_REQUEST
# would write the row on every request, polls included).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_TOUCH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling: lock a username from one address, not a whole office
# that shares one public address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["digibank.formats"]
# The digibank's name on reports (the funder report as PDF).
DIGIBANK_NAME = env_str("DIGIBANK_NAME", "Digibank Mechelen")
# Who issues the donors' data-erasure certificates, and their address, as
# printed on each certificate.
ERASURE_CERTIFICATE_ISSUER = env_str("ERASURE_CERTIFICATE_ISSUER",
                                     f"{DIGIBANK_NAME}, atelier")
ERASURE_CERTIFICATE_ADDRESS = env_str("ERASURE_CERTIFICATE_ADDRESS",
                                      "Grote Markt 21, 2800 Mechelen")
# The site's own address, for links in e-mails written without a request
# (the nightly digest): the first allowed host over https in production.
SITE_URL = env_str(
    "SITE_URL", "http://127.0.0.1:8000" if DEBUG or not ALLOWED_HOSTS
    else f"https://{ALLOWED_HOSTS[0]}").rstrip("/")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: console in development, SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Digibank <digibank@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The public contact point (accessibility statement, posters, e-mails).
CONTACT_PHONE = env_str("CONTACT_PHONE", "015 29 76 50")
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "digibank@mechelen.be")

# Data protection: how many months each kind of personal record is kept
# after it ends (digibank/retention.py lists the kinds, their defaults and
# what happens then), e.g. RETENTION=visit_notes=6,call_tasks=3. Residents
# inactive longer than RETENTION_MONTHS (or RETENTION=residents=…), with
# nothing active, are anonymised by the same nightly job.
# The apps declare their kinds; DigibankConfig.ready() refuses an unknown
# one once they are loaded (digibank.retention.check_setting). Kinds not
# named here keep their default.
RETENTION = env_months_per_kind(
    "RETENTION", {"residents": env_int("RETENTION_MONTHS", 24, minimum=1)}, any_kind=True,
)
RETENTION_MONTHS = RETENTION["residents"]

# Celery. Without REDIS_URL the broker is a folder on disk, so `make run`
# needs no server; production and CI use Redis.
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = env_broker_url("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_FILESYSTEM_FOLDER = VAR_DIR / "celery"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# A worker takes one message ahead per process, not four: what a killed
# worker held comes back to the queue, so the fewer the better.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# An unacknowledged message (a task with acks_late that was running, or one
# a killed worker had taken ahead) goes back to the queue after this many
# seconds; Redis's default is an hour. It must stay longer than the longest
# acks_late task (digibank.celery.RUN_ONCE: 10 minutes at most).
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 15 * 60, minimum=11 * 60)
# Publishing must not hang a request while the broker is down: the outbox
# tries once and its sweep sends later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
# The mail server gets this long to answer before an outbox attempt fails.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
HEARTBEAT_MAX_AGE_SECONDS = env_int("HEARTBEAT_MAX_AGE_SECONDS", 300, minimum=60)

# Spreadsheets exported from the admin write formula-like text as text.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# Cache (rate limits, throttles): Redis when configured, else in-process.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
         "KEY_PREFIX": "digibank",
         # A Redis that is down or unreachable must cost a request little:
         # pages fall back to building their answer (digibank/cache.py).
         "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Security headers. Production (DEBUG off) is strict by default; each can be
# relaxed through the environment, for example behind a TLS-terminating proxy.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Addresses of reverse proxies whose X-Forwarded-For / X-Real-IP are believed
# (only for deciding whether /healthz was asked from this machine).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "digibank.tasks.heartbeat", "schedule": 60.0},
    # The outbox: whatever was not sent after its commit (the broker was
    # down, a worker died, the mail server refused) goes now.
    "sweep-outbox": {"task": "digibank.tasks.sweep_outbox", "schedule": 60.0},
    "apply-retention": {
        "task": "digibank.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
    "outreach-expire-consents": {
        "task": "outreach.tasks.expire_consents",
        "schedule": crontab(hour=2, minute=10),
    },
    "outreach-follow-up-reminders": {
        "task": "outreach.tasks.send_follow_up_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    "outreach-ask-to-check-offers": {
        "task": "outreach.tasks.ask_to_check_offers",
        "schedule": crontab(hour=6, minute=40),
    },
    "trainings-session-reminders": {
        "task": "trainings.tasks.send_session_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # Also queued when a session is planned; this catches what a broker
    # outage dropped and places that became free.
    "trainings-tell-interest": {
        "task": "trainings.tasks.tell_interest_about_places",
        "schedule": crontab(minute="*/15", hour="7-20"),
    },
    "close-stale-visits": {
        "task": "points.tasks.close_stale_visits",
        "schedule": crontab(hour=1, minute=15),
    },
    # After close-stale-visits, so yesterday's forgotten visits are counted
    # as left in yesterday's roll-up.
    "build-dashboard-rollup": {
        "task": "dashboard.tasks.build_rollup",
        "schedule": crontab(hour=2, minute=45),
    },
    "devices-check-reminders": {
        "task": "devices.tasks.send_check_reminders",
        "schedule": crontab(hour=7, minute=10),
    },
    "devices-reservation-reminders": {
        "task": "devices.tasks.send_reservation_reminders",
        "schedule": crontab(hour=7, minute=20),
    },
    "devices-review-reminders": {
        "task": "devices.tasks.send_review_reminders",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    "soundboard-build-due-digests": {
        "task": "soundboard.tasks.build_due_digests",
        "schedule": crontab(hour=6, minute=15),
    },
    "atelier-flag-stale-tickets": {
        "task": "atelier.tasks.flag_stale_tickets",
        "schedule": crontab(hour=6, minute=40),
    },
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "data_folder_in": str(CELERY_FILESYSTEM_FOLDER / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_FOLDER / "queue"),
        "control_folder": str(CELERY_FILESYSTEM_FOLDER / "control"),
        "store_processed": False,
    }
