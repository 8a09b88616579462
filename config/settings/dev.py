"""Local development: DEBUG on, a fixed key, e-mails written to files instead of sent."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, MIDDLEWARE

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-3b8f0c1e")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# The links in e-mails lead to the port the server listens on (scripts/run.sh exports PORT).
SITE_URL = os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
# One file per e-mail in tmp/email/ (ignored by git), not their bodies on the console.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or str(BASE_DIR / "tmp" / "email")
# With DEBUG on Django answers a missing page with its technical page: the public pages keep the project's.
MIDDLEWARE = [*MIDDLEWARE, "approvals.middleware.PublicNotFoundMiddleware"]
