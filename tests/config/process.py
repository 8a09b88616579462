"""Settings cannot change inside the test process: the tests of tests/config run the project in a child
process of their own, on a SQLite file of their own, with the settings module and environment they name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

# A child process uses its own SQLite file whatever the suite runs on: once is enough, in the SQLite run.
only_in_the_sqlite_run = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="the child process runs on its own SQLite file: checked once, in the SQLite run of the suite",
)


def child_env(database: Path, *, drop: tuple[str, ...] = (), **values: str) -> dict[str, str]:
    """This process's environment without its database, Redis and ``drop``, on the SQLite file
    ``database``, with ``values`` added."""
    unwanted = {"DATABASE_URL", "REDIS_URL", *drop}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    return {**env, "DATABASE_URL": f"sqlite:///{database}", **values}


def run_python(env: dict[str, str], *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    """This interpreter in the project's root with ``args`` (a script with ``-c``, or ``manage.py ...``)."""
    return subprocess.run(  # noqa: S603 - this interpreter, the project's own manage.py and scripts
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
