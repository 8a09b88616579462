"""Settings shared by every environment. Secrets and URLs come from the environment only."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
# The secret the bodies' seal keys are encrypted under (approvals.seal); empty: derived from SECRET_KEY.
PIAO_SEAL_SECRET = os.environ.get("PIAO_SEAL_SECRET", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "simple_history",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "bootstrap_italia_template",
    "workflow",
    "approvals",
    "audit",
    "flows",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "workflow.middleware.CurrentBodyMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "workflow.context_processors.current_body",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# DATABASE_URL selects PostgreSQL (or any URL dj-database-url understands); SQLite otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=0,
    )
}
# SQLite (the embedded default, one server process): every write transaction takes the write lock when it
# begins (IMMEDIATE), and a writer that finds it taken waits up to 20 s instead of failing at once with
# "database is locked"; WAL lets readers go on while one writer works.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; citizens see public pages only

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workflow:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano")]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# One process (the README's runserver): the in-memory layer. Several server processes share pushes
# through Redis: set REDIS_URL. redis-py 8's defaults do not suit a channel layer: the socket timeout must
# outlast the layer's 5 s blocking pop (5 s would drop every idle websocket), and a pool of 100
# connections refuses the sockets of a burst of page loads ("Too many connections"). All the sockets of
# one server process share one Redis queue: its capacity bounds the messages waiting for all of them.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL}]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# E-mail: printed on the console unless an environment says otherwise (prod.py: SMTP). SITE_URL makes the
# links in the e-mails absolute.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# The task queue (Django's tasks API, django-tasks for 5.2): work that must not hold a request, such as the
# e-mails of a step, is a row in the database, written with the change; ``manage.py db_worker`` runs it
# (scripts/run.sh starts one beside the demo server; README, "Produzione", says how many in production).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "PIAO <noreply@localhost>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True  # restores go through flows/, never the admin

# Content security policy (django-csp): scripts, styles, fonts and images only from this site, no inline
# script (a template that needs one gives it the request's nonce: <script nonce="{{ request.csp_nonce }}">),
# no plugins, no framing; the live notifications' websocket is same-origin ('self'). Styles may be inline:
# Bootstrap Italia's script inserts <style> elements at run time (style injection cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # Django's default config gives "django" a console handler of its own: records would print twice.
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}

# Uploads (acts, receipts, minutes, signed PDFs): at most UPLOAD_MAX_BYTES each; a PDF is parsed before it
# is accepted and refused when its streams expand beyond PDF_MAX_EXPANDED_BYTES (approvals/uploads.py).
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
PDF_MAX_EXPANDED_BYTES = int(os.environ.get("PDF_MAX_EXPANDED_BYTES", str(100 * 1024 * 1024)))

# Transmission to Funzione Pubblica through an intermediary (bodies whose transmitter is "http"): one POST
# waits at most TRANSMISSION_HTTP_TIMEOUT seconds; a failed attempt is tried again after 60 s, 120 s,
# 240 s... (at most TRANSMISSION_RETRY_MAX_SECONDS), TRANSMISSION_MAX_ATTEMPTS times in all. The first
# attempt follows the commit of the step; `manage.py send_transmissions` (cron or --loop) sends the rest.
TRANSMISSION_HTTP_TIMEOUT = float(os.environ.get("TRANSMISSION_HTTP_TIMEOUT", "20"))
TRANSMISSION_MAX_ATTEMPTS = int(os.environ.get("TRANSMISSION_MAX_ATTEMPTS", "6"))
TRANSMISSION_RETRY_BASE_SECONDS = float(os.environ.get("TRANSMISSION_RETRY_BASE_SECONDS", "60"))
TRANSMISSION_RETRY_MAX_SECONDS = float(os.environ.get("TRANSMISSION_RETRY_MAX_SECONDS", "3600"))
TRANSMISSION_SEND_ON_COMMIT = os.environ.get("TRANSMISSION_SEND_ON_COMMIT", "1") == "1"

# -- Login: throttling (django-axes) and password reset ---------------------------------------------------
# Five failed logins of one username from one address within 15 minutes lock that pair for 15 minutes from
# the fifth failure (attempts while locked are refused, not counted, and do not extend the lock); a
# successful login clears the pair's failures. The pair, not the username alone nor the address alone: a
# lock on the username would let anyone lock a colleague out by typing five wrong passwords, and a lock on
# the address would lock a whole office (a Comune's staff reach the internet through one address). The
# locked page is the login page with an Italian message (audit.views.logins.lockout_response); a body's
# Amministratore (or a superuser) unlocks its people on /accesso/bloccati/, recorded in the evidence log.
INSTALLED_APPS.append("axes")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, as axes requires
AUTHENTICATION_BACKENDS.insert(0, "axes.backends.AxesStandaloneBackend")  # first: refuses a locked pair
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "audit.views.logins.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the evidence log already
AXES_ENABLE_ADMIN = False  # unlocking goes through the page above, which checks the body and logs it
# The client's address, for the lock and for the evidence log (audit.logins.client_ip). Behind reverse
# proxies (production: TLS ends at the proxy), REMOTE_ADDR is the nearest proxy: set TRUSTED_PROXY_COUNT
# to the number of proxies in front of the server, each of which must append the address it received the
# request from to X-Forwarded-For (nginx: proxy_add_x_forwarded_for). The client is then that many entries
# from the right of X-Forwarded-For; what the client itself wrote further left is never trusted.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "audit.logins.client_ip"
# A password reset link is valid for one day; the e-mail's links start with SITE_URL, never with the Host
# header of the request that asked for it.
PASSWORD_RESET_TIMEOUT = 24 * 3600
