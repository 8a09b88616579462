"""poppler's pdfsig as an independent check of PDF signatures (poppler-utils and libnss3-tools, which
ci/services.sh installs). Read its text: its exit code is 0 even for an invalid signature."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest


def nss_database(directory: Path, *roots_pem: str) -> Path:
    """An NSS database in ``directory`` that trusts ``roots_pem`` (fails the test when the tools are
    missing: CI installs them)."""
    if not (shutil.which("pdfsig") and shutil.which("certutil")):
        pytest.fail("servono pdfsig e certutil: poppler-utils e libnss3-tools (ci/services.sh)")
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{directory}", "--empty-password"], check=True)
    for n, pem in enumerate(roots_pem):
        path = directory / f"radice-{n}.pem"
        path.write_text(pem)
        name = f"radice-{n}"
        subprocess.run(
            ["certutil", "-A", "-d", f"sql:{directory}", "-n", name, "-t", "CT,C,C", "-i", str(path)],
            check=True,
        )
    return directory


def report(pdf: Path, nssdir: Path) -> str:
    return subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nssdir}", str(pdf)], capture_output=True, text=True, timeout=60
    ).stdout


def verdicts(text: str) -> list[str]:
    """One verdict per signature: 'Signature is Valid.', 'Digest Mismatch.', ..."""
    return re.findall(r"Signature Validation: (.*)", text)
