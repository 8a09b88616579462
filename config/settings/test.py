"""Test settings: fast hashing, DEBUG off as in production.

On SQLite the test database lives in memory, unless TEST_SQLITE_PATH names a file: tests whose server runs
in another process (Channels' live server, browser tests) need one."""

import os

from .base import *  # noqa: F403
from .base import CHANNEL_LAYERS, DATABASES

SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run when they are enqueued (after the commit of the change that asks for them); the tests of the
# queue itself switch to the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and os.environ.get("TEST_SQLITE_PATH"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_SQLITE_PATH"]}

# Tests run in several worker processes (pytest-xdist) that share one Redis: each keeps its channel
# layer's groups and channels apart with a prefix of its own.
if CHANNEL_LAYERS["default"]["BACKEND"].startswith("channels_redis"):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"piao-test-{worker}"
