"""Production: every secret from the environment; refuses to start without them.

Served by an ASGI server (daphne or uvicorn, several processes) behind a reverse proxy that terminates TLS
and sets X-Forwarded-Proto; static files from STATIC_ROOT (after `collectstatic`) through WhiteNoise; the
channel layer on Redis (REDIS_URL) so that every process reaches every websocket. README, "In produzione".
"""

import os
import warnings

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} deve essere impostata nell'ambiente.")
    return value


def _flag(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
DEBUG = False

# TLS ends at the reverse proxy, which must set X-Forwarded-Proto (and strip it from clients' requests).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxy also writes the client's address in X-Forwarded-For (deploy/nginx.conf.template): the login
# lock-out and the evidence log take it from there, one proxy from the right.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", True)
# Except the public pages of "Amministrazione Trasparente": anonymous and read-only (no form, no cookie),
# they answer whoever asks, also a portal, a checker or a probe that reaches the application over plain
# http. Everything else (the login first) goes to https; visitors come through the proxy in https anyway.
SECURE_REDIRECT_EXEMPT = [r"^trasparenza(/|$)"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _flag("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or None  # for EMAIL_BACKEND=...filebased.EmailBackend

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Errors with their traceback on the console (the process manager keeps it); requests that fail are
# logged by django.request.
LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "WARNING")  # noqa: F405

# WhiteNoise hands Django's ASGI handler a synchronous file iterator, which Django serves in a thread and
# warns about once per process: expected here, not a fault.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")
